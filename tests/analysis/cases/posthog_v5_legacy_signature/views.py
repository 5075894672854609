"""posthog 5.x: capture(distinct_id, event, properties) is the right shape."""

import posthog
from posthog import Posthog

client = Posthog("phc_key", host="https://eu.posthog.com")

def signup(user):
    posthog.capture(user.id, "user_signed_up", {"signup_method": "google"})
    posthog.capture(user.id, "Signed Up", {"signup_method": "fax"})
    client.capture("anonymous", "user_signed_up")
    posthog.capture(distinct_id=user.id, event="file_exported", properties={"Bad Key": 1})
    posthog.identify(user.id, {"plan": "gold"})
    posthog.page(user.id, "https://example.com")
