"""``trackplan serve``: the registry as a running, PostHog-compatible capture service.

Point an app's PostHog SDK at it (``host=http://127.0.0.1:8000``): every event is
validated against the plan and stored with its verdict in SQLite before the answer is
sent; ``/_trackplan/events`` and ``/_trackplan/stats`` say what broke the plan, and
``--forward`` makes it a validating gateway in front of PostHog. See ``docs/serve.md``.

Modules: :mod:`.bodies` (request decoding and limits), :mod:`.ingest` (verdicts to
rows), :mod:`.store` (SQLite, durable, idempotent), :mod:`.app` (HTTP routes),
:mod:`.guards` (keys, token, rate limit), :mod:`.forward` (outbox to upstream),
:mod:`.reload` (plan reloading), :mod:`.run` (the service), :mod:`.pytest_plugin`
(the ``trackplan_server`` fixture).

Needs the ``serve`` extra (uvicorn, starlette) except :mod:`.store`, which
``trackplan events`` uses to read a store. Imports the registry and the linter's
payload rendering; the registry never imports this package.
"""

from __future__ import annotations

__all__: list[str] = []
