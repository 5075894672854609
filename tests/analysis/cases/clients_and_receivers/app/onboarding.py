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


def start_flow(io, analytics):
    # `analytics` reaches here from offer_flow's own parameter
    analytics.event("flow_started")


def offer_flow(io, analytics):
    start_flow(io, analytics)


class StandIn:
    def event(self, name):
        return name


def self_test():
    # a stand-in defined here does not hide the class callers import
    offer_flow(None, StandIn())
