"""Capture request bodies: decoding what PostHog's capture endpoints accept, within limits.

Contract:
- :func:`decode_body` turns the raw bytes of a capture request into a JSON value, or
  raises :class:`BodyError` carrying the HTTP status (400 or 413) and a one-line reason.
  It understands a JSON body, ``Content-Encoding: gzip``/``deflate``, the ``compression``
  query parameter posthog-js sends (``gzip``, ``gzip-js``, ``base64``), gzip magic bytes,
  and form bodies ``data=<base64 or JSON>`` (posthog-js's ``base64`` transport).
  ``lz64`` (LZ-string) is refused with a 400 that says so.
- Decompression is capped: output beyond ``limit`` bytes is a 413, never a large
  allocation (a gzip bomb costs at most ``limit`` bytes of memory).
- :func:`split_body` gives the events of a decoded body (one event, an array, a batch)
  with the API key that applies to each, using the registry's one definition of a body
  (:func:`trackplan.registry.payloads.body_events`).
- :func:`capture_rejection` says why PostHog's capture would answer 400 for one event
  (no event name, no or blank distinct id, a bad ``uuid``); the plan verdict is separate.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from typing import Any, NamedTuple
from urllib.parse import parse_qs

import orjson
from trackplan.registry.payloads import body_events, json_type

__all__ = [
    "BATCH_LIMIT",
    "SINGLE_LIMIT",
    "BodyError",
    "CapturedEvent",
    "capture_rejection",
    "decode_body",
    "distinct_id_of",
    "split_body",
]

#: PostHog's body limits: 2 MB for single-event endpoints, 20 MB for ``/batch``.
SINGLE_LIMIT = 2 * 1024 * 1024
BATCH_LIMIT = 20 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_HEX = "[0-9a-fA-F]"
#: What PostHog's capture parses as a UUID: hyphenated, simple, braced or URN form.
_UUID = re.compile(
    rf"(?:urn:uuid:)?(?:{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
    rf"|\{{{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\}}|{_HEX}{{32}})"
)


class BodyError(Exception):
    """A request body we refuse: ``status`` (400/413) and a ``reason`` for the client."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _inflate(data: bytes, wbits: int, limit: int, what: str) -> bytes:
    """Decompress ``data`` producing at most ``limit`` bytes (413 beyond)."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BodyError(400, f"body is not valid {what} data: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyError(413, f"decompressed body is larger than {limit // (1024 * 1024)} MB")
    return out


def _b64decode(text: bytes) -> bytes:
    cleaned = text.strip().replace(b"\n", b"").replace(b"\r", b"")
    cleaned = cleaned.replace(b"-", b"+").replace(b"_", b"/").replace(b" ", b"+")
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise BodyError(400, "body `data` is neither JSON nor valid base64") from None


def _form_data(raw: bytes) -> tuple[bytes, str | None]:
    """The ``data`` field of a form body and its ``compression`` field, if any."""
    try:
        fields = parse_qs(raw.decode("latin-1"), keep_blank_values=True, max_num_fields=16)
    except ValueError as exc:
        raise BodyError(400, f"form body cannot be read: {exc}") from None
    values = fields.get("data")
    if not values:
        raise BodyError(400, "form body has no `data` field")
    compression = fields.get("compression", [None])[0]
    return values[0].encode("latin-1"), compression


def decode_body(
    raw: bytes,
    *,
    limit: int,
    content_encoding: str | None = None,
    content_type: str | None = None,
    compression: str | None = None,
) -> Any:
    """The JSON value a capture request carries (see the module contract)."""
    if len(raw) > limit:
        raise BodyError(413, f"body is larger than {limit // (1024 * 1024)} MB")
    encoding = (content_encoding or "").strip().lower()
    method = (compression or "").strip().lower()
    if method == "lz64":
        raise BodyError(400, "lz64 compression is not supported; use gzip-js or base64")
    data = raw
    if encoding == "gzip" or (method in ("gzip", "gzip-js") and data[:2] == _GZIP_MAGIC):
        data = _inflate(data, 31, limit, "gzip")
    elif encoding == "deflate":
        data = _inflate(data, 15, limit, "deflate")
    elif encoding not in ("", "identity"):
        raise BodyError(400, f"unsupported Content-Encoding {encoding!r}")
    elif data[:2] == _GZIP_MAGIC:
        data = _inflate(data, 31, limit, "gzip")
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    is_form = kind == "application/x-www-form-urlencoded" and data.lstrip()[:1] not in (b"{", b"[")
    if is_form or data[:5] == b"data=":
        data, form_compression = _form_data(data)
        method = (form_compression or method).lower()
        if method == "lz64":
            raise BodyError(400, "lz64 compression is not supported; use gzip-js or base64")
        if method == "base64" or data.lstrip()[:1] not in (b"{", b"["):
            data = _b64decode(data)
        if data[:2] == _GZIP_MAGIC:
            data = _inflate(data, 31, limit, "gzip")
    if not data.strip():
        raise BodyError(400, "body is empty")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, f"body is not valid JSON: {exc}") from None


class CapturedEvent(NamedTuple):
    """One event of a body: its position, the payload, and the API key that applies."""

    position: int
    payload: object
    api_key: str | None


def _key_of(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    for name in ("api_key", "token"):
        key = value.get(name)
        if isinstance(key, str) and key:
            return key
    props = value.get("properties")
    if isinstance(props, dict):
        key = props.get("token")
        if isinstance(key, str) and key:
            return key
    return None


def split_body(body: object) -> list[CapturedEvent]:
    """The events of a decoded body; :class:`BodyError` (400) for a body with none."""
    if not isinstance(body, (dict, list)):
        raise BodyError(400, f"body must be a JSON object or array, got {json_type(body)}")
    outer = _key_of(body) if isinstance(body, dict) and "event" not in body else None
    events: list[CapturedEvent] = []
    for index, payload, problem in body_events(body):
        if problem is not None:
            raise BodyError(400, problem)
        events.append(CapturedEvent(index, payload, _key_of(payload) or outer))
    return events


def distinct_id_of(payload: object) -> object:
    """The distinct id PostHog reads: top-level, else ``properties.distinct_id``."""
    if not isinstance(payload, dict):
        return None
    found = payload.get("distinct_id")
    if found is None:
        props = payload.get("properties")
        if isinstance(props, dict):
            found = props.get("distinct_id")
    return found


def capture_rejection(payload: object) -> str | None:
    """Why PostHog's capture endpoint would refuse this event with a 400, or None."""
    if not isinstance(payload, dict):
        return f"event must be a JSON object, got {json_type(payload)}"
    name = payload.get("event")
    if not isinstance(name, str) or not name:
        return "event has no event name"
    found = distinct_id_of(payload)
    if found is None:
        return "event has no distinct_id"
    if isinstance(found, str) and not found.strip():
        return "event has an empty distinct_id"
    if isinstance(found, (dict, list)):
        return f"distinct_id must be a string or a number, got {json_type(found)}"
    event_uuid = payload.get("uuid")
    if event_uuid is not None:
        if not isinstance(event_uuid, str):
            return f"uuid must be a string, got {json_type(event_uuid)}"
        if _UUID.fullmatch(event_uuid) is None:
            return "uuid is not a valid UUID"
    return None
