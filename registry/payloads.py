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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "MAX_INT_DIGITS",
    "MAX_PAYLOAD_CONTAINERS",
    "MAX_PAYLOAD_DEPTH",
    "BodyItem",
    "body_events",
    "escape_pointer",
    "first_non_json_value",
    "is_plain_json",
    "json_pointer",
    "json_type",
    "malformed_reason",
    "plain_copy",
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


def escape_pointer(token: str) -> str:
    """One JSON Pointer reference token (RFC 6901 escaping): the one escaper the plan
    loader, the validator and plan evolution all use."""
    return token.replace("~", "~0").replace("/", "~1")


def json_pointer(path: Sequence[object]) -> str:
    """An RFC 6901 JSON Pointer for a sequence of keys and indexes (``""`` is the root)."""
    if not path:
        return ""
    parts = [token if type(token) is str else str(token) for token in path]
    joined = "/".join(parts)
    if "~" in joined or joined.count("/") != len(parts) - 1:
        joined = "/".join(escape_pointer(part) for part in parts)
    return "/" + joined


def malformed_reason(payload: object) -> tuple[str, str] | None:
    """``(message, pointer)`` when ``payload`` is not an event PostHog could accept."""
    if not isinstance(payload, dict):
        return f"event payload must be a JSON object, got {json_type(payload)}", ""
    name = dict.get(payload, "event")
    if name is None:
        return "event payload has no event name (`event` is missing or null)", "/event"
    if not isinstance(name, str):
        return f"event name must be a string, got {json_type(name)}", "/event"
    if not name.strip():
        return "event name is empty", "/event"
    props = dict.get(payload, "properties")
    if props is not None and not isinstance(props, dict):
        return f"`properties` must be a JSON object, got {json_type(props)}", "/properties"
    return None


#: Deeper payloads are refused (TP902): orjson's parse limit, so that ``trackplan
#: validate`` on JSON text and the library on Python objects agree on every payload.
MAX_PAYLOAD_DEPTH = 1024
#: Integers whose decimal form has more digits than this cannot be serialized by
#: ``json.dumps`` (CPython's int-to-str limit), so the SDK could not send them.
MAX_INT_DIGITS = 4300
#: Objects and arrays one payload may hold, counted with repeats: a shared sub-object is
#: serialized once per reference, so a few shared lists can stand for 2**200 values.
MAX_PAYLOAD_CONTAINERS = 100_000
_INT_FAST = 1 << 63
_INT_LIMIT = 10**MAX_INT_DIGITS


def is_plain_json(payload: object) -> bool:
    """True when ``payload`` holds only values JSON can carry, at most 1,024 levels deep.

    The cheap yes/no check every payload pays (the valid path included): ``dict``
    (subclasses read through ``dict``), ``list``, ``str``, ``int``, ``bool``, ``None`` and
    finite ``float``, string keys, no
    lone surrogate. Anything else answers False and :func:`first_non_json_value` explains
    it. Never raises.
    """
    try:
        return _plain(payload)
    except RecursionError:  # deeper than this thread's stack allows: walk without it
        try:
            return _plain_iterative(payload)
        except Exception:
            return False
    except Exception:
        return False


def _plain(payload: object) -> bool:
    return isinstance(payload, dict) and _plain_dict(payload, 1, [MAX_PAYLOAD_CONTAINERS])


# Recursion is bounded by MAX_PAYLOAD_DEPTH, which also ends any reference cycle (a
# cycle is infinitely deep); the precise walk below tells the two apart for the message.
def _plain_dict(container: dict[object, object], depth: int, budget: list[int]) -> bool:
    budget[0] -= 1
    if depth > MAX_PAYLOAD_DEPTH or budget[0] < 0:
        return False
    for key in dict.keys(container):  # read through dict: overrides are not trusted
        if type(key) is not str or (not key.isascii() and not _encodable(key)):
            return False
    return _plain_values(dict.values(container), depth, budget)


def _plain_values(values: Iterable[Any], depth: int, budget: list[int]) -> bool:
    for value in values:
        kind = type(value)
        if kind is str:
            if not value.isascii() and not _encodable(value):
                return False
        elif kind is int:
            if (value >= _INT_FAST or value <= -_INT_FAST) and (
                value >= _INT_LIMIT or value <= -_INT_LIMIT
            ):
                return False
        elif kind is bool or value is None:
            continue
        elif kind is float:
            if value - value:  # nan and inf give nan
                return False
        elif kind is dict:
            if not _plain_dict(value, depth + 1, budget):
                return False
        elif kind is list:
            budget[0] -= 1
            if depth >= MAX_PAYLOAD_DEPTH or budget[0] < 0:
                return False
            if not _plain_values(value, depth + 1, budget):
                return False
        elif isinstance(value, dict) and not isinstance(value, (str, int, float)):
            if not _plain_dict(value, depth + 1, budget):  # a dict subclass, read as is
                return False
        else:
            return False
    return True


