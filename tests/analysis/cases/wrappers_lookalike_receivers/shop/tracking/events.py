"""No SDK import here: the client comes from the project's own module."""

from shop.tracking.posthog_client import get_posthog


class Tracker:
    def __init__(self):
        self.posthog_client = get_posthog()

    def send(self, event, user):
        self.posthog_client.capture(event, distinct_id=user)


tracker = Tracker()


def order_placed(user):
    tracker.send("order_placed", user)
