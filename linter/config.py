"""``[tool.trackplan]`` in ``pyproject.toml``: find it, validate it, turn it into a :class:`Config`.

The configuration is data: shipped defaults, then the ``[tool.trackplan]`` table of the
nearest ``pyproject.toml`` that has one (searched from the working directory upwards),
then CLI flags on top (:meth:`Config.with_overrides`). The table is validated with the
JSON Schema in ``data/config.schema.json`` (completed at load time with the rule codes of
the catalogue, so an unknown code is refused), and every problem is reported with the
file, the line and the dotted key, never as a traceback.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from trackplan.registry.diagnostics import Severity
from trackplan.registry.policy import RulePolicy
from trackplan.registry.rules import catalogue

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

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

    A ``pyproject.toml`` that cannot be parsed stops the search with a :class:`ConfigError`
    (it might be the one meant).
    """
    found = _find(start)
    return found[0] if found else None


def _find(start: Path) -> tuple[Path, dict[str, Any]] | None:
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            table = _table_of(candidate)
            if table is not None:
                return candidate, table
    return None


def load_config(start: Path) -> Config:
    """The configuration for a run started in ``start``; raises :class:`ConfigError`."""
    found = _find(start)
    if found is None:
        return Config(root=start.resolve())
    source, table = found
    text = source.read_text(encoding="utf-8")
    problems = [
        ConfigProblem(str(source), *locate_key(text, key), _dotted((*_TABLE, *key)), message)
        for key, message in _schema_problems(table)
    ]
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


def _table_of(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), 1, 1, "", f"cannot read: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (1, 1)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(
            [ConfigProblem(str(path), line, column, "", f"invalid TOML: {reason}")]
        ) from exc
    node: Any = document
    for part in _TABLE:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if not isinstance(node, dict):
        raise ConfigError(
            [ConfigProblem(str(path), *locate_key(text, ()), "tool.trackplan", "must be a table")]
        )
    return node


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


def _schema_problems(table: Mapping[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """(key path below tool.trackplan, message) for every schema violation, one per key."""
    found: dict[tuple[str, ...], str] = {}
    for error in _validator().iter_errors(dict(table)):
        for key, message in _explain(error):
            found.setdefault(key, message)
    return list(found.items())


def _explain(error: Any) -> list[tuple[tuple[str, ...], str]]:
    key = tuple(str(part) for part in error.instance_path)
    kind = type(error.kind).__name__
    top = key[0] if key else ""
    if kind == "AdditionalProperties":
        known = sorted(_known_keys()) if not key else []
        out = []
        for name in error.kind.unexpected:
            hint = difflib.get_close_matches(name, known, n=1)
            suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
            out.append(((*key, name), f"unknown key{suffix}"))
        return out
    if kind == "PropertyNames":
        name = str(error.kind.error.instance)
        if top == "severity":
            return [((*key, name), _unknown_code(name, sorted(catalogue())))]
        return [((*key, name), f"'{name}' is not a qualified name like app.telemetry.track")]
    if kind == "Type":
        return [(key, f"must be {_expected(error)}, got {_describe(error.instance)}")]
    if kind == "Enum":
        if top == "severity":
            return [(key, f"must be error, warning or info, got {error.instance!r}")]
        return [(key, _unknown_code(str(error.instance), sorted(_prefixes())))]
    if kind == "Pattern":
        expected = _PATTERN_HINTS.get(top, _PATTERN_HINTS["selector"])
        return [(key, f"{error.instance!r} {expected}")]
    if kind == "MinLength":
        return [(key, "must not be empty")]
    if kind == "AnyOf" and top == "wrappers":
        return [(key, _wrapper_problem(error.instance))]
    return [(key, str(error.message))]


_WRAPPER_KEYS = ("signature", "event", "event-class")


def _wrapper_problem(value: object) -> str:
    """Why a ``[tool.trackplan.wrappers]`` value is refused (a string or a table)."""
    if isinstance(value, str):
        return f"{value!r} {_PATTERN_HINTS['wrappers']}"
    if not isinstance(value, dict):
        return f"must be a signature string or a table, got {_describe(value)}"
    for name in value:
        if name not in _WRAPPER_KEYS:
            hint = difflib.get_close_matches(str(name), _WRAPPER_KEYS, n=1)
            suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
            return f"unknown key {name!r}{suffix}; a wrapper table has {', '.join(_WRAPPER_KEYS)}"
    if "signature" not in value:
        return 'needs a signature, like { signature = "(user)", event = "user_signed_up" }'
    for name in _WRAPPER_KEYS:
        item = value.get(name)
        if item is not None and not isinstance(item, str):
            return f"{name} must be a string, got {_describe(item)}"
    signature = value["signature"]
    if not re.fullmatch(r"\s*\(.*\)\s*", signature):
        return f"signature {signature!r} {_PATTERN_HINTS['wrappers']}"
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
    return f"{_TOML_TYPES.get(type(value), type(value).__name__)} ({value!r})"


def _unknown_code(name: str, known: Sequence[str]) -> str:
    hint = difflib.get_close_matches(name, known, n=1)
    suffix = f" (did you mean {hint[0]}?)" if hint else ""
    return f"unknown rule code {name!r}{suffix}"


def _dotted(key: Sequence[str]) -> str:
    """A key path as TOML would write it: ``tool.trackplan.wrappers."app.track"``,
    array items as ``exclude[1]``."""
    out = ""
    for part in key:
        if part.isdigit():
            out += f"[{part}]"
        else:
            bare = re.fullmatch(r"[A-Za-z0-9_-]+", part)
            out += ("." if out else "") + (part if bare else json.dumps(part))
    return out


# -- locating a key in the TOML text -------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^(\s*)([^=#]+?)\s*=")


def _split_key(raw: str) -> tuple[str, ...]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', raw)
    return tuple(next(p for p in groups if p) if any(groups) else "" for groups in parts)


def locate_key(text: str, key: tuple[str, ...]) -> tuple[int, int]:
    """Best-effort (line, column) of ``tool.trackplan.<key>`` in the TOML text."""
    wanted = (*_TABLE, *key)
    section: tuple[str, ...] = ()
    best = (1, 1)
    best_depth = -1
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            section = _split_key(header[1])
            depth = _common(section, wanted)
            if depth == len(section) and depth > best_depth:
                best, best_depth = (number, 1), depth
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            continue
        full = (*section, *_split_key(assign[2]))
        depth = _common(full, wanted)
        if (depth == len(full) or depth > len(section)) and depth > best_depth:
            best, best_depth = (number, len(assign[1]) + 1), depth
    return best


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
