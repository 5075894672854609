"""Wrapper calls through imports, aliases, modules and instances."""

from app import telemetry
from app.telemetry import Analytics, identify_user, tracker
from app.telemetry import track as t

from . import telemetry as tel

def view(user):
    t("user_signed_up", user.id, {"signup_method": "fax"})
    t("Signed Up", "anonymous")
    telemetry.track("plan_purchased", user.id, {"price": 3, "frequency": "yearly", "x": 1})
    tel.track(event="order_created", distinct_id=user.id, properties={"order_id": "#12345"})
    Analytics(None).event("user_signed_up", signup_method="email", referrer_code=5)
    tracker.event("plan_purchased", price=-1, frequency="monthly")
    telemetry.tracker.event("order_created")
    identify_user(user.id, plan="gold", email="a@example.com")
    identify_user("guest")
    telemetry.Analytics.event(tracker, "file_exported")
