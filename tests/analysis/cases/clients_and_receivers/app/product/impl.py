import posthog

from app.product import ProductTelemetry


class PosthogTelemetry(ProductTelemetry):
    def capture(self, event):
        self._send(event)

    def _send(self, event):
        posthog.capture(event.name, distinct_id="server-1")
