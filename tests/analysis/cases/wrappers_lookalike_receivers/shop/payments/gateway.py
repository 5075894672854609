"""A payment gateway: `capture`, `set` and `group` here are no analytics calls."""


class Gateway:
    def capture(self, payment, amount):
        return self.client.capture(payment.token, amount)

    def authorize(self, payment):
        return self.client.authorize(payment.token)


def capture_payment(gateway, payment, amount):
    # forwards parameters into `.capture(...)`: a payments call, not a tracking wrapper
    return gateway.capture(payment, amount)


def remember(cache, key, value):
    cache.set(key, value)


def tag(groups, key):
    groups.group(key)
