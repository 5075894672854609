"""Event names from constants and enums in other modules of the project."""

import posthog

import app.events.names as names
from app import events
from app.events import PURCHASED_EVENT, Events, LegacyNames
from app.events.names import ALIAS, SIGNED_UP, TYPO

from .events.names import StrEvents as SE

LOCAL = "file_exported"

def flows(user, flag):
    posthog.capture(SIGNED_UP, distinct_id=user.id, properties={"signup_method": "email"})
    posthog.capture(ALIAS, distinct_id=user.id)
    posthog.capture(names.SIGNED_UP, distinct_id=user.id, properties={"signup_method": "x"})
    posthog.capture(events.Events.EXPORTED, distinct_id=user.id)
    posthog.capture(Events.SIGNED_UP.value, distinct_id=user.id)
    posthog.capture(SE.ORDER, distinct_id=user.id, properties={"order_id": "#1234"})
    posthog.capture(LegacyNames.CHECKOUT, distinct_id=user.id)
    posthog.capture(PURCHASED_EVENT, distinct_id=user.id, properties={"price": 10, "frequency": "daily"})
    posthog.capture(TYPO, distinct_id=user.id)
    posthog.capture(LOCAL if flag else Events.EXPORTED, distinct_id=user.id)
    posthog.capture(LOCAL if flag else TYPO, distinct_id=user.id)
    posthog.capture(names.MISSING, distinct_id=user.id)
