from app import telemetry as tm
from app.telemetry import (
    Recorder,
    Telemetry,
    capture_client_event,
    identify_user,
    proxy,
    send,
    track_backend,
    track_kwargs,
)


def signup(user, name):
    capture_client_event("user_signed_up", user.id, {"signup_method": "fax"})
    capture_client_event("Signed Up", None)
    capture_client_event(name, user.id)
    tm.telemetry.capture_event("file_exported")
    tm.telemetry.capture_event("file_exported", user.id)
    track_backend("file", "exported", user.id)
    track_backend(name, "exported", user.id)
    proxy("order_created", distinct_id=user.id, properties={})
    track_kwargs("plan_purchased", distinct_id=user.id, properties={"price": -1, "frequency": "monthly"})
    Telemetry.capture("plan_purchased", price=1, frequency="weekly")
    identify_user(user.id, plan="gold")
    send("file_exported", "guest")
    Recorder().capture_event("Not Tracked")
    Telemetry.group("company", "acme")
    args = ("file_exported", user.id)
    capture_client_event(*args)


def product(user):
    from app.telemetry import product_event

    product_event(user.id, "billing", "plan", "purchased")
