from acme.sdk.telemetry import Telemetry


def init_tracer():
    Telemetry().capture("tracer:init", {"processor": "custom"})
    Telemetry().capture("Tracer Started")
