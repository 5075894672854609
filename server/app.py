"""The HTTP application: PostHog's capture endpoints and the ``/_trackplan`` query API.

Contract:
- ``POST`` (or ``GET`` with ``?data=``, posthog-js's image beacon) to ``/i/v0/e``,
  ``/e``, ``/capture``, ``/track``, ``/engage`` (2 MB bodies) and ``/batch``,
  ``/i/v0/batch`` (20 MB), each with or without the trailing slash: the body
  is decoded (:mod:`~trackplan.server.bodies`), every event validated and stored
  (:mod:`~trackplan.server.ingest`, :mod:`~trackplan.server.store`), and only then the
  answer sent: 200 ``{"status": 1}``; 400 with ``detail`` for a body or an event PostHog
  would refuse; 401 for a key outside ``--api-key``; 413 over the size limits; 429 over
  the rate limit; 503 when the store could not commit (nothing was stored).
- ``GET /_trackplan/events`` (filters ``event``, ``valid``, ``code``, ``distinct_id``,
  ``after``, ``limit``: default 10,000, at most 100,000; page on with ``after`` = the
  last ``id``), ``GET /_trackplan/stats``, ``DELETE /_trackplan/events``,
  ``GET /_trackplan/health``; a bearer token is required when one is configured.
- ``POST /i/v1/analytics/events`` (capture v1, 20 MB): the key comes from
  ``Authorization: Bearer``; events are accepted or refused one by one and the answer is
  ``{"results": {uuid: {"result": "ok"|"drop", "details"?}}}``.
- ``/flags`` and ``/decide`` answer "no feature flags" so SDKs that ask do not log errors.
- Logs carry event names, codes and JSON pointers, never property values.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from trackplan.server.bodies import (
    BATCH_LIMIT,
    SINGLE_LIMIT,
    BodyError,
    CapturedEvent,
    decode_body,
    split_body,
)
from trackplan.server.guards import KeyAllowlist, RateLimiter, token_ok
from trackplan.server.ingest import ForwardMode, build_rows
from trackplan.server.reload import PlanHolder
from trackplan.server.store import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    EventFilter,
    Store,
    StoreError,
    StoreUnavailable,
)

__all__ = ["CAPTURE_PATHS", "V1_PATH", "AppSettings", "create_app"]

log = logging.getLogger("trackplan.server")

#: Capture endpoints and their body limit (each also answers with a trailing slash).
CAPTURE_PATHS: dict[str, int] = {
    "/i/v0/e": SINGLE_LIMIT,
    "/e": SINGLE_LIMIT,
    "/capture": SINGLE_LIMIT,
    "/track": SINGLE_LIMIT,
    "/engage": SINGLE_LIMIT,
    "/batch": BATCH_LIMIT,
    "/i/v0/batch": BATCH_LIMIT,
}
#: Capture v1 (posthog-python's opt-in ``capture_mode="v1"``): key in ``Authorization:
#: Bearer``, body ``{"created_at", "batch"}``, answered per event by uuid.
V1_PATH = "/i/v1/analytics/events"
_OK = b'{"status":1}'
_NO_FLAGS = {
    "flags": {},
    "featureFlags": {},
    "featureFlagPayloads": {},
    "errorsWhileComputingFlags": False,
    "supportedCompression": ["gzip", "gzip-js"],
    "sessionRecording": False,
}
_JSON = "application/json"


@dataclass
class AppSettings:
    """What the application needs beyond the plan and the store."""

    api_keys: frozenset[str] = frozenset()
    token: str | None = None
    forward: ForwardMode | None = None
    rate_limit: float = 0.0
    max_body: int | None = None
    extra_routes: Sequence[BaseRoute] = field(default_factory=tuple)


def _error(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps({"type": "validation_error", "code": code, "detail": detail})
    return Response(body, status, headers=headers, media_type=_JSON)


def _json(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status, media_type=_JSON)


def _cors(request: Request, response: Response) -> Response:
    origin = request.headers.get("origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


#: Bytes of an oversized body read and dropped before answering 413, so the client is
#: still sending when the answer comes (closing on it early makes it see a broken pipe).
_DRAIN = 32 * 1024 * 1024


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, or :class:`BodyError` 413 once it passes ``limit`` (memory stays bounded)."""
    declared = request.headers.get("content-length")
    too_big = declared is not None and declared.isdigit() and int(declared) > limit + _DRAIN
    chunks: list[bytes] = []
    size = 0
    if not too_big:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                chunks.clear()
                too_big = size > limit + _DRAIN
                if too_big:
                    break
                continue
            chunks.append(chunk)
    if too_big or size > limit:
        raise BodyError(413, f"body is larger than {limit // (1024 * 1024)} MB")
    return b"".join(chunks)


