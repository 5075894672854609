"""``[tool.trackplan]`` in ``pyproject.toml``: find it, validate it, turn it into a :class:`Config`.

The configuration is data: shipped defaults, then the ``[tool.trackplan]`` table of the
nearest ``pyproject.toml`` that has one (searched from the working directory upwards),
then CLI flags on top (:meth:`Config.with_overrides`). The table is validated with the
JSON Schema in ``data/config.schema.json`` (completed at load time with the rule codes of
the catalogue, so an unknown code is refused), and every problem is reported with the
file, the line and the dotted key, never as a traceback.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from trackplan.linter.limits import DEFAULT_MAX_FILE_SIZE
from trackplan.linter.tomlfile import TomlFileError, marker_problem, read_toml
from trackplan.registry.diagnostics import Severity
from trackplan.registry.policy import RulePolicy
from trackplan.registry.rules import catalogue
from trackplan.registry.suggest import closest

__all__ = [
    "Config",
    "ConfigError",
    "ConfigProblem",
    "find_config_file",
    "load_config",
    "locate_key",
    "parse_selectors",
]

_TABLE = ("tool", "trackplan")

#: A key path below ``tool.trackplan``: table keys are strings, array indexes ints.
_Key = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigProblem:
    """One configuration error: where it is and which key it concerns."""

    path: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        parts = [f"{self.path}:{self.line}:{self.column}"] if self.path else []
        parts += [self.key] if self.key else []
        return ": ".join([*parts, self.message])


class ConfigError(Exception):
    """The configuration (file or flags) is unusable; carries every problem found."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Config:
    """The resolved configuration of one project.

    ``root`` is the directory of the ``pyproject.toml`` holding ``[tool.trackplan]`` (the
    working directory when there is none); ``plan`` is absolute or None; ``source`` is the
    file the values came from.
    """

    root: Path
    plan: Path | None = None
    wrappers: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    policy: RulePolicy = field(default_factory=RulePolicy)
    exclude: tuple[str, ...] = ()
    posthog_version: str | None = None
    source: Path | None = None
    #: Default mode of ``trackplan diff`` / ``check --against`` (``compatibility``).
    compatibility: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: Directories (relative to ``root``) holding the top-level packages (``src``).
    src: tuple[str, ...] = ()

    def with_overrides(
        self,
        *,
        plan: Path | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
    ) -> Config:
        """CLI flags on top: ``select``/``ignore`` replace, ``extend_select`` adds."""
        policy = self.policy
        if select is not None:
            policy = replace(policy, select=tuple(select))
        if ignore is not None:
            policy = replace(policy, ignore=tuple(ignore))
        if extend_select is not None:
            policy = replace(policy, extend_select=(*policy.extend_select, *extend_select))
        return replace(self, plan=plan.resolve() if plan else self.plan, policy=policy)


