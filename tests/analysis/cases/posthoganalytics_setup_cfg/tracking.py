"""posthoganalytics is the same SDK as posthog under another import name."""

import posthoganalytics
import posthoganalytics as pha
from posthoganalytics import Posthog
from posthoganalytics.client import Client

one = Posthog("k")
two = Client("k")

def go(user):
    posthoganalytics.capture("Report Run", distinct_id=user.id)
    pha.capture(user.id, "report_ran")
    one.capture("report_ran", distinct_id="guest")
    two.set(distinct_id="", properties={})
    pha.identify(user.id)
