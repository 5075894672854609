import posthog

from app.events import ORDER_CREATED, SIGNED_UP
from app.telemetry import track


def on_signup(user):
    posthog.capture(SIGNED_UP, distinct_id=user.id, properties={"plan": "pro"})


def on_order(user, order):
    posthog.capture(ORDER_CREATED, distinct_id=user.id, properties={"amount": 10})
    track("order_refunded", user.id, {"order_id": order.id})
    posthog.capture("invoice_paid", distinct_id="anonymous", properties={"invoice_id": "i1"})
    posthog.capture("invoice_paid", distinct_id="user-42", properties={"invoice_id": "i2"})
