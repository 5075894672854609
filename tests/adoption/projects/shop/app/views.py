import posthog

from app.telemetry import track


def page(uid, path):
    posthog.capture("page_viewed", distinct_id=uid, properties={"path": path, "load_ms": 12.5})


def again(uid):
    track("invoice_paid", uid, {"amount": 12.5, "currency": "USD"})
