from shop.payments.gateway import Gateway, capture_payment


def complete(payment, amount):
    capture_payment(Gateway(), payment, amount)
    Gateway().capture(payment, amount)
