from app.telemetry import (
    _capture_unplanned,
    capture_tool_call,
    run_task,
    track_export,
    track_static,
)


def tools(user, request):
    capture_tool_call("browser_open", ok=True)
    capture_tool_call("browser_close", ok=False, error=ValueError())
    track_export(user.id, {"format": "pdf"})
    track_export("anonymous", {"format": 3})
    _capture_unplanned(user)
    run_task(request)
    track_static()
