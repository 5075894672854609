"""Helpers shared by the serve tests: raw HTTP, the CLI as a real subprocess."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "plans" / "saas"
TRACKPLAN = str(Path(sys.executable).with_name("trackplan"))

VALID = {"event": "user_logged_in", "distinct_id": "u-1", "properties": {"login_method": "sso"}}
INVALID = {"event": "user_logged_in", "distinct_id": "u-1", "properties": {"login_method": "fax"}}


def post(
    url: str, path: str, body: bytes | dict[str, Any] | list[Any], **headers: str
) -> tuple[int, Any]:
    """POST raw bytes (or JSON) over real HTTP; the status and the decoded JSON answer."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url + path, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def get(url: str, path: str, **headers: str) -> tuple[int, Any]:
    request = urllib.request.Request(url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class ServerProcess:
    """``trackplan serve`` as a real subprocess on a free port, its stderr collected."""

    def __init__(self, db: Path, *args: str, plan: Path = PLAN, cwd: Path | None = None) -> None:
        self.db, self.args, self.plan, self.cwd = db, args, plan, cwd
        self.lines: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self, timeout: float = 30.0) -> ServerProcess:
        argv = [TRACKPLAN, "serve", "--plan", str(self.plan), "--db", str(self.db)]
        if "--port" not in self.args:
            argv += ["--port", "0"]
        self.proc = subprocess.Popen(
            [*argv, *self.args],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=self.cwd,
        )
        started = threading.Event()

        def drain() -> None:
            assert self.proc is not None and self.proc.stderr is not None
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                found = re.search(r"listening on (http://\S+)", line)
                if found:
                    self.url = found.group(1)
                    started.set()
            started.set()

        threading.Thread(target=drain, daemon=True).start()
        if not started.wait(timeout) or not self.url:
            self.stop()
            raise AssertionError("server did not start:\n" + "\n".join(self.lines))
        return self

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_log(self, pattern: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"no log line matching {pattern!r}:\n{self.log}")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        return self.proc.returncode

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def raw_request(url: str, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    """One request on its own connection (for hand-made headers); the status."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()
