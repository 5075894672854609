import posthog

TOOL_EVENT = "mcp_tool_called"


def capture_tool_call(tool_name, *, ok, error=None):
    # a tracking helper: a fixed event with what it is given inside the properties
    data = {"tool": tool_name, "ok": ok}
    if error is not None:
        data["error_type"] = type(error).__name__
    posthog.capture(TOOL_EVENT, distinct_id="cli", properties=data)


def track_export(user_id, properties):
    # the distinct id and the properties whole: checked at each call site
    posthog.capture("report_exported", distinct_id=user_id, properties=properties)


def _capture_unplanned(user):
    posthog.capture("Something Unplanned", distinct_id=user.id)


def run_task(request):
    # a view that also sends an event: its name does not say it tracks
    posthog.capture("mcp_tool_called", distinct_id=request.user.id)


def track_static():
    # passes nothing of its own: not a wrapper
    posthog.capture("report_exported", distinct_id="server", properties={"format": "csv"})
