import segment.analytics as analytics
from mixpanel import Mixpanel

mp = Mixpanel("token")


class Tracker:
    client = Mixpanel("token")

    def track(self, user, what, props=None):
        self.client.track(user, what, props or {})


def seg(user_id, event, traits):
    analytics.track(user_id=user_id, event=event, properties=traits)


def mixed(uid, event_name, *args, extra=None, **kwargs):
    mp.track(uid, event_name, dict(kwargs))
