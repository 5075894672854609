"""Payload shapes: what an event is, what a body is, and what makes one malformed (TP902).

An *event* is a JSON object ``{"event", "distinct_id", "properties", "timestamp",
"uuid", "$set", "$set_once"}``. A *body* is what reaches PostHog's capture endpoints:
one event, a JSON array of events, or a batch ``{"api_key": .., "batch": [..]}``.

TP902 (malformed) covers what PostHog itself would refuse before looking at the plan:
not an object, no event name (missing, not a string, or empty), ``properties`` not an
object, an empty or non-array ``batch``, and values JSON cannot carry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = [
    "BodyItem",
    "body_events",
    "first_non_json_value",
    "json_pointer",
    "json_type",
    "malformed_reason",
]

#: One event of a body: its index within the body, and the event or a TP902 message.
BodyItem = tuple[int, object, str | None]

_JSON_TYPES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def json_type(value: object) -> str:
    """The JSON type name of a Python value (``"datetime"`` etc. for non-JSON values)."""
    return _JSON_TYPES.get(type(value)) or type(value).__name__


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def json_pointer(path: Sequence[object]) -> str:
    """An RFC 6901 JSON Pointer for a sequence of keys and indexes (``""`` is the root)."""
    if not path:
        return ""
    parts = [token if type(token) is str else str(token) for token in path]
    joined = "/".join(parts)
    if "~" in joined or joined.count("/") != len(parts) - 1:
        joined = "/".join(_escape(part) for part in parts)
    return "/" + joined


def malformed_reason(payload: object) -> tuple[str, str] | None:
    """``(message, pointer)`` when ``payload`` is not an event PostHog could accept."""
    if not isinstance(payload, dict):
        return f"event payload must be a JSON object, got {json_type(payload)}", ""
    name = payload.get("event")
    if name is None:
        return "event payload has no event name (`event` is missing or null)", "/event"
    if not isinstance(name, str):
        return f"event name must be a string, got {json_type(name)}", "/event"
    if not name.strip():
        return "event name is empty", "/event"
    props = payload.get("properties")
    if props is not None and not isinstance(props, dict):
        return f"`properties` must be a JSON object, got {json_type(props)}", "/properties"
    return None


def first_non_json_value(payload: object, max_depth: int = 10_000) -> tuple[str, str] | None:
    """``(message, pointer)`` for the first value JSON cannot carry, or None.

    Iterative (no recursion limit) and only run when the fast engine refuses a
    payload, so the valid path never pays for it.
    """
    stack: list[tuple[object, tuple[object, ...]]] = [(payload, ())]
    seen: set[int] = set()
    while stack:
        value, path = stack.pop()
        if len(path) > max_depth:
            return f"payload is nested deeper than {max_depth} levels", json_pointer(path)
        if isinstance(value, dict):
            if id(value) in seen:
                return "payload contains a reference cycle", json_pointer(path)
            seen.add(id(value))
            for key, item in value.items():
                if not isinstance(key, str):
                    return (
                        f"object keys must be strings, got {json_type(key)}",
                        json_pointer(path),
                    )
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            if id(value) in seen:
                return "payload contains a reference cycle", json_pointer(path)
            seen.add(id(value))
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, float):
            if not math.isfinite(value):
                return f"{value!r} is not a JSON number", json_pointer(path)
        elif type(value) not in _JSON_TYPES and not isinstance(value, (str, int)):
            return f"a {json_type(value)} value is not JSON", json_pointer(path)
    return None


def body_events(body: object) -> list[BodyItem]:
    """The events of a body with their index; a TP902 message replaces a bad one.

    A dict with ``batch`` and no ``event`` is a batch body; a list is an array of
    events; anything else is one event (validated, and refused there if malformed).
    """
    if isinstance(body, list):
        if not body:
            return [(0, body, "body is an empty array of events")]
        return [(i, item, None) for i, item in enumerate(body)]
    if isinstance(body, Mapping) and "batch" in body and "event" not in body:
        batch = body["batch"]
        if not isinstance(batch, list):
            return [(0, body, f"`batch` must be an array of events, got {json_type(batch)}")]
        if not batch:
            return [(0, body, "`batch` is empty (PostHog answers 400)")]
        return [(i, item, None) for i, item in enumerate(batch)]
    return [(0, body, None)]
