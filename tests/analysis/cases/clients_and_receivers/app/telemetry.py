"""Event objects (a class attribute or the class name is the event) and a client from a
dependency-injection container."""

from dataclasses import dataclass

from posthog import Posthog


class TelemetryEvent:
    @property
    def name(self):
        return self.__class__.__name__

    @property
    def properties(self):
        return {}


class CollectionAdded(TelemetryEvent):
    pass


@dataclass
class AgentRan(TelemetryEvent):
    name: str = "agent_ran"
    steps: int = 0


class TelemetryClient:
    def __init__(self):
        self._posthog = Posthog("phc_key")
        self.user_id = "u"

    def capture(self, event):
        self._posthog.capture(event.name, distinct_id=self.user_id, properties=event.properties)


class Server:
    _telemetry: TelemetryClient

    def __init__(self, system):
        self._telemetry = system.require(TelemetryClient)
        self.other = system.instance(TelemetryClient)

    def add(self, thing):
        self._telemetry.capture(CollectionAdded())
        self.other.capture(AgentRan(steps=3))
        self._telemetry.capture(thing)
