from app.product import ProductTelemetry
from app.telemetry import AgentRan


class Service:
    _telemetry: ProductTelemetry

    def run(self):
        self._telemetry.capture(AgentRan())
