from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posthog import Posthog


def _build() -> Posthog | None:
    try:
        from posthog import Posthog
    except ModuleNotFoundError:
        return None
    return Posthog("phc_key", host="https://eu.i.posthog.com")


posthog: Posthog | None = _build()


def capture(event: str, data: dict[str, Any] | None = None, distinct_id: str | None = None) -> None:
    if posthog is None:
        return
    posthog.capture(distinct_id=distinct_id or "oss", event=event, properties=data or {})


def capture_setup_event(event_name: str, success: bool = True) -> None:
    capture(f"setup_{event_name}", {"success": success})
