"""Load a tracking plan (one YAML file or a directory of them) into a :class:`Plan`.

Pipeline: :mod:`~trackplan.registry.yaml_source` reads each file with positions,
:mod:`~trackplan.registry.plan_format` checks it against the plan format, this module
merges the files (sorted path order; a name defined twice is TP003 naming both places;
``version``/``naming``/``additional_properties`` must agree), compiles every property
spec to plain JSON Schema with its shared definition inherited, and
:mod:`~trackplan.registry.plan_checks` checks the names.

:func:`check_plan` never raises on bad input: every problem is a :class:`Diagnostic`
with file, line and column. :func:`load_plan` raises :class:`PlanError` when the plan
has an error-severity problem.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.errors import PlanError
from trackplan.registry.naming.config import Naming, NamingConfigError
from trackplan.registry.plan import EventSpec, Location, Plan, PropertySpec
from trackplan.registry.plan_checks import FunnelStep, NameSite, check_names, display_location
from trackplan.registry.plan_format import (
    _SCHEMA_KEYWORDS,
    _SCHEMA_LIST_KEYWORDS,
    compile_fragment,
    describe,
    validate_plan_document,
)
from trackplan.registry.policy import RulePolicy
from trackplan.registry.rules import diagnostic
from trackplan.registry.yaml_source import YamlDocument, escape_pointer, read_yaml

__all__ = ["PLAN_SUFFIXES", "PlanCheck", "check_plan", "load_plan", "plan_files"]

#: File name endings a plan directory is scanned for.
PLAN_SUFFIXES = (".yaml", ".yml")
_TRUE_DEPRECATED = "no replacement given"


@dataclass(frozen=True)
class PlanCheck:
    """The outcome of checking a plan: the plan (None when unusable) and every finding."""

    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """True when no finding has error severity."""
        return not any(d.is_error for d in self.diagnostics)


def plan_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The plan files ``paths`` stand for, in merge order; TP001 for missing paths.

    A directory contributes every ``*.yaml``/``*.yml`` below it (recursively, not
    through symlinked directories), sorted by path; files are listed in argument
    order, each file once. Nothing is skipped silently: a sub-directory that cannot be
    listed is TP001, and a ``*.yaml`` entry that is not a regular file (a FIFO, a
    device, a dangling link) is listed so that reading it reports TP001.
    """
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, unreadable = _scan(path)
            problems.extend(unreadable)
            if not found and not unreadable:
                problems.append(
                    diagnostic("TP001", f"no *.yaml or *.yml plan files in {path}", path=str(path))
                )
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)  # read_yaml reports what is not a regular, readable file
        else:
            problems.append(
                diagnostic("TP001", f"plan path does not exist: {path}", path=str(path))
            )
    return list(dict.fromkeys(files)), problems


