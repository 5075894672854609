from shop.tracking.events import tracker


def begin_checkout(user):
    tracker.send("checkout_begun", user)
