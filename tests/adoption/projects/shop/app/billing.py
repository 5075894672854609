from app.names import SIGNED_UP
from app.telemetry import Analytics, track


def paid(user_id, amount):
    track("invoice_paid", user_id, {"amount": amount, "currency": "EUR"})


def refunded(user_id):
    track("invoice_refunded", user_id, {"amount": 10, "partial": True, "couponCode": "SPRING"})


def signed_up(user_id):
    Analytics(user_id).event(SIGNED_UP, plan="pro", seats=3)


def checkout(user_id):
    track("CheckoutStarted", user_id)
