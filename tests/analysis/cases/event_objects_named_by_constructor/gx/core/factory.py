from gx.analytics import submit as submit_analytics_event
from gx.analytics.client import submit as submit_event
from gx.analytics.events import (
    CheckpointCreatedEvent,
    CheckpointRanEvent,
    ExportedEvent,
    ForwardedEvent,
    OpaqueEvent,
    PositionalEvent,
    ShoutedEvent,
    SignedUpEvent,
    SuiteDeletedEvent,
)


def run(checkpoint):
    event = CheckpointRanEvent(checkpoint_id=checkpoint.id)
    submit_analytics_event(event=event)


def create():
    submit_event(event=CheckpointCreatedEvent())


def delete(suite):
    submit_event(SuiteDeletedEvent(suite.id))


def signup():
    submit_event(SignedUpEvent())


def export():
    submit_event(ExportedEvent())


def unreadable(action):
    submit_event(OpaqueEvent())
    submit_event(ShoutedEvent())
    submit_event(ForwardedEvent(action))
    submit_event(PositionalEvent())
