"""The plan a server validates with, and ``--reload``: swap it when its files change.

Contract: :class:`PlanHolder` holds the current :class:`Registry`. :meth:`PlanHolder.watch`
polls the plan files (path, size, mtime) and, on a change, loads the plan in a worker
thread. A plan that loads replaces the old one for the next request; a broken plan
(TP001/TP002/TP003, or one the engine cannot compile) keeps the old one serving and
logs each diagnostic as ``path:line:col: CODE message``. Requests never see a
half-loaded plan: the swap is one attribute assignment.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from trackplan.registry.errors import PlanError
from trackplan.registry.loader import plan_files
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry

__all__ = ["PlanHolder"]

log = logging.getLogger("trackplan.server")

Signature = tuple[tuple[str, int, int], ...]


class PlanHolder:
    """The serving registry, reloadable."""

    def __init__(self, path: Path, policy: RulePolicy | None, registry: Registry) -> None:
        self.path, self.policy, self.registry = path, policy, registry
        self.reloads = 0
        self._signature = self.signature()

    def signature(self) -> Signature:
        files, _problems = plan_files([self.path])
        out: list[tuple[str, int, int]] = []
        for file in files:
            try:
                st = file.stat()
            except OSError:
                continue
            out.append((str(file), st.st_size, st.st_mtime_ns))
        return tuple(out)

    def reload_now(self) -> bool:
        """Load the plan again; True when the new one is serving."""
        try:
            registry = Registry.load(self.path, self.policy)
        except PlanError as exc:
            log.error("plan not reloaded, the old plan keeps serving:")
            for diag in exc.diagnostics:
                if diag.is_error:
                    where = diag.path or str(self.path)
                    if diag.line is not None:
                        where += f":{diag.line}:{diag.column or 1}"
                    log.error("%s: %s %s", where, diag.code, diag.message)
            return False
        except Exception as exc:  # a plan the engine cannot compile
            log.error("plan not reloaded (cannot be compiled: %s); the old plan keeps serving", exc)
            return False
        self.registry = registry
        self.reloads += 1
        log.info("plan reloaded: %d events", len(registry.plan.events))
        return True

    async def watch(self, interval: float = 0.5) -> None:
        """Poll the plan files until cancelled, reloading on a change."""
        while True:
            await asyncio.sleep(interval)
            current = await asyncio.to_thread(self.signature)
            if current != self._signature:
                self._signature = current
                await asyncio.to_thread(self.reload_now)
