"""Event names as value objects: str() of one gives the name back."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str

    def __repr__(self):
        return self.name


class Verb:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


class EventName(str):
    """A str subclass: str() of one is the literal itself."""


class Opaque:
    """No __str__ or __repr__: str() of one is `<Opaque object at 0x...>`."""

    def __init__(self, name):
        self.name = name


class Shouting:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.loud  # not the attribute the literal sets


CHECKPOINT_RAN = Action("checkpoint_ran")
CHECKPOINT_CREATED = Action(name="checkpoint_created")
SUITE_DELETED = Verb("suite_deleted")
SIGNED_UP = EventName("user_signed_up")
EXPORTED = Action("Report Exported")
OPAQUE = Opaque("checkpoint_ran")
SHOUTED = Shouting("checkpoint_ran")