def _plain_iterative(payload: object) -> bool:
    """:func:`_plain` with an explicit stack (for payloads deeper than the C stack)."""
    if not isinstance(payload, dict):
        return False
    budget = MAX_PAYLOAD_CONTAINERS
    stack: list[tuple[object, int]] = [(payload, 1)]
    while stack:
        container, depth = stack.pop()
        budget -= 1
        if depth > MAX_PAYLOAD_DEPTH or budget < 0:
            return False
        if isinstance(container, dict):
            for key in dict.keys(container):
                if type(key) is not str or (not key.isascii() and not _encodable(key)):
                    return False
            values: Iterable[object] = dict.values(container)
        else:
            values = container  # type: ignore[assignment]
        for value in values:
            if isinstance(value, dict) or type(value) is list:
                stack.append((value, depth + 1))
            elif not _plain_values((value,), depth, [1]):
                return False
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _describe_value(value: object) -> str | None:
    """Why one scalar cannot be sent as JSON, or None when it can."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if not _encodable(value):
            return "a string holding a lone surrogate is not valid UTF-8 JSON"
        return None
    if isinstance(value, int):
        if value >= _INT_LIMIT or value <= -_INT_LIMIT:
            return f"an integer of more than {MAX_INT_DIGITS:,} digits cannot be serialized as JSON"
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"{value!r} is not a JSON number (JSON has no NaN or Infinity)"
        return None
    return f"a {json_type(value)} value is not JSON"


def first_non_json_value(
    payload: object, max_depth: int = MAX_PAYLOAD_DEPTH
) -> tuple[str, str] | None:
    """``(message, pointer)`` for the first value JSON cannot carry, or None.

    Iterative (no recursion limit), reads dicts through ``dict`` itself (a subclass's
    overridden ``get``/``items`` are not trusted), tells a reference cycle from a shared
    sub-object, and names the real type of what it refuses. Never raises.
    """
    try:
        return _first_problem(payload, max_depth)
    except Exception as exc:  # a hostile object: still an answer, never an exception
        return f"payload could not be read: {type(exc).__name__}", ""


def _first_problem(payload: object, max_depth: int) -> tuple[str, str] | None:
    # Depth-first with exit markers, so "on the current path" (a cycle) differs from
    # "seen before" (a shared sub-object, which JSON serializes twice without harm).
    on_path: set[int] = set()
    stack: list[tuple[bool, object, tuple[object, ...]]] = [(True, payload, ())]
    containers = 0
    while stack:
        entering, value, path = stack.pop()
        if not entering:
            on_path.discard(id(value))
            continue
        if isinstance(value, (dict, list, tuple)):
            containers += 1
            if containers > MAX_PAYLOAD_CONTAINERS:
                return (
                    f"payload holds more than {MAX_PAYLOAD_CONTAINERS:,} objects and arrays"
                    " (counting every reference to a shared one)",
                    json_pointer(path),
                )
            if len(path) >= max_depth:
                return (
                    f"payload is nested deeper than {max_depth} levels",
                    json_pointer(path),
                )
            if id(value) in on_path:
                return "payload contains a reference cycle", json_pointer(path)
            on_path.add(id(value))
            stack.append((False, value, path))
            if isinstance(value, dict):
                children: list[tuple[bool, object, tuple[object, ...]]] = []
                for key, item in dict.items(value):
                    if not isinstance(key, str):
                        return (
                            f"object keys must be strings, got {json_type(key)}",
                            json_pointer(path),
                        )
                    if not _encodable(key):
                        return (
                            "an object key holding a lone surrogate is not valid UTF-8 JSON",
                            json_pointer(path),
                        )
                    children.append((True, item, (*path, key)))
                stack.extend(reversed(children))
            else:
                stack.extend(reversed([(True, item, (*path, i)) for i, item in enumerate(value)]))
            continue
        problem = _describe_value(value)
        if problem is not None:
            return problem, json_pointer(path)
    return None


def plain_copy(value: object) -> object:
    """A copy built of exact JSON types (``dict``, ``list``, ``str``, ``int``, ...).

    For a payload :func:`first_non_json_value` accepted but :func:`is_plain_json` did not:
    tuples, ``str``/``int`` subclasses such as ``StrEnum``/``IntEnum`` members, dict
    subclasses and shared sub-objects are what ``json.dumps`` (and so the SDK) sends as
    plain JSON, but the engine reads only exact types. Iterative (any depth the check
    accepted).
    """
    root: list[object] = [None]
    stack: list[tuple[object, list[object] | dict[str, object], int | str]] = [(value, root, 0)]
    while stack:
        item, parent, slot = stack.pop()
        copied: object
        if isinstance(item, dict):
            mapping: dict[str, object] = {}
            for key, child in dict.items(item):
                name = str.__str__(key)
                mapping[name] = None
                stack.append((child, mapping, name))
            copied = mapping
        elif isinstance(item, (list, tuple)):
            copied = [None] * len(item)
            stack.extend((child, copied, i) for i, child in enumerate(item))  # type: ignore[misc]
        elif isinstance(item, bool) or item is None:
            copied = item
        elif isinstance(item, str):
            copied = str.__str__(item)
        elif isinstance(item, int):
            copied = int(item)
        elif isinstance(item, float):
            copied = float(item)
        else:
            copied = item
        parent[slot] = copied  # type: ignore[index]
    return root[0]


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
