from app import names
from app.telemetry import track


def signed_up(uid):
    track(names.SIGNED_UP, uid, {"plan": "pro"})
