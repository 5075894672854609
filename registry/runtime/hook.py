"""The PostHog ``before_send`` hook that validates every message against the plan.

``Posthog(key, before_send=ValidationHook(registry))`` or
``posthog.before_send = ValidationHook(registry)``. The SDK calls the hook once per
message (capture, set, set_once, alias, group_identify, exceptions, feature flag
calls) after adding its own properties, on the caller's thread or one of its worker
threads. The hook:

- runs an existing ``before_send`` first (``chain``) and validates what it returns;
- relies on the registry's fast path (violation details are built only for failures);
- acts per violation according to a :class:`ModePolicy` (ignore/warn/tag/drop/strict);
- never raises (every exception is caught and counted; the event is then sent as
  it was, or dropped if a chained hook failed, as PostHog 7.x does), and never
  blocks on I/O (log lines go through :class:`LogSink`);
- counts events and violations by event and code (:attr:`stats`).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.runtime.counters import HookCounters, HookStats
from trackplan.registry.runtime.log_sink import LogSink
from trackplan.registry.runtime.modes import Mode, ModePolicy

__all__ = [
    "TAG_PROPERTY",
    "BeforeSend",
    "PayloadRegistry",
    "ValidationHook",
    "Verdict",
]

TAG_PROPERTY = "$trackplan_violations"
LOGGER_NAME = "trackplan.runtime"

Message = dict[str, Any]
BeforeSend = Callable[[Message], Any]
Outcome = Literal["sent", "tagged", "dropped"]


class _Result(Protocol):
    @property
    def event(self) -> str | None: ...
    @property
    def valid(self) -> bool: ...
    @property
    def violations(self) -> Sequence[Diagnostic]: ...


class PayloadRegistry(Protocol):
    """What the hook needs of :class:`trackplan.registry.validation.Registry`."""

    def validate(self, payload: object) -> _Result: ...


@dataclass(frozen=True)
class Verdict:
    """What the hook decided for one message.

    ``actions`` pairs each violation with its mode (``ignore`` included);
    ``outcome`` is what happened to the event.
    """

    event: str | None
    distinct_id: str | None
    valid: bool
    actions: tuple[tuple[Diagnostic, Mode], ...]
    outcome: Outcome

    @property
    def violations(self) -> tuple[Diagnostic, ...]:
        return tuple(diag for diag, _ in self.actions)

    def with_mode(self, mode: Mode) -> tuple[Diagnostic, ...]:
        """The violations handled in ``mode``."""
        return tuple(diag for diag, chosen in self.actions if chosen is mode)


Observer = Callable[[Message, Verdict], None]


def _slugs() -> dict[str, str]:
    try:
        from trackplan.registry.rules import catalogue

        return {code: rule.slug for code, rule in catalogue().items()}
    except Exception:  # the hook works without the catalogue's slugs
        return {}


class ValidationHook:
    """A ``before_send`` callable built from a payload registry.

    ``mode`` is the default for error and warning findings; ``severity_modes`` and
    ``code_modes`` override it (``{"TP203": "tag"}``); info findings are ignored
    unless configured. ``observer`` is called with every message and its
    :class:`Verdict` (the pytest plugin uses it); its exceptions are swallowed too.
    """

    def __init__(
        self,
        registry: PayloadRegistry,
        *,
        mode: Mode | str = Mode.WARN,
        severity_modes: Mapping[Severity | str, Mode | str] | None = None,
        code_modes: Mapping[str, Mode | str] | None = None,
        policy: ModePolicy | None = None,
        chain: BeforeSend | None = None,
        logger: logging.Logger | None = None,
        observer: Observer | None = None,
        log_capacity: int = 10_000,
        summary_interval: float | None = None,
        strict_capacity: int = 10_000,
    ) -> None:
        self._fast_check: Callable[[Any], Callable[[object], bool] | None] | None = None
        self._registry = registry
        self._chain = chain
        self._observer = observer
        self.policy = policy or ModePolicy.build(mode, severity_modes, code_modes)
        self._counters = HookCounters()
        self._count_valid = self._counters.seen_valid
        self._refresh_fast_path()
        self._log = LogSink(
            logger or logging.getLogger(LOGGER_NAME),
            capacity=log_capacity,
            summary=self.summary_line,
            summary_interval=summary_interval,
        )
        if summary_interval:
            self._log.start_summaries()
        self._strict: deque[Verdict] = deque(maxlen=strict_capacity)
        self._slugs = _slugs()

    @classmethod
    def from_plan(cls, plan: str | Path, **options: Any) -> ValidationHook:
        """A hook for the plan at ``plan`` (raises ``PlanError`` on a broken plan)."""
        from trackplan.registry.validation import Registry

        return cls(Registry.load(plan), **options)

    # -- configuration (each change re-derives the fast path) ------------------

    @property
    def registry(self) -> PayloadRegistry:
        return self._registry

    @registry.setter
    def registry(self, registry: PayloadRegistry) -> None:
        self._registry = registry
        self._refresh_fast_path()

    @property
    def chain(self) -> BeforeSend | None:
        """The app's own ``before_send``, run first."""
        return self._chain

    @chain.setter
    def chain(self, chain: BeforeSend | None) -> None:
        self._chain = chain
        self._refresh_fast_path()

    @property
    def observer(self) -> Observer | None:
        """Called with every message and its :class:`Verdict` (the pytest plugin)."""
        return self._observer

    @observer.setter
    def observer(self, observer: Observer | None) -> None:
        self._observer = observer
        self._refresh_fast_path()

    def _refresh_fast_path(self) -> None:
        """Use the registry's per-event checks when nothing else must see each event.

        ``Registry.clean_checks`` maps a planned event name to the engine's
        ``is_valid``; True means ``validate`` would report nothing, so the hook can
        count the event and return it without building a result. Registries without
        it (or a hook with a chain or an observer) always take :meth:`process`.
        """
        fast: Callable[[Any], Callable[[object], bool] | None] | None = None
        if self._chain is None and self._observer is None:
            try:
                checks = getattr(self._registry, "clean_checks", None)
                if callable(checks):
                    table = checks()  # the registry's own table: it fills it in place
                    if table:
                        fast = table.get
            except Exception:
                fast = None  # validate every event the ordinary way
        self._fast_check = fast

    # -- the SDK-facing callable ---------------------------------------------

    def __call__(self, msg: Message) -> Message | None:
        # The common production case: a planned event the engine accepts costs one
        # table lookup, one jsonschema-rs ``is_valid`` and one lock-free count step.
        fast_check = self._fast_check
        if fast_check is not None:
            try:
                check = fast_check(msg.get("event"))
                if check is not None and check(msg):
                    self._count_valid()
                    return msg
            except Exception:
                pass  # ``process`` validates again, and counts and logs any failure
        return self.process(msg, self._chain)

    def chained(self, before_send: BeforeSend | None) -> Callable[[Message], Message | None]:
        """A ``before_send`` that runs ``before_send`` first, sharing this hook's state."""
        if before_send is None:
            return self

        def hook(msg: Message) -> Message | None:
            return self.process(msg, before_send)

        hook.__trackplan_chain__ = before_send  # type: ignore[attr-defined]
        return hook

    def process(self, msg: Message, chain: BeforeSend | None) -> Message | None:
        """Run ``chain`` then validate; the body of every ``before_send`` call."""
        if chain is not None:
            try:
                returned = chain(msg)
            except Exception as exc:
                self._counters.error()
                self._log.emit(
                    logging.ERROR,
                    "trackplan: the chained before_send raised %s; event dropped",
                    type(exc).__name__,
                )
                return None
            if returned is None:
                self._counters.chain_drop()
                return None
            if not isinstance(returned, dict):
                return returned  # type: ignore[no-any-return]  # the SDK reports it
            msg = returned
        try:
            return self._validate(msg)
        except Exception as exc:
            self._counters.error()
            self._log.emit(
                logging.ERROR,
                "trackplan: validation failed with %s; event sent unchecked",
                type(exc).__name__,
            )
            return msg

    # -- validation ----------------------------------------------------------

    def _validate(self, msg: Message) -> Message | None:
        # ``validate`` answers a valid payload with a result built once per event, so
        # this is the fast path too; it also carries warnings such as TP205.
        result = self._registry.validate(msg)
        if not result.violations:
            self._counters.seen_valid()
            if self._observer is not None:
                self._observe(msg, Verdict(result.event, _distinct(msg), True, (), "sent"))
            return msg
        event = result.event if isinstance(result.event, str) else _event(msg)
        mode_for = self.policy.mode_for
        actions = tuple((diag, mode_for(diag)) for diag in result.violations)
        modes = {mode for _, mode in actions}
        outcome: Outcome = (
            "dropped" if Mode.DROP in modes else "tagged" if Mode.TAG in modes else "sent"
        )
        # The outcome is decided: from here on nothing may turn a drop into a send.
        try:
            self._counters.seen_with_violations(
                event or "",
                [diag.code for diag in result.violations],
                invalid=not result.valid,
                dropped=outcome == "dropped",
                tagged=outcome == "tagged",
            )
            verdict = Verdict(event, _distinct(msg), result.valid, actions, outcome)
            self._log_violations(event, actions, outcome)
            if Mode.STRICT in modes:
                self._strict.append(verdict)
            if self._observer is not None:
                self._observe(msg, verdict)
        except Exception as exc:
            self._counters.error()
            self._log.emit(
                logging.ERROR, "trackplan: recording a verdict failed with %s", type(exc).__name__
            )
            verdict = Verdict(event, None, result.valid, actions, outcome)
        if outcome == "dropped":
            return None
        if outcome == "tagged":
            try:
                return _tagged(msg, verdict.with_mode(Mode.TAG))
            except Exception:
                self._counters.error()
                return msg  # tagging failed: sent as it was, and counted as an error
        return msg

    def _log_violations(
        self, event: str | None, actions: tuple[tuple[Diagnostic, Mode], ...], outcome: Outcome
    ) -> None:
        verb = "dropped event" if outcome == "dropped" else "event"
        for diag, mode in actions:
            if mode is Mode.WARN or mode is Mode.DROP:
                # Never the message: it can quote property values, which may be PII.
                self._log.emit(
                    logging.WARNING,
                    "trackplan: %s %r: %s at %s (%s)",
                    verb,
                    event,
                    diag.code,
                    diag.pointer or "/",
                    self._slugs.get(diag.code, diag.severity.value),
                )

    def _observe(self, msg: Message, verdict: Verdict) -> None:
        try:
            self._observer(msg, verdict)  # type: ignore[misc]
        except Exception:
            self._counters.error()

    # -- reading the state ---------------------------------------------------

    @property
    def stats(self) -> HookStats:
        """A snapshot of the counters (events, invalid, dropped, by event and code)."""
        return self._counters.snapshot(self._log.lost)

    def reset_stats(self) -> None:
        self._counters.reset()

    def take_strict(self) -> list[Verdict]:
        """The verdicts recorded in ``strict`` mode since the last call, oldest first."""
        taken: list[Verdict] = []
        while True:
            try:
                taken.append(self._strict.popleft())
            except IndexError:
                return taken

    def drain_logs(self, timeout: float = 5.0) -> bool:
        """Wait until queued log lines are written (tests, shutdown)."""
        return self._log.drain(timeout)

    def summary_line(self) -> str | None:
        """One line summing up the violations so far, or None when there were none."""
        stats = self.stats
        if not stats.invalid_events:
            return None
        codes = ", ".join(f"{code}={n}" for code, n in stats.by_code().items())
        return (
            f"trackplan: {stats.invalid_events} of {stats.events} events broke the plan"
            f" ({stats.dropped} dropped, {stats.tagged} tagged): {codes}"
        )


def _event(msg: Message) -> str | None:
    event = dict.get(msg, "event") if isinstance(msg, dict) else None
    return str.__str__(event) if isinstance(event, str) else None


def _distinct(msg: Message) -> str | None:
    distinct_id = dict.get(msg, "distinct_id") if isinstance(msg, dict) else None
    return str.__str__(distinct_id) if isinstance(distinct_id, str) else None


def _tagged(msg: Message, violations: tuple[Diagnostic, ...]) -> Message:
    """A copy of ``msg`` whose properties list each violation's code and path."""
    tagged = dict(msg)
    properties = dict.get(msg, "properties")
    tagged_properties = dict(properties) if isinstance(properties, dict) else {}
    tagged_properties[TAG_PROPERTY] = [
        {"code": diag.code, "path": diag.pointer or "/"} for diag in violations
    ]
    tagged["properties"] = tagged_properties
    return tagged
