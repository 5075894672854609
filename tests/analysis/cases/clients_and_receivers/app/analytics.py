from app.clients import get_posthog


class Analytics:
    def __init__(self, user_id):
        self.user_id = user_id
        self.ph = get_posthog()

    def event(self, name, **props):
        self.ph.capture(name, distinct_id=self.user_id, properties=props)
