"""Nothing here is an SDK call; strings and comments mention them."""

import analytics
import posthog
from analytics import track


class Recorder:
    def capture(self, event, **kwargs):
        return event

    def track(self, user_id, event):
        return event


recorder = Recorder()


def run(user, posthog_client, camera):
    posthog.capture("Not An Sdk Call", distinct_id="anonymous")
    analytics.track("anonymous", "Not An Sdk Call")
    track("anonymous", "Not An Sdk Call")
    recorder.capture("Not An Sdk Call")
    Recorder().track("anonymous", "Not An Sdk Call")
    posthog_client.capture("Unknown Object")
    camera.capture("photo taken")
    text = 'posthog.capture("Not A Call", distinct_id="anonymous")'
    # posthog.capture("Not A Call", distinct_id="anonymous")
    return text


def shadowed(posthog):
    posthog.capture("Shadowed By Parameter", distinct_id="anonymous")


def rebound():
    import json as posthog

    posthog.capture("Shadowed By Import")
