"""posthog 7 module-level calls: every plan, naming and identity rule."""

import posthog
import posthog as ph
from posthog import capture as cap
from posthog import identify_context, new_context

PURCHASED = "plan_purchased"


def signup(user, method):
    # planned, complete: nothing to report
    posthog.capture("user_signed_up", distinct_id=user.id, properties={"signup_method": "email"})
    # required property missing; value outside the enum
    ph.capture("user_signed_up", distinct_id=user.id, properties={"referrer_code": 3})
    cap("user_signed_up", distinct_id=user.id, properties={"signup_method": "fax"})


def purchase(user, amount):
    # closed event: undeclared property, negative price, missing frequency
    posthog.capture(PURCHASED, distinct_id=user.id, properties=dict(price=-5, coupon="X"))
    posthog.capture("plan_purchased", distinct_id=user.id, properties={"price": amount, "frequency": "yearly"})
    # deprecated, unplanned, near miss, bad names, reserved prefix
    posthog.capture("checkout_started", distinct_id=user.id)
    posthog.capture("order_creatd", distinct_id=user.id, properties={"order_id": "#12345"})
    posthog.capture("Signed Up", distinct_id=user.id)
    posthog.capture("$my_event", distinct_id=user.id)
    posthog.capture("$pageview", distinct_id=user.id, properties={"$current_url": "/x"})
    posthog.capture("order_created", distinct_id=user.id, properties={"order_id": "12", "Coupon Code": "A"})


def names(user, kind):
    posthog.capture(f"export_{kind}", distinct_id=user.id)
    posthog.capture("export_" + kind, distinct_id=user.id)
    posthog.capture(event_name(kind), distinct_id=user.id)
    posthog.capture(kind, distinct_id=user.id)
    posthog.capture("file_exported" if kind else PURCHASED, distinct_id=user.id, properties={"price": 1, "frequency": "monthly"})
    posthog.capture("file_exported", distinct_id=user.id)


def identity(user):
    posthog.capture("file_exported", distinct_id="")
    posthog.capture("file_exported", distinct_id="   ")
    posthog.capture("file_exported", distinct_id="anonymous")
    posthog.capture("file_exported", distinct_id="None")
    posthog.capture("file_exported", distinct_id=user.id or "guest")
    posthog.capture("file_exported", distinct_id=user.id if user else "null")
    posthog.capture("file_exported", distinct_id="user-42")
    posthog.capture("file_exported", distinct_id=0)
    posthog.capture("file_exported")
    posthog.capture("file_exported", distinct_id=None)
    posthog.alias("anonymous", user.id)
    posthog.group_identify("company", "acme", {"name": "Acme"}, distinct_id="guest")


def people(user):
    posthog.set(distinct_id=user.id, properties={"plan": "gold", "email": "not-an-email"})
    posthog.set_once(distinct_id=user.id, properties={"plan": "pro"})
    posthog.capture("file_exported", distinct_id=user.id, properties={"$set": {"plan": "basic"}})


def in_context(user):
    with new_context():
        identify_context(user.id)
        posthog.capture("file_exported")


@posthog.scoped()
def scoped(user):
    posthog.identify_context(user.id)
    posthog.capture("file_exported")


def event_name(kind):
    return kind


class Report:
    def send(self):
        posthog.capture_exception(ValueError("x"), distinct_id="user-1")
