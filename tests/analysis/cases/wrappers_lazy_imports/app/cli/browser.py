def capture_setup_event(event_name: str, success: bool = True) -> None:
    # a local wrapper importing the real one lazily, under another name
    from app.analytics import capture_setup_event as _capture_setup_event

    _capture_setup_event(event_name, success)


def connect():
    capture_setup_event("browser_connected")
    capture_setup_event("browser_lost", success=False)
