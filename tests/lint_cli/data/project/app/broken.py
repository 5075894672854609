import posthog


def broken(:
    posthog.capture("x")
