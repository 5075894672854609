"""How every ``trackplan`` run ends: the one place that turns outcomes into exit codes.

Commands return their exit code (0 clean, 1 error-severity findings); anything else that
can end a run is decided here, once, for every command (see the table in
:mod:`trackplan.linter.cli.exit_codes`):

- :class:`CommandFailed` (raised by :func:`trackplan.linter.cli._shared.fail`) and click's
  usage errors: their message on stderr, exit 2.
- stdout's reader went away (``| head``): nothing more is printed, no "Exception ignored"
  at interpreter exit; the exit code is the one the command had already decided
  (:func:`exit_code_if_output_closed`), else 0.
- stdout cannot be written (``> /dev/full``): one line, exit 2.
- Ctrl-C: one line, exit 130.
- any other exception: exit 2 and one line, ``trackplan: internal error: <Type>: <message>
  (...)``; the traceback only with ``--debug`` or ``TRACKPLAN_DEBUG=1``.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import click

__all__ = [
    "DEBUG_ENV",
    "ClosedOutput",
    "CommandFailed",
    "debug_from_env",
    "exit_code_if_output_closed",
    "internal_error_line",
    "run_to_exit_code",
]

#: Set to ``1`` (or ``true``/``yes``) to print the traceback of an internal error.
DEBUG_ENV = "TRACKPLAN_DEBUG"

#: Exit codes decided here (the commands' own 0/1 come from the commands).
USAGE_ERROR = 2
INTERNAL_ERROR = 2
INTERRUPTED = 130

#: An internal error's message is cut to this many characters (it must stay one line).
_MESSAGE_LIMIT = 500


class CommandFailed(Exception):
    """A refusal the user can act on (usage, config, plan, baseline error): ``lines`` go
    to stderr as they are and the run exits with ``code`` (2)."""

    def __init__(self, lines: Sequence[str], code: int = USAGE_ERROR) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        self.code = code


class ClosedOutput(Exception):
    """stdout's reader went away; end quietly with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(f"standard output closed (exit {code})")
        self.code = code


@contextmanager
def exit_code_if_output_closed(code: int) -> Iterator[None]:
    """Write a command's result inside this: if the reader of stdout goes away meanwhile
    (``trackplan lint | head``), the run ends quietly with ``code``, the outcome the
    command had already decided, rather than with 0."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError as exc:
        raise ClosedOutput(code) from exc


def debug_from_env() -> bool:
    """Whether ``TRACKPLAN_DEBUG`` asks for tracebacks."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def internal_error_line(exc: BaseException) -> str:
    """The one line printed for an unexpected exception."""
    try:
        message = " ".join(str(exc).split())
    except Exception:  # an exception whose __str__ fails still gets its one line
        message = "<message cannot be printed>"
    if len(message) > _MESSAGE_LIMIT:
        message = message[: _MESSAGE_LIMIT - 3] + "..."
    what = type(exc).__name__ + (f": {message}" if message else "")
    return (
        f"trackplan: internal error: {what} (run with --debug or {DEBUG_ENV}=1 for the "
        "traceback; please report it)"
    )


def run_to_exit_code(run: Callable[[], object], debug: Callable[[], bool]) -> int:
    """Run ``run`` (the whole command line) and return the process's exit code.

    ``run`` returns a command's exit code (``None`` counts as 0); ``debug()`` tells, after
    the fact, whether ``--debug`` was given.
    """
    try:
        result = run()
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return result if isinstance(result, int) else 0
    except ClosedOutput as exc:
        return exc.code
    except BrokenPipeError:
        return 0
    except CommandFailed as exc:
        _say(*exc.lines)
        return exc.code
    except click.ClickException as exc:  # usage errors: click's own message, always 2
        _try(exc.show)
        return USAGE_ERROR
    except (click.Abort, KeyboardInterrupt):
        _say("trackplan: interrupted")
        return INTERRUPTED
    except SystemExit as exc:  # code that still calls sys.exit: keep its code
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except OSError as exc:
        if _is_output_error(exc):
            _say(f"trackplan: cannot write output: {' '.join(str(exc).split())}")
            return INTERNAL_ERROR
        return _internal_error(exc, debug)
    except Exception as exc:
        return _internal_error(exc, debug)
    finally:
        if _stdout_broken():
            _silence_stdout()


def _internal_error(exc: BaseException, debug: Callable[[], bool]) -> int:
    if _try(debug) or debug_from_env():
        _try(lambda: traceback.print_exception(type(exc), exc, exc.__traceback__))
    _say(internal_error_line(exc))
    return INTERNAL_ERROR


#: Write errors that mean "the output cannot be written" (a full disk, a dead device).
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name)
)


def _is_output_error(exc: OSError) -> bool:
    """A failed write to stdout: its errors carry no file name (opening and reading
    files do), and a full disk or dead device has one of a few codes."""
    return exc.filename is None and (exc.errno in _OUTPUT_ERRNOS or _stdout_broken())


def _stdout_broken() -> bool:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of what is still
    buffered neither fails nor prints "Exception ignored"."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _say(*lines: str) -> None:
    for line in lines:
        _try(lambda line=line: click.echo(line, err=True))  # type: ignore[misc]


def _try(action: Callable[[], object]) -> object:
    """``action()``, or ``None`` if it fails (stderr itself may be gone)."""
    try:
        return action()
    except Exception:
        return None
