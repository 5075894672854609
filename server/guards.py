"""Who may send and who may ask: API-key allowlist, query token, rate limit.

Contract:
- :func:`is_loopback` says whether a bind address only accepts local connections.
- :class:`KeyAllowlist`: with keys configured, every event of a capture request must
  carry one of them (``api_key``/``token`` on the body or the event, or
  ``properties.token``); otherwise the request is a 401. Without keys, anything goes.
- :func:`token_ok`: the ``/_trackplan/*`` API needs ``Authorization: Bearer TOKEN``
  when a token is set (the server refuses to bind a non-loopback address without one).
  Compared in constant time.
- :class:`RateLimiter`: a token bucket per client address (``rate`` requests per second,
  bursts of ``2 * rate``); over it, the request is a 429 with ``Retry-After``.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Iterable

__all__ = ["KeyAllowlist", "RateLimiter", "is_loopback", "token_ok"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_ok(expected: str | None, authorization: str | None) -> bool:
    if expected is None:
        return True
    if not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


class KeyAllowlist:
    """The API keys capture accepts (empty: every key, and none)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)

    def refused(self, keys: Iterable[str | None]) -> bool:
        """True when some event's key is missing or not allowed."""
        if not self.keys:
            return False
        allowed = self.keys
        return any(key is None or key not in allowed for key in keys)


class RateLimiter:
    """Token buckets per client address."""

    _MAX_CLIENTS = 10_000

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.burst = max(2.0 * rate, 1.0)
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait_needed(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it could."""
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._buckets) >= self._MAX_CLIENTS and client not in self._buckets:
            self._buckets.clear()
        self._buckets[client] = (tokens - 1.0, now)
        return 0.0
