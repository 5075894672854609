"""Locals assigned more than once: the assignments that reach the call count."""

import posthog


def straight(user):
    name = "Old Name"
    name = "file_exported"
    posthog.capture(name, distinct_id=user.id)


def branches(user, done):
    name = "signup_started"
    if done:
        name = "Signup Completed"
    posthog.capture(name, distinct_id=user.id)
    name = "Never Sent"


def loop(user, items):
    name = "export_started"
    for item in items:
        posthog.capture(name, distinct_id=user.id)
        name = "Export Continued"


def from_parameter(user, name):
    if not name:
        name = "fallback_used"
    posthog.capture(name, distinct_id=user.id)


def unpacked(user, pair):
    name = "a_done"
    name, other = pair
    posthog.capture(name, distinct_id=user.id)
