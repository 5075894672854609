"""Client instances bound in every way the issue lists."""

from typing import Optional

import posthog
from posthog import Posthog

from app import clients
from app.clients import Holder, ph


class MyClient(Posthog): pass


class Service:
    shared = Posthog("k")

    def __init__(self, client: Optional[Posthog] = None) -> None:
        self.client = client or Posthog("k")
        self.typed: Posthog | None = None

    def run(self, user):
        self.shared.capture("Class Attribute", distinct_id=user.id)
        self.client.capture("Self Attribute", distinct_id=user.id)
        Service.shared.capture("Class Attribute Direct", distinct_id=user.id)
        self.typed.capture("Annotated Attribute", distinct_id=user.id)


def run(user, client: Posthog, other):
    local = Posthog("k")
    local.capture("Local Instance", distinct_id=user.id)
    client.capture("Annotated Param", distinct_id=user.id)
    ph.capture("Imported Instance", distinct_id=user.id)
    clients.ph.capture("Module Attribute Instance", distinct_id=user.id)
    clients._lazy.capture("Global Set In Function", distinct_id=user.id)
    Holder.client.capture("Imported Class Attribute", distinct_id=user.id)
    MyClient("k").capture("Subclass Instance", distinct_id=user.id)
    Posthog("k").capture("Inline Instance", distinct_id=user.id)
    posthog.Posthog("k").capture("Qualified Class", distinct_id=user.id)
    other.capture("Unknown Object", distinct_id=user.id)
