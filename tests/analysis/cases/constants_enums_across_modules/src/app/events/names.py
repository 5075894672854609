import enum
from enum import Enum

SIGNED_UP = "user_signed_up"
PURCHASED = "plan_purchased"
TYPO = "user_signedup"
ALIAS = SIGNED_UP


class Events(str, Enum):
    SIGNED_UP = "user_signed_up"
    EXPORTED = "file_exported"


class StrEvents(enum.StrEnum):
    ORDER = "order_created"


class LegacyNames:
    CHECKOUT = "checkout_started"
