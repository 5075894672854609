"""Clients from factories, getters, annotated globals assigned later."""

from functools import lru_cache

from posthog import Posthog


def _init_client():
    key = "phc_key"
    if not key:
        return None
    return Posthog(key)


_posthog = _init_client()


@lru_cache
def get_posthog():
    return Posthog("phc_key")


_client = None


def setup():
    global _client
    _client = Posthog("phc_key")


def get_client():
    return _client


posthog: Posthog | None = None
if _client is None:
    posthog = _init_client()
