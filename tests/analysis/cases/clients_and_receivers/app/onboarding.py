"""Wrapper objects reach these functions as un-annotated parameters."""


def offer(io, analytics):
    analytics.event("oauth_flow_initiated", provider="openrouter")


class Watcher:
    def __init__(self, coder, analytics=None):
        self.analytics = analytics
        self.event = self.analytics.event

    def run(self):
        self.analytics.event("Comments Executed")
        self.event("watcher_started")


def lookalike(recorder):
    # a parameter no call site types: nothing
    recorder.event("not_tracked")
