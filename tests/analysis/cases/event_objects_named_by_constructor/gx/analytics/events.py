from dataclasses import dataclass

from gx.analytics import actions
from gx.analytics.actions import CHECKPOINT_CREATED, CHECKPOINT_RAN, Action


@dataclass
class Event:
    action: Action
    user_id: str | None = None

    @property
    def distinct_id(self):
        return self.user_id


@dataclass
class CheckpointRanEvent(Event):
    def __init__(self, checkpoint_id=None):
        super().__init__(action=CHECKPOINT_RAN)
        self.checkpoint_id = checkpoint_id


@dataclass
class CheckpointCreatedEvent(Event):
    def __init__(self):
        Event.__init__(self, action=CHECKPOINT_CREATED)


class _SuiteEvent(Event):
    def __init__(self, suite_id):
        self.action = actions.SUITE_DELETED
        self.suite_id = suite_id


class SuiteDeletedEvent(_SuiteEvent):
    """No __init__ of its own: the base's sets the action."""


class SignedUpEvent(Event):
    def __init__(self):
        super().__init__(action=actions.SIGNED_UP)


class ExportedEvent(Event):
    def __init__(self):
        super().__init__(action=actions.EXPORTED)


class OpaqueEvent(Event):
    def __init__(self):
        super().__init__(action=actions.OPAQUE)


class ShoutedEvent(Event):
    def __init__(self):
        super().__init__(action=actions.SHOUTED)


class ForwardedEvent(Event):
    def __init__(self, action):
        super().__init__(action=action)  # whatever the caller gives: not static


class PositionalEvent(Event):
    def __init__(self):
        super().__init__(CHECKPOINT_RAN)  # positional: not read (see docs/analysis.md)
