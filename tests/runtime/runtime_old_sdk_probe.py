"""Run inside a subprocess whose ``sys.path`` starts with an older posthog release.

Sends through a hooked client and through the module-level client patched by
``install``, then prints what reached the capture server as JSON. (Sync-mode clients need no
shutdown; 4.x raises on ``shutdown()`` of a sync-mode client.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import posthog
from posthog import Posthog
from posthog.version import VERSION
from runtime_capture_server import CaptureServer
from trackplan.registry.runtime import TAG_PROPERTY, ValidationHook, install
from trackplan.registry.validation import Registry

registry = Registry.load(Path(sys.argv[1]))
valid = {"order_id": "o-1", "amount": 3}
with CaptureServer() as server:
    hook = ValidationHook(registry, mode="tag")
    client = Posthog("phc_test", host=server.url, sync_mode=True, before_send=hook)
    client.capture(distinct_id="u1", event="order_created", properties={"order_id": "o-2"})
    client.capture(distinct_id="u1", event="order_created", properties=valid)
    client.set(distinct_id="u1", properties={"plan": "enterprise"})

    patched = ValidationHook(registry, mode="drop")
    installation = install(patched)
    posthog.api_key, posthog.host, posthog.sync_mode = "phc_test", server.url, True
    posthog.capture(distinct_id="u2", event="order_created", properties={"amount": -1})
    posthog.capture(distinct_id="u2", event="user_signed_up", properties={"signup_method": "email"})
    installation.uninstall()
    print(
        json.dumps(
            {
                "version": VERSION,
                "sdk": posthog.__file__,
                "wire": [
                    [e["event"], [v["code"] for v in e["properties"].get(TAG_PROPERTY, [])]]
                    for e in server.events
                ],
                "hook": hook.stats.to_dict(),
                "patched": patched.stats.to_dict(),
            }
        )
    )
