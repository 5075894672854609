"""A PostHog capture endpoint on 127.0.0.1 that records what arrives on the wire.

Accepts ``POST /batch/`` (and the other capture paths) with plain or gzip JSON bodies,
answers ``{"status": 1}``, and keeps every event of every batch in arrival order.
Feature flag and other GET/POST endpoints get an empty JSON object.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CAPTURE_PATHS = ("/batch", "/i/v0/e", "/e", "/capture", "/track", "/engage")


class CaptureServer:
    """Start with ``with CaptureServer() as server:``; ``server.url`` is the host."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> CaptureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event received, in order (a batch body's ``batch`` flattened)."""
        with self._lock:
            bodies = list(self.bodies)
        out: list[dict[str, Any]] = []
        for body in bodies:
            if isinstance(body, dict) and isinstance(body.get("batch"), list):
                out.extend(body["batch"])
            elif isinstance(body, list):
                out.extend(body)
            else:
                out.append(body)
        return out

    def named(self, name: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event.get("event") == name]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until at least ``count`` events arrived; return them all."""
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.events

    def _record(self, method: str, path: str, body: Any) -> None:
        with self._lock:
            self.requests.append((method, path))
            if body is not None:
                self.bodies.append(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, payload: object) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                server._record("GET", self.path, None)
                self._reply({})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?", 1)[0].rstrip("/")
                if path not in CAPTURE_PATHS:
                    server._record("POST", self.path, None)
                    self._reply({})
                    return
                if raw[:2] == b"\x1f\x8b" or "compression=gzip" in self.path:
                    raw = gzip.decompress(raw)
                server._record("POST", self.path, json.loads(raw))
                self._reply({"status": 1})

        return Handler
