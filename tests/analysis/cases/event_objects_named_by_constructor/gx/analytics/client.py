from __future__ import annotations

from typing import TYPE_CHECKING

import posthog

if TYPE_CHECKING:
    from gx.analytics.events import Event


def submit(event: Event) -> None:
    try:
        posthog.capture(str(event.distinct_id), str(event.action), {"source": "gx"})
    except Exception:
        pass