def _scan(directory: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Plan files below ``directory`` and TP001 for each sub-directory that cannot be read."""
    problems: list[Diagnostic] = []

    def unreadable(error: OSError) -> None:
        where = error.filename or str(directory)
        reason = error.strerror or type(error).__name__
        problems.append(
            diagnostic("TP001", f"cannot read plan directory: {reason}", path=str(where))
        )

    found: list[Path] = []
    for root, _dirs, names in os.walk(directory, onerror=unreadable):
        found.extend(Path(root, n) for n in names if Path(n).suffix in PLAN_SUFFIXES)
    return sorted(found), problems


@dataclass(slots=True)
class _Entry:
    """One named definition (event, property, funnel) as written in one file."""

    name: str
    raw: Any
    doc: YamlDocument
    path: list[Any]
    pointer: str = field(init=False)

    def __post_init__(self) -> None:
        self.pointer = "".join(f"/{escape_pointer(str(p))}" for p in self.path)

    def location(self, suffix: Sequence[Any] = (), *, key: bool = True) -> Location:
        pointer = self.pointer + "".join(f"/{escape_pointer(str(p))}" for p in suffix)
        line, column = self.doc.position(pointer, key=key)
        return Location(self.doc.path, line, column)


@dataclass
class _Merged:
    """Everything read from all files, before compilation."""

    settings: dict[str, _Entry] = field(default_factory=dict)
    events: dict[str, _Entry] = field(default_factory=dict)
    shared: dict[str, _Entry] = field(default_factory=dict)
    person: dict[str, _Entry] = field(default_factory=dict)
    funnels: dict[str, _Entry] = field(default_factory=dict)
    bad: dict[str, set[str]] = field(default_factory=dict)
    sorted_bad: dict[str, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def is_bad(self, entry: _Entry) -> bool:
        """True when a TP001/TP002 finding lies on, inside or above this definition."""
        bad = self.bad.get(entry.doc.path)
        if not bad:
            return False
        pointer = entry.pointer
        ancestor = pointer
        while True:  # the definition itself or one of its ancestors
            if ancestor in bad:
                return True
            if not ancestor:
                break
            ancestor = ancestor.rpartition("/")[0]
        ordered = self.sorted_bad.get(entry.doc.path)
        if ordered is None:
            ordered = self.sorted_bad[entry.doc.path] = sorted(bad)
        at = bisect.bisect_left(ordered, pointer + "/")
        return at < len(ordered) and ordered[at].startswith(pointer + "/")


_SECTIONS = {
    "events": ("events", "event"),
    "properties": ("shared", "shared property"),
    "person_properties": ("person", "person property"),
    "funnels": ("funnels", "funnel"),
}


def _read(files: Iterable[Path], merged: _Merged) -> None:
    for file in files:
        doc, problems = read_yaml(file)
        merged.diagnostics.extend(problems)
        if doc is None:
            continue
        # A value the YAML reader already reported (NaN, `!!bool maybe`) has a stand-in
        # the format check may complain about too: one finding per node is enough.
        reported = {d.pointer for d in problems if d.pointer}
        format_problems = [d for d in validate_plan_document(doc) if d.pointer not in reported]
        merged.diagnostics.extend(format_problems)
        bad = merged.bad.setdefault(doc.path, set())
        bad.update(d.pointer or "" for d in (*problems, *format_problems) if d.is_error)
        if not isinstance(doc.value, dict):
            bad.add("")
            continue
        for key, value in doc.value.items():
            if key in _SECTIONS:
                if isinstance(value, dict):
                    _merge_section(merged, key, value, doc)
            elif key in ("version", "naming", "additional_properties"):
                _merge_setting(merged, _Entry(key, value, doc, [key]))


def _merge_section(merged: _Merged, key: str, value: dict[str, Any], doc: YamlDocument) -> None:
    attribute, what = _SECTIONS[key]
    table: dict[str, _Entry] = getattr(merged, attribute)
    for name, raw in value.items():
        entry = _Entry(name, raw, doc, [key, name])
        if name in table:
            first = table[name]
            if first.doc is doc:
                continue  # a duplicate key in one file: already TP002 from yaml_source
            merged.diagnostics.append(
                _at(
                    "TP003",
                    f"{what} `{name}` is defined twice; "
                    f"also defined at {display_location(first.location())}",
                    entry.location(),
                )
            )
            continue
        table[name] = entry


def _merge_setting(merged: _Merged, entry: _Entry) -> None:
    first = merged.settings.get(entry.name)
    if first is None:
        merged.settings[entry.name] = entry
    elif first.raw != entry.raw:
        merged.diagnostics.append(
            _at(
                "TP002",
                f"`{entry.name}` differs from the one at {display_location(first.location())}; "
                "all files of a plan must agree",
                entry.location(),
            )
        )


def _at(code: str, message: str, where: Location, **fields: Any) -> Diagnostic:
    return diagnostic(
        code, message, path=where.path, line=where.line, column=where.column, **fields
    )


def _deprecated(value: Any) -> str | None:
    if value is True:
        return _TRUE_DEPRECATED
    if isinstance(value, str):
        return value
    return None


@dataclass
class _Builder:
    merged: _Merged
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sites: list[NameSite] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def shared_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """One object for every equal compiled schema (a big plan repeats most specs).

        Property schemas are read-only once in a :class:`Plan`, so sharing is safe; it
        keeps an idle event's memory to its own names and positions.
        """
        key = json.dumps(schema, default=repr)  # key order kept: it is what is exported
        return self.schemas.setdefault(key, schema)

    def property_spec(
        self, entry: _Entry, inherited: PropertySpec | None = None
    ) -> PropertySpec | None:
        if self.merged.is_bad(entry):
            return None
        raw = entry.raw if isinstance(entry.raw, dict) else {}
        compiled = compile_fragment(raw, entry.doc, entry.path)
        self.diagnostics.extend(compiled.diagnostics)
        schema = compiled.schema if isinstance(compiled.schema, dict) else {}
        if inherited is not None:
            schema = {**inherited.schema, **schema} if schema else dict(inherited.schema)
        schema = self.shared_schema(schema)
        required = raw.get("required")
        examples = raw.get("examples")
        return PropertySpec(
            name=entry.name,
            schema=schema,
            required=(
                required is True
                if isinstance(required, bool)
                else bool(inherited and inherited.required)
            ),
            description=raw.get("description", inherited.description if inherited else None),
            pii=raw.get("pii", inherited.pii if inherited else False),
            deprecated=(
                _deprecated(raw["deprecated"])
                if "deprecated" in raw
                else (inherited.deprecated if inherited else None)
            ),
            examples=(
                tuple(examples)
                if isinstance(examples, list)
                else (inherited.examples if inherited else ())
            ),
            location=entry.location(),
        )

    def property_names(self, entry: _Entry, namespace: str) -> None:
        """Record the property's name and every nested property name under it."""
        self.sites.append(
            NameSite("property", entry.name, entry.location(), namespace, describe(entry.path))
        )
        self._nested(entry, entry.raw, [])

    def _nested(self, entry: _Entry, raw: Any, rel: list[Any]) -> None:
        if not isinstance(raw, dict):
            return
        for key, value in raw.items():
            if key == "properties" and isinstance(value, dict):
                namespace = entry.pointer + "".join(
                    f"/{escape_pointer(str(p))}" for p in [*rel, key]
                )
                for name, sub in value.items():
                    self.sites.append(
                        NameSite(
                            "property",
                            name,
                            entry.location([*rel, key, name]),
                            namespace,
                            describe([*entry.path, *rel, key, name]),
                            top_level=False,
                        )
                    )
                    self._nested(entry, sub, [*rel, key, name])
            elif key in _SCHEMA_KEYWORDS:
                self._nested(entry, value, [*rel, key])
            elif key in _SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                for i, item in enumerate(value):
                    self._nested(entry, item, [*rel, key, i])

    def event(self, entry: _Entry, shared: Mapping[str, PropertySpec], closed: bool) -> EventSpec:
        raw = entry.raw if isinstance(entry.raw, dict) else {}
        legacy = raw.get("naming") == "legacy"
        self.sites.append(
            NameSite(
                "event", entry.name, entry.location(), "events", describe(entry.path), legacy=legacy
            )
        )
        properties: dict[str, PropertySpec] = {}
        declared = raw.get("properties")
        for name, prop_raw in (declared if isinstance(declared, dict) else {}).items():
            prop = _Entry(name, prop_raw, entry.doc, [*entry.path, "properties", name])
            self.property_names(prop, "properties")
            spec = self.property_spec(prop, shared.get(name))
            if spec is not None:
                properties[name] = spec
        additional = raw.get("additional_properties")
        return EventSpec(
            name=entry.name,
            properties=properties,
            additional_properties=additional if isinstance(additional, bool) else not closed,
            description=raw.get("description"),
            owner=raw.get("owner"),
            deprecated=_deprecated(raw.get("deprecated")),
            legacy_name=legacy,
            location=entry.location(),
            renamed_from=_names(raw.get("renamed_from")),
        )


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def _naming(merged: _Merged, diagnostics: list[Diagnostic]) -> Naming:
    entry = merged.settings.get("naming")
    if entry is None or merged.is_bad(entry):
        return Naming.from_config(None)
    try:
        return Naming.from_config(entry.raw)
    except NamingConfigError as exc:
        diagnostics.append(_at("TP002", f"`naming`: {exc}", entry.location(key=False)))
        return Naming.from_config(None)


def _digest(merged: _Merged) -> str:
    content = {
        section: {name: entry.raw for name, entry in getattr(merged, section).items()}
        for section in ("settings", "events", "shared", "person", "funnels")
    }
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _property_specs(
    builder: _Builder, entries: Iterable[_Entry], section: str
) -> dict[str, PropertySpec]:
    """The property specs of one top-level section (shared or person properties)."""
    specs: dict[str, PropertySpec] = {}
    for entry in entries:
        builder.property_names(entry, section)
        spec = builder.property_spec(entry)
        if spec is not None:
            specs[entry.name] = spec
    return specs


def _build(
    merged: _Merged, files: Sequence[Path], policy: RulePolicy | None, *, lint: bool = True
) -> PlanCheck:
    builder = _Builder(merged)
    naming = _naming(merged, builder.diagnostics)
    shared = _property_specs(builder, merged.shared.values(), "properties")
    person = _property_specs(builder, merged.person.values(), "person_properties")
    closed = merged.settings.get("additional_properties")
    is_closed = closed is not None and closed.raw is False
    events = {
        name: builder.event(entry, shared, is_closed)
        for name, entry in merged.events.items()
        if isinstance(entry.raw, dict) or entry.raw is None
    }
    funnels: dict[str, tuple[str, ...]] = {}
    steps: list[FunnelStep] = []
    for name, entry in merged.funnels.items():
        if merged.is_bad(entry) or not isinstance(entry.raw, list):
            continue
        funnels[name] = tuple(str(step) for step in entry.raw)
        steps.extend(
            FunnelStep(name, i, str(step), entry.location([i], key=False))
            for i, step in enumerate(entry.raw)
        )
    builder.diagnostics.extend(check_names(builder.sites, naming, steps, events, lint=lint))
    version = merged.settings.get("version")
    diagnostics = sorted(
        _unique([*merged.diagnostics, *builder.diagnostics]), key=Diagnostic.sort_key
    )
    if policy is not None:
        diagnostics = list(policy.apply(diagnostics))
    fatal = any(d.is_error and d.code in ("TP001", "TP002", "TP003") for d in diagnostics)
    plan = None
    if not fatal:
        plan = Plan(
            version=version.raw if version is not None else 1,
            naming=naming,
            events=events,
            properties=shared,
            person_properties=person,
            additional_properties=not is_closed,
            funnels=funnels,
            sources=tuple(str(f) for f in files),
            digest=_digest(merged),
        )
    return PlanCheck(plan, tuple(diagnostics))


def _unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def check_plan(
    paths: Sequence[str | Path], *, policy: RulePolicy | None = None, lint: bool = True
) -> PlanCheck:
    """Check the plan made of ``paths`` (files and directories, merged); never raises.

    ``policy`` (optional) selects codes and overrides severities before the verdict.
    ``PlanCheck.plan`` is None when the plan cannot be used (unreadable file, a plan
    format error, a duplicate definition); naming findings do not prevent a plan.
    ``lint=False`` skips the findings that cannot (naming, funnels): what
    :func:`load_plan` needs, without the cost of the naming lexicon.
    """
    files, problems = plan_files(paths)
    merged = _Merged(diagnostics=problems)
    _read(files, merged)
    if not files:
        diagnostics = tuple(sorted(problems, key=Diagnostic.sort_key))
        return PlanCheck(None, diagnostics)
    return _build(merged, files, policy, lint=lint)


def load_plan(path: str | Path, *, policy: RulePolicy | None = None) -> Plan:
    """The plan at ``path`` (a YAML file or a directory of them).

    Raises :class:`PlanError` (carrying every diagnostic) only when no plan can be
    built from the files: unreadable YAML (TP001), a format error (TP002) or a
    collision (TP003). Naming findings (TP101-TP104) and funnel findings (TP004) are
    the plan's *lint* results, reported by ``trackplan check``; they do not stop the
    plan from validating payloads or code, so a team with grandfathered names can
    still enforce everything else.
    """
    result = check_plan([path], policy=policy, lint=False)
    if result.plan is None:
        raise PlanError(result.diagnostics)
    return result.plan