def _with_bearer_key(events: list[CapturedEvent], authorization: str | None) -> list[CapturedEvent]:
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return events
    return [e if e.api_key else e._replace(api_key=key.strip()) for e in events]


def _v1_results(events: Sequence[CapturedEvent], ingested: Any) -> dict[str, Any]:
    """Capture v1's per-event answer: ``drop`` with the reason for refused events."""
    results: dict[str, Any] = {}
    for captured, refused in zip(events, ingested.refusals, strict=True):
        payload = captured.payload
        uuid = payload.get("uuid") if isinstance(payload, dict) else None
        if isinstance(uuid, str):
            results[uuid] = (
                {"result": "ok"} if refused is None else {"result": "drop", "details": refused}
            )
    return results


def _log_invalid(results: Sequence[Any]) -> None:
    for result in results:
        if result.violations and not result.valid:
            found = ", ".join(f"{d.code} {d.pointer or '/'}" for d in result.violations)
            name = result.event if result.event is None else result.event[:200]
            log.info("event %r breaks the plan: %s", name, found)


def create_app(plan: PlanHolder, store: Store, settings: AppSettings) -> Starlette:
    """The Starlette application of one server."""
    allowlist = KeyAllowlist(settings.api_keys)
    limiter = RateLimiter(settings.rate_limit) if settings.rate_limit > 0 else None

    def capture_endpoint(limit: int, v1: bool = False) -> Callable[[Request], Awaitable[Response]]:
        if settings.max_body is not None:
            limit = min(limit, settings.max_body)

        async def capture(request: Request) -> Response:
            if limiter is not None:
                client = request.client.host if request.client else ""
                wait = limiter.wait_needed(client)
                if wait:
                    retry = {"Retry-After": str(max(1, round(wait)))}
                    return _error(429, "rate_limited", "too many requests", retry)
            try:
                headers = request.headers
                encoding: str | None
                kind: str | None
                if request.method == "GET":  # image beacons: ?data=<base64 or JSON>
                    data = request.query_params.get("data")
                    if not data:
                        raise BodyError(400, "GET capture needs a `data` query parameter")
                    raw = b"data=" + urllib.parse.quote(data).encode()
                    encoding, kind = None, "application/x-www-form-urlencoded"
                else:
                    raw = await _read_capped(request, limit)
                    encoding = headers.get("content-encoding")
                    kind = headers.get("content-type")
                body = decode_body(
                    raw,
                    limit=limit,
                    content_encoding=encoding,
                    content_type=kind,
                    compression=(
                        request.query_params.get("compression")
                        if request.scope.get("query_string")
                        else None
                    ),
                )
                events = split_body(body)
                if v1:
                    events = _with_bearer_key(events, request.headers.get("authorization"))
            except BodyError as exc:
                log.info("capture request refused (HTTP %d): %s", exc.status, exc.reason)
                code = "payload_too_large" if exc.status == 413 else "invalid_payload"
                return _cors(request, _error(exc.status, code, exc.reason))
            if allowlist.refused(e.api_key for e in events):
                log.info("capture request refused: API key not allowed")
                return _cors(request, _error(401, "invalid_api_key", "API key is not allowed"))
            received_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            ingested = build_rows(
                events, plan.registry, received_at, settings.forward, per_event=v1
            )
            try:
                await store.add(ingested.rows)
            except StoreUnavailable as exc:
                log.error("%s; answered 503", exc)
                return _error(503, "store_unavailable", str(exc), {"Retry-After": "1"})
            _log_invalid(ingested.results)
            if ingested.rejection is not None:
                log.info("capture request refused (HTTP 400): %s", ingested.rejection)
                return _cors(request, _error(400, "invalid_payload", ingested.rejection))
            if v1:
                return _cors(request, _json({"results": _v1_results(events, ingested)}))
            return _cors(request, Response(_OK, 200, media_type=_JSON))

        return capture

    async def flags(request: Request) -> Response:
        # No feature flags here: SDKs asking (/flags, /decide) get an empty, well-formed
        # answer instead of a 404, and posthog-js learns it may send gzip.
        return _cors(request, _json(_NO_FLAGS))

    async def preflight(request: Request) -> Response:
        response = Response(status_code=204)
        response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "access-control-request-headers", "Content-Type"
        )
        return _cors(request, response)

    def guarded(
        handler: Callable[[Request], Response],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if not token_ok(settings.token, request.headers.get("authorization")):
                return _error(401, "unauthorized", "this API needs `Authorization: Bearer TOKEN`")
            try:
                return await asyncio.to_thread(handler, request)
            except StoreError as exc:
                return _error(503, "store_unavailable", str(exc))
            except StoreUnavailable as exc:
                return _error(503, "store_unavailable", str(exc), {"Retry-After": "1"})

        return endpoint

    def list_events(request: Request) -> Response:
        try:
            where = _filter(request.query_params)
        except ValueError as exc:
            return _error(400, "invalid_query", str(exc))
        return _json({"events": store.events(where)})

    def delete_events(request: Request) -> Response:
        return _json({"deleted": store.reset()})

    def stats(request: Request) -> Response:
        found = store.stats()
        found["duplicates"] = store.duplicates
        return _json(found)

    def health(request: Request) -> Response:
        registry = plan.registry
        return _json({"status": "ok", "plan": str(plan.path), "events": len(registry.plan.events)})

    routes: list[BaseRoute] = []
    for path, limit in CAPTURE_PATHS.items():
        endpoint = capture_endpoint(limit)
        for variant in (path, path + "/"):
            routes.append(Route(variant, endpoint, methods=["POST", "GET"]))
            routes.append(Route(variant, preflight, methods=["OPTIONS"]))
    v1 = capture_endpoint(BATCH_LIMIT, v1=True)
    for variant in (V1_PATH, V1_PATH + "/"):
        routes.append(Route(variant, v1, methods=["POST"]))
        routes.append(Route(variant, preflight, methods=["OPTIONS"]))
    for path in ("/flags", "/decide"):
        for variant in (path, path + "/"):
            routes.append(Route(variant, flags, methods=["GET", "POST"]))
            routes.append(Route(variant, preflight, methods=["OPTIONS"]))
    routes += [
        Route("/_trackplan/events", guarded(list_events), methods=["GET"]),
        Route("/_trackplan/events", guarded(delete_events), methods=["DELETE"]),
        Route("/_trackplan/stats", guarded(stats), methods=["GET"]),
        Route("/_trackplan/health", guarded(health), methods=["GET"]),
        *settings.extra_routes,
    ]
    return Starlette(routes=routes)


_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _int(value: str, name: str, low: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"`{name}` must be an integer, got {value!r}") from None
    if number < low:
        raise ValueError(f"`{name}` must be at least {low}")
    return number


def _filter(params: Any) -> EventFilter:
    valid: bool | None = None
    raw_valid = params.get("valid")
    if raw_valid is not None:
        lowered = raw_valid.lower()
        if lowered not in _TRUE | _FALSE:
            raise ValueError(f"`valid` must be true or false, got {raw_valid!r}")
        valid = lowered in _TRUE
    limit = _int(params["limit"], "limit", 1) if "limit" in params else DEFAULT_LIMIT
    return EventFilter(
        event=params.get("event"),
        valid=valid,
        code=params.get("code"),
        distinct_id=params.get("distinct_id"),
        after=_int(params["after"], "after", 0) if "after" in params else 0,
        limit=min(limit, MAX_LIMIT),
    )
