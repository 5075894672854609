"""The exit codes of every ``trackplan`` command: the one table.

The rule is the same for every command: 0 clean, 1 error-severity findings, 2 the run
was refused or failed (how runs end is decided in :mod:`trackplan.linter.cli._exit`).
What each code means per command is :data:`EXIT_CODES`; README.md ("CLI reference")
and docs/cli.md show it rendered by :func:`render_exit_code_table` between
``<!-- exit-codes:start -->`` and ``<!-- exit-codes:end -->``
(``python scripts/update_cli_docs.py`` rewrites both; tests/cli checks they agree and
that every command has a row). Adding a command: add its row here, run the script.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMON", "EXIT_CODES", "NEVER", "ExitCodes", "render_exit_code_table"]

#: For a code a command never uses.
NEVER = "never"


@dataclass(frozen=True)
class ExitCodes:
    """What exit codes 0, 1 and 2 mean for one command."""

    command: str
    clean: str
    findings: str
    refused: str


EXIT_CODES: tuple[ExitCodes, ...] = (
    ExitCodes(
        "check",
        "no finding has error severity",
        "a finding has error severity",
        "a plan path does not exist; a config error; `--against REF` cannot be read",
    ),
    ExitCodes(
        "lint",
        "no reported finding has error severity; `--write-baseline` wrote its file",
        "a reported finding has error severity (after `--baseline` and `--changed-since`)",
        "a config, plan or baseline error; `--changed-since REF` cannot be compared",
    ),
    ExitCodes(
        "validate",
        "every event is valid",
        "an event is invalid (a violation with error severity; TP902 for a line that is "
        "not an event)",
        "a plan error; an input file that does not exist or cannot be read",
    ),
    ExitCodes(
        "export",
        "the schemas were written",
        NEVER,
        "a plan error; two events map to the same file name; `--out` cannot be written",
    ),
    ExitCodes(
        "init",
        "the plan, config and baseline were written",
        NEVER,
        "refused: a file exists (without `--force`) or the project's config is unusable",
    ),
    ExitCodes(
        "coverage",
        "no finding has error severity",
        "a finding has error severity; by default: a planned event or funnel step never "
        "captured (TP601, TP602; not with `--allow-uncaptured`), an unplanned event "
        "captured (TP201), a file that cannot be parsed (TP901)",
        "a config or plan error",
    ),
    ExitCodes(
        "diff",
        "the change is compatible under the mode (and `--check-version` found the bump)",
        'an incompatibility under the mode (or "cannot prove"); `--check-version`: the plan\'s '
        "`version` was not bumped as required (TP724)",
        "a plan that cannot be loaded (TP001-TP003); a `git:REF:PATH` that cannot be read; "
        "a config error",
    ),
    ExitCodes(
        "serve",
        "stopped by SIGTERM after finishing the requests in flight",
        NEVER,
        "a plan error; the port cannot be bound; the store is not a trackplan store; a "
        "non-loopback bind without `--token`; the `serve` extra is not installed",
    ),
    ExitCodes(
        "events",
        "every listed event is valid",
        "a listed event is invalid",
        "the store does not exist or is not a trackplan store",
    ),
    ExitCodes("rules", "the rules were printed", NEVER, "an unknown rule code"),
    ExitCodes("schema", "the schema was printed", NEVER, "only as for every command"),
)

#: The last row: what every command, present or future, does the same way.
COMMON = ExitCodes(
    "every command",
    "",
    "",
    "a usage error; stdout cannot be written (a full disk); an internal error "
    "(one line: `trackplan: internal error: ...`, the traceback with `--debug`)",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_exit_code_table() -> str:
    """The table as Markdown (ends with a newline)."""
    lines = ["| command | 0 | 1 | 2 |", "|---|---|---|---|"]
    for row in EXIT_CODES:
        cells = [f"`{row.command}`", row.clean, row.findings, row.refused]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    cells = [f"*{COMMON.command}*", COMMON.clean, COMMON.findings, COMMON.refused]
    lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
