from typing import Any


def _load_analytics() -> Any | None:
    try:
        from app import analytics
    except ModuleNotFoundError:
        return None
    return analytics


def _load_something_else(flag: bool) -> Any | None:
    from app import analytics
    from app.cli import browser

    return analytics if flag else browser  # two modules: not followed


def record(event_name: str, user_id: str) -> None:
    analytics = _load_analytics()
    if analytics is None:
        return
    analytics.capture(event_name, {"source": "cli"}, distinct_id=user_id)


def record_other(event_name: str) -> None:
    other = _load_something_else(True)
    other.capture(event_name)


def run(user):
    record("task_ran", user.id)
    record("task_failed", user.id)
    record_other("task_ran")
