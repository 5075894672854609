"""Wrappers inference cannot read (the event is decided elsewhere): declared."""

from dataclasses import dataclass

import posthog

EVENTS = {}


def on_signup(user):
    send(EVENTS["signup"], user)


def backend_event(category, noun, verb, user):
    send(":".join([category, noun, verb]), user)


def send(event, user):
    queue = [event, user]
    return queue


@dataclass
class FileExported:
    name: str = "file_exported"
    size: int = 0


class PlanPurchased:
    name = "plan_purchased"


class OrderCreated:
    pass


class Telemetry:
    def capture(self, event):
        send(event, None)

    def capture_named(self, event):
        send(event, None)

    @classmethod
    def record(cls, event, distinct_id=None):
        posthog.capture(event, distinct_id=distinct_id)


telemetry = Telemetry()


def views(user, kind, event):
    on_signup(user)
    backend_event("billing", "plan", "purchased", user.id)
    backend_event("billing", kind, "purchased", user.id)
    backend_event("billing", "plan" if kind else "order", "created", "anonymous")
    telemetry.capture(FileExported(size=3))
    telemetry.capture(PlanPurchased())
    telemetry.capture(event)
    telemetry.capture_named(OrderCreated())
    Telemetry.record("Record Made", distinct_id=user.id)
    telemetry.record("file_exported", user.id)
