"""The app's own wrappers: the SDK calls that pass parameters on are not reported."""

import posthog

def track(event, distinct_id, properties=None):
    posthog.capture(event, distinct_id=distinct_id, properties=properties)
    posthog.capture(f"app:{event}", distinct_id=distinct_id)
    # its own literal event: an ordinary call, checked
    posthog.capture("tracker_used", distinct_id=distinct_id, properties={"Raw Name": event})


def identify_user(distinct_id, **properties):
    posthog.set(distinct_id=distinct_id, properties=properties)


class Analytics:
    def __init__(self, client):
        self.client = client

    def event(self, event, **properties):
        posthog.capture(event, distinct_id=self.user_id, properties=properties)
        # an extra event with its own literal name is still checked
        posthog.capture("Wrapper Heartbeat", distinct_id=self.user_id)
        self.event("file_exported")


tracker = Analytics(None)


def helper(user):
    track("file_exported", user.id)
