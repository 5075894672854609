"""Segment 1.x: the top-level `analytics` package."""

import analytics

def go(user):
    analytics.track(user.id, "order_created", {"order_id": "#1"})
    analytics.track(user_id="", event="file_exported")
