"""A project module that happens to be called posthog."""


def capture(*args, **kwargs):
    return None
