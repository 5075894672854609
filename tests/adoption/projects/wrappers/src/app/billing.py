from app.telemetry import track

from .telemetry import Analytics

analytics = Analytics()


def paid(user_id, amount):
    track("invoice_paid", user_id, {"amount": amount})


def billing_event(kind, who):
    """A wrapper of a wrapper: found in the second round."""
    track(kind, who)


def via_instance(kind):
    analytics.event(kind, plan="pro")


def nested_helpers_are_not_wrappers(name):
    def inner(event):
        track(event, "u")

    return inner
