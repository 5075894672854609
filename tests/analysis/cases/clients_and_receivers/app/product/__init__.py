"""An abstract telemetry interface; the implementation is a subclass elsewhere."""


class ProductTelemetry:
    def capture(self, event):
        raise NotImplementedError