def find_config_file(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` with a ``[tool.trackplan]`` table.

    A ``pyproject.toml`` that cannot be read or parsed stops the search with a
    :class:`ConfigError` (it might be the one meant).
    """
    found = _find(start)
    return found[0] if found else None


def _find(start: Path) -> tuple[Path, str, dict[str, Any]] | None:
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if _present(candidate):
            text, table = _table_of(candidate)
            if table is not None:
                return candidate, text, table
    return None


def _present(candidate: Path) -> bool:
    """A ``pyproject.toml`` is there: anything but a directory (a FIFO or a device is
    there, and is refused when read); a path that cannot be looked at is not."""
    try:
        mode = os.stat(candidate).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISDIR(mode)


def load_config(start: Path) -> Config:
    """The configuration for a run started in ``start``; raises :class:`ConfigError`."""
    found = _find(start)
    if found is None:
        return Config(root=start.resolve())
    source, text, table = found

    def problem(key: _Key, message: str) -> ConfigProblem:
        return ConfigProblem(str(source), *locate_key(text, key), _dotted((*_TABLE, *key)), message)

    problems = [problem(key, message) for key, message in _shape_problems(table)]
    if not problems:
        problems = [problem(key, message) for key, message in _schema_problems(table)]
    if not problems:
        plan_problem = _plan_problem(table, source)
        problems = [problem(("plan",), plan_problem)] if plan_problem else []
    if problems:
        problems.sort(key=lambda p: (p.line, p.key))
        raise ConfigError(problems)
    return _build(table, source)


def parse_selectors(values: Iterable[str], option: str) -> tuple[str, ...]:
    """Comma-separated code prefixes from CLI flags, checked against the catalogue."""
    selectors = tuple(
        part.strip().upper() for value in values for part in value.split(",") if part.strip()
    )
    known = _prefixes()
    bad = [s for s in selectors if s not in known]
    if bad:
        raise ConfigError(
            [ConfigProblem("", 0, 0, option, _unknown_code(b, sorted(known))) for b in bad]
        )
    return selectors


# -- reading -----------------------------------------------------------------------------


def _table_of(path: Path) -> tuple[str, dict[str, Any] | None]:
    """The file's text and its ``[tool.trackplan]`` table (None when it has none)."""
    try:
        text, document = read_toml(path)
    except TomlFileError as exc:
        problem = ConfigProblem(exc.path, exc.line, exc.column, "", exc.reason)
        raise ConfigError([problem]) from None
    tool = document.get("tool")
    if not isinstance(tool, dict) or "trackplan" not in tool:
        return text, None  # no [tool.trackplan] (whatever shape `tool` has: not ours)
    node = tool["trackplan"]
    if not isinstance(node, dict):
        problem = ConfigProblem(
            str(path),
            *locate_key(text, ()),
            "tool.trackplan",
            f"must be a table, got {_describe(node)}",
        )
        raise ConfigError([problem])
    return text, node


def _plan_problem(table: Mapping[str, Any], source: Path) -> str | None:
    """Why the configured plan path cannot be a path on this system, if it cannot."""
    plan = table.get("plan")
    if not isinstance(plan, str):
        return None
    try:
        os.stat(source.parent / plan)
    except (FileNotFoundError, NotADirectoryError):
        return None  # reported where the plan is needed, with the usual message
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            return f"cannot be used as a path: {exc.strerror}"
        return "cannot be used as a path"
    return None


def _build(table: Mapping[str, Any], source: Path) -> Config:
    base = source.parent
    policy = RulePolicy(
        select=tuple(table.get("select", ("TP",))),
        ignore=tuple(table.get("ignore", ())),
        extend_select=tuple(table.get("extend-select", ())),
        severity={code: Severity(level) for code, level in table.get("severity", {}).items()},
    )
    plan = table.get("plan")
    return Config(
        root=base,
        plan=(base / plan).resolve() if plan else None,
        wrappers=dict(table.get("wrappers", {})),
        policy=policy,
        exclude=tuple(table.get("exclude", ())),
        posthog_version=table.get("posthog-version"),
        source=source,
        compatibility=table.get("compatibility"),
        max_file_size=table.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        src=tuple(table.get("src", ())),
    )


# -- validation --------------------------------------------------------------------------


@cache
def _prefixes() -> frozenset[str]:
    """Every valid selector: each code of the catalogue and each of its prefixes from TP."""
    return frozenset(code[:n] for code in catalogue() for n in range(2, len(code) + 1))


@cache
def _validator() -> Any:
    import jsonschema_rs

    schema = json.loads(
        resources.files("trackplan.linter").joinpath("data/config.schema.json").read_text("utf-8")
    )
    schema["$defs"]["code"]["enum"] = sorted(catalogue())
    schema["$defs"]["selector"]["enum"] = sorted(_prefixes())
    return jsonschema_rs.validator_for(schema)


_TOML_TYPES = {
    str: "a string",
    int: "an integer",
    float: "a float",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}

_PATTERN_HINTS = {
    "posthog-version": "is not a version like 6 or 6.7.6",
    "wrappers": 'is not a signature like "(event, distinct_id, properties=None)"',
    "selector": "is not a rule code or prefix like TP2 or TP202",
}


#: Tables and arrays nested below ``[tool.trackplan]`` (the deepest valid value has 2).
_MAX_TABLE_DEPTH = 16


def _shape_problems(table: Mapping[str, Any]) -> list[tuple[_Key, str]]:
    """Problems the schema cannot see or cannot be shown: NULs and over-limit markers
    (:mod:`trackplan.linter.tomlfile`) in keys and strings, nesting beyond any valid value.
    Iterative, so no shape can exhaust the stack."""
    found: list[tuple[_Key, str]] = []
    pending: list[tuple[_Key, object]] = [((), table)]
    while pending:
        key, value = pending.pop()
        if isinstance(value, str):
            problem = marker_problem(value)
            if problem:
                found.append((key, problem))
            continue
        if not isinstance(value, (dict, list)):
            continue
        if len(key) >= _MAX_TABLE_DEPTH:
            found.append((key, f"is nested more than {_MAX_TABLE_DEPTH} levels deep"))
            continue
        if isinstance(value, list):
            pending += [((*key, i), item) for i, item in enumerate(value)]
            continue
        for name, item in value.items():
            problem = marker_problem(name)
            if problem:
                found.append(((*key, name), f"key {problem}"))
            else:
                pending.append(((*key, name), item))
    return sorted(found, key=lambda item: tuple(map(str, item[0])))


def _schema_problems(table: Mapping[str, Any]) -> list[tuple[_Key, str]]:
    """(key path below tool.trackplan, message) for every schema violation, one per key."""
    found: dict[_Key, str] = {}
    try:
        errors = list(_validator().iter_errors(dict(table)))
    except ValueError as exc:  # defensive: _shape_problems bounds what reaches the validator
        return [((), f"cannot be checked: {exc}")]
    for error in errors:
        for key, message in _explain(error):
            found.setdefault(key, message)
    return list(found.items())


def _explain(error: Any) -> list[tuple[_Key, str]]:
    key: _Key = tuple(p if isinstance(p, int) else str(p) for p in error.instance_path)
    kind = type(error.kind).__name__
    top = key[0] if key else ""
    if kind == "AdditionalProperties":
        known = sorted(_known_keys()) if not key else []
        out = []
        for name in error.kind.unexpected:
            hint = closest(name, known)
            suffix = f" (did you mean '{hint}'?)" if hint is not None else ""
            out.append(((*key, name), f"unknown key{suffix}"))
        return out
    if kind == "PropertyNames":
        name = str(error.kind.error.instance)
        if top == "severity":
            return [((*key, name), _unknown_code(name, sorted(catalogue())))]
        return [((*key, name), f"{_shown(name)} is not a qualified name like app.telemetry.track")]
    if kind == "Type":
        return [(key, f"must be {_expected(error)}, got {_describe(error.instance)}")]
    if kind == "Enum":
        if top == "severity":
            return [(key, f"must be error, warning or info, got {_shown(error.instance)}")]
        return [(key, _unknown_code(str(error.instance), sorted(_prefixes())))]
    if kind == "Pattern":
        expected = _PATTERN_HINTS.get(str(top), _PATTERN_HINTS["selector"])
        return [(key, f"{_shown(error.instance)} {expected}")]
    if kind == "MinLength":
        return [(key, "must not be empty")]
    if kind == "AnyOf" and top == "wrappers":
        return [(key, _wrapper_problem(error.instance))]
    return [(key, str(error.message))]


_WRAPPER_KEYS = ("signature", "event", "event-class")


def _wrapper_problem(value: object) -> str:
    """Why a ``[tool.trackplan.wrappers]`` value is refused (a string or a table)."""
    if isinstance(value, str):
        return f"{_shown(value)} {_PATTERN_HINTS['wrappers']}"
    if not isinstance(value, dict):
        return f"must be a signature string or a table, got {_describe(value)}"
    for name in value:
        if name not in _WRAPPER_KEYS:
            hint = closest(str(name), _WRAPPER_KEYS)
            suffix = f" (did you mean '{hint}'?)" if hint is not None else ""
            return f"unknown key {name!r}{suffix}; a wrapper table has {', '.join(_WRAPPER_KEYS)}"
    if "signature" not in value:
        return 'needs a signature, like { signature = "(user)", event = "user_signed_up" }'
    for name in _WRAPPER_KEYS:
        item = value.get(name)
        if item is not None and not isinstance(item, str):
            return f"{name} must be a string, got {_describe(item)}"
    signature = value["signature"]
    if not re.fullmatch(r"\s*\(.*\)\s*", signature):
        return f"signature {_shown(signature)} {_PATTERN_HINTS['wrappers']}"
    if "event" in value and not value["event"]:
        return "event must not be empty"
    return f"event-class {value.get('event-class')!r} is not an attribute name"


@cache
def _known_keys() -> frozenset[str]:
    schema = json.loads(
        resources.files("trackplan.linter").joinpath("data/config.schema.json").read_text("utf-8")
    )
    return frozenset(schema["properties"])


def _expected(error: Any) -> str:
    names = {
        "string": "a string",
        "array": "an array",
        "object": "a table",
        "integer": "an integer",
        "boolean": "a boolean",
    }
    types = [str(t).lower().rsplit(".", 1)[-1] for t in getattr(error.kind, "types", [])]
    return " or ".join(names.get(t, t) for t in types) or "another type"


def _describe(value: object) -> str:
    return f"{_TOML_TYPES.get(type(value), type(value).__name__)} ({_shown(value)})"


def _shown(value: object, limit: int = 60, depth: int = 0) -> str:
    """A short one-line rendering of a TOML value for a message; never fails (bounded
    depth and items, no int-to-text limit)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, list, dict)):
        text = repr(value)
    elif isinstance(value, int):
        if value.bit_length() > 190:  # beyond ~57 digits: the size is what matters
            return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
        text = str(value)
    elif isinstance(value, str):
        text = repr(value)
    elif depth >= 3:
        text = "[...]" if isinstance(value, list) else "{...}"
    else:
        items = list(value.items() if isinstance(value, dict) else enumerate(value))
        shown = [
            (f"{_shown(k, limit, depth + 1)}: " if isinstance(value, dict) else "")
            + _shown(v, limit, depth + 1)
            for k, v in items[:8]
        ]
        shown += ["..."] if len(items) > 8 else []
        inner = ", ".join(shown)
        text = f"[{inner}]" if isinstance(value, list) else f"{{{inner}}}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unknown_code(name: str, known: Sequence[str]) -> str:
    hint = closest(name, known)
    suffix = f" (did you mean {hint}?)" if hint is not None else ""
    return f"unknown rule code {_shown(name)}{suffix}"


def _dotted(key: Sequence[str | int]) -> str:
    """A key path as TOML would write it: ``tool.trackplan.wrappers."app.track"``,
    array items as ``exclude[1]``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            bare = re.fullmatch(r"[A-Za-z0-9_-]+", part)
            out += ("." if out else "") + (part if bare else json.dumps(part))
    return out


# -- locating a key in the TOML text -------------------------------------------------------


def _split_key(raw: str) -> tuple[str, ...]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', raw)
    return tuple(next(p for p in groups if p) if any(groups) else "" for groups in parts)


def locate_key(text: str, key: _Key) -> tuple[int, int]:
    """Best-effort (line, column) of ``tool.trackplan.<key>`` in the TOML text."""
    wanted = (*_TABLE, *key)
    section: tuple[str, ...] = ()
    best = (1, 1)
    best_depth = -1
    # TOML lines end at "\n" only (str.splitlines would also split at U+2028 and others)
    for number, line in enumerate(text.split("\n"), start=1):
        header = _header(line)
        if header is not None:
            section = _split_key(header)
            depth = _common(section, wanted)
            if depth == len(section) and depth > best_depth:
                best, best_depth = (number, 1), depth
            continue
        assign = _assignment(line)
        if assign is None:
            continue
        indent, raw = assign
        full = (*section, *_split_key(raw))
        depth = _common(full, wanted)
        if (depth == len(full) or depth > len(section)) and depth > best_depth:
            best, best_depth = (number, indent + 1), depth
    return best


def _header(line: str) -> str | None:
    """The key of a ``[table]`` or ``[[array.of.tables]]`` header line, else None.
    (String methods, not a regex: linear on any line.)"""
    stripped = line.strip()
    if not stripped.startswith("["):
        return None
    double = stripped.startswith("[[")
    inner = stripped[2:] if double else stripped[1:]
    close = inner.find("]")
    if close < 0:
        return None
    rest = inner[close + (2 if double else 1) :].strip()
    if (double and not inner.startswith("]]", close)) or (rest and not rest.startswith("#")):
        return None
    return inner[:close].strip() or None


def _assignment(line: str) -> tuple[int, str] | None:
    """(indent, raw key) of a ``key = value`` line, else None."""
    equals = line.find("=")
    if equals <= 0:
        return None
    raw = line[:equals]
    if "#" in raw or not raw.strip():
        return None
    return len(raw) - len(raw.lstrip()), raw.strip()


def _common(a: _Key, b: _Key) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
