"""`acme` is a namespace package inside packages/sdk (a monorepo): its posthog version is
declared next to it, and the legacy positional capture is right for posthog 3."""

from posthog import Posthog


class Telemetry:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance._posthog = Posthog("phc_key")
        return cls._instance

    def capture(self, event, event_properties=None):
        self._posthog.capture(self._anon_id(), event, event_properties or {})

    def _anon_id(self):
        return "anon"
