"""Nothing here is a tracking call: a local object named like the SDK."""


class _Recorder:
    def capture(self, *args, **kwargs):
        return args, kwargs


posthog = _Recorder()


def run():
    posthog.capture("Not An Event", "whatever")
    text = 'posthog.capture("also not an event")'
    return text
