"""A client handed in, in a module that shows no SDK: call sites tell what it is."""


class EventService:
    def __init__(self, sink):
        self.sink = sink

    def emit(self, event, user):
        self.sink.capture(event, distinct_id=user)
