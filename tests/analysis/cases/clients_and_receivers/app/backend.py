"""A backend chosen by a factory (the real one or a null object), events from a str Enum
sent as `event.value`."""

import enum

from posthog import Posthog


class Event(str, enum.Enum):
    SIGNED_UP = "user_signed_up"
    EXPORTED = "File Exported"


class TelemetryBackend:
    def capture(self, anonymous_id, event, properties):
        raise NotImplementedError


class PostHogBackend:
    def __init__(self):
        self._client = Posthog("phc_key")

    def capture(self, anonymous_id, event, properties):
        self._client.capture(distinct_id=anonymous_id, event=event.value, properties=properties)


class NoopBackend:
    def capture(self, anonymous_id, event, properties):
        return None


_backend: TelemetryBackend | None = None


def get_backend():
    global _backend
    if _backend is None:
        try:
            _backend = PostHogBackend()
        except Exception:
            _backend = NoopBackend()
    return _backend


def set_backend(backend: TelemetryBackend):
    global _backend
    _backend = backend


def capture(event, properties):
    get_backend().capture("anon-id", event, properties)


def views():
    capture(Event.SIGNED_UP, {})
    capture(Event.EXPORTED, {})
