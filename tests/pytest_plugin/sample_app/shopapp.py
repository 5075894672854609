"""A small app that tracks with the real posthog SDK and knows nothing of trackplan."""

import posthog
from posthog import Posthog


def _redact(msg):
    msg["properties"].pop("card_number", None)
    return msg


# An instance client with its own before_send, and the module-level client.
client = Posthog("phc_test", host="http://127.0.0.1:9", send=False, before_send=_redact)
posthog.api_key = "phc_test"
posthog.host = "http://127.0.0.1:9"
posthog.send = False


def place_order(user, order_id, amount, card_number=None):
    props = {"order_id": order_id, "amount": amount}
    if card_number:
        props["card_number"] = card_number
    client.capture("order_created", distinct_id=user, properties=props)


def sign_up(user, method):
    posthog.capture("user_signed_up", distinct_id=user, properties={"signup_method": method})


def change_plan(user, plan):
    client.set(distinct_id=user, properties={"plan": plan})
