"""posthog 6: the legacy positional capture and the removed APIs."""

import posthog
from posthog import Posthog

client = Posthog("phc_key")

def run(user):
    posthog.capture(user.id, "report_generated", {"rows": 3})
    client.capture(user.id, "report_generated")
    client.capture("report_generated", distinct_id=user.id)
    posthog.capture(distinct_id=user.id, event="report_generated")
    posthog.identify(user.id, {"email": "a@b.c"})
    client.page(user.id, "https://example.com")
    posthog.screen(user.id, "Home")
