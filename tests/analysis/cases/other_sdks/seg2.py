"""Segment 2.x: segment.analytics, module level and Client."""

import segment.analytics as analytics
from segment.analytics import Client

client = Client("write_key")

def go(user):
    analytics.track(user.id, "user_signed_up", {"signup_method": "fax"})
    analytics.track(user_id="anonymous", event="Signed Up")
    analytics.identify("guest", {"plan": "gold"})
    analytics.alias("undefined", user.id)
    client.track(user.id, "file_exported")
