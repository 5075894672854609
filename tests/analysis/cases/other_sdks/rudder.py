"""RudderStack: rudderstack.analytics, same shapes as Segment."""

import rudderstack.analytics as rudder_analytics

def go(user):
    rudder_analytics.track(user.id, "plan_purchased", {"price": 5, "frequency": "yearly", "seats": 2})
