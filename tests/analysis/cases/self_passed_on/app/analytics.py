from posthog import Posthog


class Analytics:
    def __init__(self):
        self.ph = Posthog("phc_key", host="https://eu.i.posthog.com")

    def event(self, event_name, **kwargs):
        self.ph.capture(event_name, distinct_id="user-1", properties=kwargs)
