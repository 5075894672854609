import posthog
from posthog import Posthog

client = Posthog("k")


def track(event, distinct_id, properties=None):
    client.capture(event, distinct_id=distinct_id, properties=properties or {})


def capture_event(event_name, user, **props):
    posthog.capture(event_name, distinct_id=str(user), properties={**props, "src": "x"})


def prefixed(name, uid):
    posthog.capture(f"app:{name}", distinct_id=uid)


class Analytics:
    def __init__(self):
        self.ph = Posthog("k")

    def event(self, name, **properties):
        self.ph.capture(name, properties=properties)

    @staticmethod
    def static_one(evt, props):
        posthog.capture(evt, properties=props)


def not_a_wrapper(uid):
    posthog.capture("literal_event", distinct_id=uid)
