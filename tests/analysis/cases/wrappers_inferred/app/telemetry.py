"""Wrappers nobody declared: inference finds them, to any depth."""

import posthog
from posthog import Posthog

client = Posthog("phc_key", host="https://eu.posthog.com")


class Telemetry:
    def __init__(self):
        self.posthog = Posthog("phc_key")

    def capture_event(self, event_name, user_id=None, properties=None):
        distinct_id = user_id or "anonymous"
        self.posthog.capture(event_name, distinct_id=distinct_id, properties=properties)

    @classmethod
    def capture(cls, event, **props):
        client.capture(event, distinct_id="server", properties=props)

    @staticmethod
    def group(kind, key):
        posthog.group_identify(kind, key)


telemetry = Telemetry()


def capture_client_event(name, user, props=None):
    telemetry.capture_event(name, user_id=user, properties=props)


def track_backend(noun, verb, user):
    posthog.capture(f"backend:{noun}_{verb}", distinct_id=user)


def proxy(*args, **kwargs):
    return client.capture(*args, **kwargs)


def track_kwargs(event, **kwargs):
    client.capture(event, **kwargs)


def identify_user(user_id, **traits):
    posthog.set(distinct_id=user_id, properties=traits)


def send(event, user):
    name = event
    payload = {"distinct_id": user}
    client.capture(name, **payload)


def not_a_wrapper(user):
    # its own literal event: an ordinary call, reported here
    posthog.capture("Report Exported", distinct_id=user)


def several(user, kind):
    # one parameter sent as different events: not a wrapper, each call is checked
    posthog.capture(f"export_{kind}", distinct_id=user)
    posthog.capture(kind, distinct_id=user)


class Recorder:
    """A look-alike: a `capture_event` that is not a tracking call."""

    def __init__(self):
        self.events = []

    def capture_event(self, name, user_id=None, properties=None):
        self.events.append(name)


class Batcher:
    """A wrapper sending what it was given, or an event object built from it."""

    def __init__(self):
        self.pending = {}

    def capture(self, event, user):
        if event.batch_key not in self.pending:
            self._send(event, user)
            return
        merged = self.pending[event.batch_key].merge(event)
        self._send(merged, user)

    def _send(self, event, user):
        client.capture(event.name, distinct_id=user)


def _event_key(category, noun, verb):
    return f"{category}:{noun}_{verb}"


def product_event(user, category, noun, verb):
    # the event is built by a helper from the parameters: a template
    posthog.capture(_event_key(category, noun, verb), distinct_id=user)
