"""The shop's tracking helpers: nothing here names an event itself."""

import posthog
from posthog import Posthog

client = Posthog("phc_test", host="http://127.0.0.1:9")


def track(event, distinct_id, properties=None):
    client.capture(event, distinct_id=distinct_id, properties=properties or {})


class Analytics:
    def __init__(self, user_id):
        self.user_id = user_id

    def event(self, name, **properties):
        posthog.capture(name, distinct_id=self.user_id, properties=properties)


def experiment(name, uid):
    posthog.capture(f"experiment:{name}", distinct_id=uid)
