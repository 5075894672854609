"""A running server: plan, store, forwarder and the ASGI server, started and stopped together.

Contract: :class:`Service` opens the store (:class:`~trackplan.server.store.StoreError`
for a file that cannot be one), binds its socket before anything else (so ``port=0``
gets a free port whose number is known at once, and connections made before the first
request is served wait in the backlog), and runs uvicorn on it either in the calling
thread (:meth:`Service.run`, stopped by SIGINT/SIGTERM) or in a background thread
(:meth:`Service.start`/:meth:`Service.stop`, what the pytest fixture uses).

uvicorn runs with its access log off: request lines can carry values in query strings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from starlette.routing import BaseRoute
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry
from trackplan.server.app import AppSettings, create_app
from trackplan.server.forward import Forwarder
from trackplan.server.guards import is_loopback
from trackplan.server.ingest import ForwardMode
from trackplan.server.reload import PlanHolder
from trackplan.server.store import Store

__all__ = ["ServeOptions", "Service", "configure_logging"]

log = logging.getLogger("trackplan.server")


@dataclass
class ServeOptions:
    """Everything ``trackplan serve`` takes (see ``docs/serve.md``)."""

    plan: Path
    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: frozenset[str] = frozenset()
    token: str | None = None
    forward: str | None = None
    forward_mode: ForwardMode = ForwardMode.ALL
    forward_api_key: str | None = None
    forward_timeout: float = 10.0
    forward_min_backoff: float = 0.5
    forward_max_backoff: float = 60.0
    reload: bool = False
    reload_interval: float = 0.5
    rate_limit: float | None = None
    max_body: int | None = None
    max_db_bytes: int | None = None
    busy_timeout: float = 2.0
    fsync: bool = False
    policy: RulePolicy | None = None
    extra_routes: Sequence[BaseRoute] = field(default_factory=tuple)

    def problems(self) -> list[str]:
        """Why these options cannot be served, one line each (empty: fine)."""
        found = []
        if not is_loopback(self.host) and not self.token:
            found.append(
                f"--host {self.host} is not a loopback address: the /_trackplan API then needs"
                " --token (or TRACKPLAN_SERVE_TOKEN)"
            )
        return found

    @property
    def effective_rate_limit(self) -> float:
        """Requests per second per client: off on loopback unless set, else 100 by default."""
        if self.rate_limit is not None:
            return self.rate_limit
        return 0.0 if is_loopback(self.host) else 100.0


def configure_logging(level: int = logging.INFO) -> None:
    logger = logging.getLogger("trackplan.server")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("trackplan serve: %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


class Service:
    """One server (see the module contract)."""

    def __init__(self, options: ServeOptions, registry: Registry | None = None) -> None:
        self.options = options
        registry = registry or Registry.load(options.plan, options.policy)
        self.plan = PlanHolder(options.plan, options.policy, registry)
        self.forwarder: Forwarder | None = None
        self.store = Store(
            options.db,
            busy_timeout=options.busy_timeout,
            max_bytes=options.max_db_bytes,
            fsync=options.fsync,
            on_outbox=self._wake_forwarder,
        )
        if options.forward:
            self.forwarder = Forwarder(
                self.store,
                options.forward,
                options.forward_mode,
                api_key=options.forward_api_key,
                timeout=options.forward_timeout,
                min_backoff=options.forward_min_backoff,
                max_backoff=options.forward_max_backoff,
            )
        settings = AppSettings(
            api_keys=options.api_keys,
            token=options.token,
            forward=options.forward_mode if options.forward else None,
            rate_limit=options.effective_rate_limit,
            max_body=options.max_body,
            extra_routes=options.extra_routes,
        )
        self.app = create_app(self.plan, self.store, settings)
        self.socket = self._bind()
        self.port: int = self.socket.getsockname()[1]
        self._server: object = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def _wake_forwarder(self) -> None:
        if self.forwarder is not None:
            self.forwarder.wake()

    def _bind(self) -> socket.socket:
        host = self.options.host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio turns on TCP_NODELAY only for sockets that say so,
        # and without it small answers wait for delayed ACKs (about 40 ms each).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, self.options.port))
            sock.listen(2048)
        except OSError:
            sock.close()
            self.store.close()
            raise
        sock.set_inheritable(True)
        return sock

    async def _serve(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_keep_alive=30,
            # Bounds the memory of concurrent bodies; past it uvicorn answers 503.
            limit_concurrency=1024,
        )
        server = uvicorn.Server(config)
        self._server = server
        watcher = None
        if self.options.reload:
            watcher = asyncio.create_task(self.plan.watch(self.options.reload_interval))
        try:
            await server.serve(sockets=[self.socket])
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher

    def run(self) -> None:
        """Serve in this thread until SIGINT/SIGTERM; then close everything."""
        if self.forwarder is not None:
            self.forwarder.start()
        # uvicorn handles SIGINT/SIGTERM while serving and raises them again once it has
        # shut down; these handlers make that a clean exit 0 after closing the store.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: None)
        try:
            asyncio.run(self._serve())
        finally:
            self.close()

    def start(self) -> None:
        """Serve in a background thread (see :meth:`stop`)."""
        if self.forwarder is not None:
            self.forwarder.start()
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._serve()), name="trackplan-serve", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server = self._server
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(timeout=15)
        self.close()

    def close(self) -> None:
        if self.forwarder is not None:
            self.forwarder.stop()
            self.forwarder = None
        self.store.close()
        with contextlib.suppress(OSError):
            self.socket.close()
