import posthog
from app.telemetry import track


def start(uid):
    track("trial_started", uid, {"plan": "pro"})


def finish(uid):
    posthog.capture("trial_completed", distinct_id=uid)


def export(uid):
    track("report_exported", uid)
