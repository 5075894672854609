from app.telemetry import track


def paid(uid, amount):
    track("invoice_paid", uid, {"amount": amount})
