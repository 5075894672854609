"""The app's own tracking wrapper."""

import posthog


def track(event, distinct_id, properties=None):
    posthog.capture(event, distinct_id=distinct_id, properties=properties or {})
