"""Contexts, decorators and nested scopes."""
import posthog
from posthog import Posthog, identify_context, new_context, scoped


def too_early(user):
    posthog.capture("file_exported")  # before the identify_context: personless
    identify_context(user.id)
    posthog.capture("file_exported")


def generic_context():
    with new_context(fresh=True):
        identify_context("anonymous")
        posthog.capture("file_exported")


@scoped(fresh=True)
def decorated(user):
    posthog.identify_context(user.id)
    posthog.tag("plan", "pro")
    posthog.capture("file_exported")


def outer(user):
    client = Posthog("k")

    def inner():
        client.capture("file_exported", distinct_id="user-1")

    handlers = [lambda: client.capture("file_exported", distinct_id=user.id)]
    names = [client.capture(n, distinct_id=user.id) for n in ("a", "b")]
    return inner, handlers, names


def splats(user, *args, **kwargs):
    posthog.capture(*args)
    posthog.capture("file_exported", **kwargs)
    posthog.capture("file_exported", properties=None, distinct_id=None)
