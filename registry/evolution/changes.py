"""Every change between two plans, classified with a TP7xx code from the rule catalogue.

This module only *describes*: what was added, removed, narrowed or widened, where
(event, JSON pointer, old and new ``file:line``). Whether a change breaks a mode is
decided by :mod:`~trackplan.registry.evolution.compat` (set inclusion with checked
witnesses) and attached to the changes by :mod:`~trackplan.registry.evolution.report`.
Property comparisons read the *effective* property schemas (shared definitions
merged in, nested ``required: true`` compiled), so equivalent spellings are no change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from trackplan.registry.compiler import event_is_closed
from trackplan.registry.evolution.inclusion import canonical, compare
from trackplan.registry.payloads import escape_pointer
from trackplan.registry.plan import EventSpec, Location, Plan, PropertySpec

__all__ = ["Change", "classify"]

_BOUNDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
)
_TEXT = ("pattern", "format")

# A change of these kinds, with nothing else changed, can only break one direction:
# narrowing breaks backward (old payloads refused), widening breaks forward.
_CAN_BREAK: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("TP706", "TP709", "TP711", "TP715", "TP716", "TP718"), ("backward",)),
    **dict.fromkeys(("TP705", "TP710", "TP712", "TP714", "TP717", "TP719"), ("forward",)),
}
_VALUES = ("enum", "const")


@dataclass
class Change:
    """One classified change. ``breaks`` lists the directions it breaks (filled later)."""

    code: str
    message: str
    event: str | None = None
    pointer: str = ""
    old: Location | None = None
    new: Location | None = None
    breaks: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: tuple[str, ...] = ()

    @property
    def can_break(self) -> tuple[str, ...]:
        """The directions this change can break on its own (by its kind)."""
        return _CAN_BREAK.get(self.code, ("backward", "forward"))


def classify(old: Plan, new: Plan) -> list[Change]:
    """Every change from ``old`` to ``new`` that can matter to a payload, plan order."""
    changes: list[Change] = []
    renamed = {
        before: name
        for name, spec in new.events.items()
        if name not in old.events
        for before in spec.renamed_from
        if before in old.events and before not in new.events
    }
    for name, spec in old.events.items():
        if name not in new.events and name not in renamed:
            changes.append(
                Change("TP702", f"event `{name}` was removed", name, "/event", old=spec.location)
            )
    for name, spec in new.events.items():
        before = old.events.get(name)
        if before is None:
            was = next((b for b, n in renamed.items() if n == name), None)
            if was is not None:
                changes.append(
                    Change(
                        "TP704",
                        f"event `{was}` was renamed to `{name}`",
                        name,
                        "/event",
                        old=old.events[was].location,
                        new=spec.location,
                        events=(was, name),
                    )
                )
            else:
                changes.append(
                    Change("TP701", f"event `{name}` was added", name, "/event", new=spec.location)
                )
            continue
        changes.extend(_event_changes(old, new, before, spec))
    changes.extend(_definition_changes(old, new))
    changes.extend(_person_changes(old, new))
    return changes


def _event_changes(old: Plan, new: Plan, before: EventSpec, after: EventSpec) -> Iterator[Change]:
    name = after.name
    where = before.location, after.location
    if before.deprecated is None and after.deprecated is not None:
        yield Change("TP703", f"event `{name}` was deprecated", name, "/event", *where)
    was_closed, is_closed = event_is_closed(old, before), event_is_closed(new, after)
    if was_closed and not is_closed:
        yield Change("TP705", f"event `{name}` was opened", name, "/properties", *where)
    if is_closed and not was_closed:
        yield Change("TP706", f"event `{name}` was closed", name, "/properties", *where)
    yield from _property_map(name, before.properties, after.properties, "/properties", "property")


def _property_map(
    event: str | None,
    before: Mapping[str, PropertySpec],
    after: Mapping[str, PropertySpec],
    base: str,
    what: str,
) -> Iterator[Change]:
    for prop, spec in before.items():
        if prop not in after:
            yield Change(
                "TP708",
                f"{what} `{prop}` was removed",
                event,
                f"{base}/{escape_pointer(prop)}",
                spec.location,
            )
    for prop, spec in after.items():
        pointer = f"{base}/{escape_pointer(prop)}"
        prev = before.get(prop)
        if prev is None:
            required = " (required)" if spec.required else ""
            yield Change(
                "TP707", f"{what} `{prop}` was added{required}", event, pointer, new=spec.location
            )
            continue
        where = prev.location, spec.location
        if spec.required and not prev.required:
            yield Change("TP709", f"{what} `{prop}` is now required", event, pointer, *where)
        if prev.required and not spec.required:
            yield Change("TP710", f"{what} `{prop}` is no longer required", event, pointer, *where)
        for code, message, at in schema_changes(prev.schema, spec.schema, pointer):
            yield Change(code, f"{what} `{prop}`: {message}", event, at, *where)


def schema_changes(before: Any, after: Any, pointer: str) -> Iterator[tuple[str, str, str]]:
    """(code, message, pointer) for each keyword group that differs between two schemas."""
    if before == after:
        return
    a, b = canonical(before), canonical(after)
    if a == b or (compare(a, b).included and compare(b, a).included):
        return  # the same values, written another way
    da = a if isinstance(a, dict) else {}
    db = b if isinstance(b, dict) else {}
    if not isinstance(a, dict) or not isinstance(b, dict):
        yield "TP723", "the schema changed", pointer
        return
    seen = set()
    if "type" in da or "type" in db:
        seen.add("type")
        yield from _type_change(da.get("type"), db.get("type"), pointer)
    seen.update(_VALUES)
    yield from _value_change(da, db, pointer)
    seen.update(_BOUNDS)
    yield from _bounds_change(da, db, pointer)
    for key in _TEXT:
        seen.add(key)
        if key in da and key not in db:
            yield "TP719", f"{key} {da[key]!r} was removed", pointer
        elif key in db and key not in da:
            yield "TP718", f"{key} {db[key]!r} was added", pointer
        elif key in da and da[key] != db[key]:
            yield "TP720", f"{key} changed from {da[key]!r} to {db[key]!r}", pointer
    seen.update(("properties", "required"))
    pa, pb = da.get("properties") or {}, db.get("properties") or {}
    for name in sorted(set(pa) | set(pb)):
        sub = f"{pointer}/{escape_pointer(name)}"
        if name not in pb:
            yield "TP708", f"nested property `{name}` was removed", sub
        elif name not in pa:
            yield "TP707", f"nested property `{name}` was added", sub
        else:
            yield from schema_changes(pa[name], pb[name], sub)
    ra, rb = set(da.get("required") or ()), set(db.get("required") or ())
    for name in sorted(rb - ra):
        yield (
            "TP709",
            f"nested property `{name}` is now required",
            f"{pointer}/{escape_pointer(name)}",
        )
    for name in sorted(ra - rb):
        yield (
            "TP710",
            f"nested property `{name}` is no longer required",
            f"{pointer}/{escape_pointer(name)}",
        )
    if "items" in da or "items" in db:
        seen.add("items")
        yield from schema_changes(da.get("items", True), db.get("items", True), f"{pointer}/items")
    rest = sorted(k for k in set(da) | set(db) if k not in seen and da.get(k) != db.get(k))
    if rest:
        yield "TP723", f"`{'`, `'.join(rest)}` changed", pointer


_ORDER = {"integer": {"integer"}, "number": {"integer", "number"}}


def _type_set(value: Any) -> set[str] | None:
    if value is None:
        return None
    names = [value] if isinstance(value, str) else list(value)
    out: set[str] = set()
    for name in names:
        out |= _ORDER.get(name, {name})
    return out


def _type_change(before: Any, after: Any, pointer: str) -> Iterator[tuple[str, str, str]]:
    a, b = _type_set(before), _type_set(after)
    if a == b:
        return
    text = f"type {before or 'any'} -> {after or 'any'}"
    if b is None or (a is not None and a < b):
        yield "TP712", f"{text} (widened)", pointer
    elif a is None or b < a:
        yield "TP711", f"{text} (narrowed)", pointer
    else:
        yield "TP713", f"{text} (changed)", pointer


def _values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else None


def _value_change(
    a: dict[str, Any], b: dict[str, Any], pointer: str
) -> Iterator[tuple[str, str, str]]:
    va, vb = _values(a), _values(b)
    if va == vb:
        return
    if va is None and vb is not None:
        yield "TP715", f"values restricted to {vb!r}", pointer
        return
    if vb is None and va is not None:
        yield "TP714", f"value list {va!r} was dropped (any value)", pointer
        return
    assert va is not None and vb is not None
    removed = [v for v in va if not any(_same_value(v, w) for w in vb)]
    added = [v for v in vb if not any(_same_value(v, w) for w in va)]
    if added:
        yield "TP714", f"values added: {added!r}", pointer
    if removed:
        yield "TP715", f"values removed: {removed!r}", pointer


def _same_value(a: Any, b: Any) -> bool:
    return (type(a) is type(b) and a == b) or (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def _bounds_change(
    a: dict[str, Any], b: dict[str, Any], pointer: str
) -> Iterator[tuple[str, str, str]]:
    ga = {k: a[k] for k in _BOUNDS if k in a}
    gb = {k: b[k] for k in _BOUNDS if k in b}
    if ga == gb:
        return
    probe_a = {"type": a.get("type", ["number", "string", "array", "object"]), **ga}
    probe_b = {"type": a.get("type", ["number", "string", "array", "object"]), **gb}
    looser = compare(probe_a, probe_b).included
    tighter = compare(probe_b, probe_a).included
    text = ", ".join(
        f"{k} {ga.get(k, '-')} -> {gb.get(k, '-')}" for k in _BOUNDS if ga.get(k) != gb.get(k)
    )
    if looser and not tighter:
        yield "TP717", f"bounds loosened: {text}", pointer
    elif tighter and not looser:
        yield "TP716", f"bounds tightened: {text}", pointer
    elif looser and tighter:
        return  # the same bounds written two ways
    else:  # tightened somewhere and loosened elsewhere: both directions may break
        yield "TP723", f"bounds changed both ways: {text}", pointer


def _definition_changes(old: Plan, new: Plan) -> Iterator[Change]:
    for name in sorted(set(old.properties) | set(new.properties)):
        before, after = old.properties.get(name), new.properties.get(name)
        same = (
            before is not None
            and after is not None
            and canonical(dict(before.schema)) == canonical(dict(after.schema))
            and before.required == after.required
        )
        if same:
            continue
        users = tuple(
            sorted(
                {e for e, spec in old.events.items() if name in spec.properties}
                | {e for e, spec in new.events.items() if name in spec.properties}
            )
        )
        state = "added" if before is None else "removed" if after is None else "changed"
        yield Change(
            "TP721",
            f"shared definition `{name}` {state}; inherited by "
            + (", ".join(f"`{u}`" for u in users) if users else "no event"),
            None,
            f"/properties/{escape_pointer(name)}",
            before.location if before else None,
            after.location if after else None,
            events=users,
        )


def _person_changes(old: Plan, new: Plan) -> Iterator[Change]:
    if not old.person_properties and new.person_properties:
        yield Change(
            "TP722",
            "a person_properties section was added: `$set`/`$set_once` now only take "
            "the listed properties (and `$` keys) when the plan is closed, and typed values",
            None,
            "/$set",
        )
    elif old.person_properties and not new.person_properties:
        yield Change("TP722", "the person_properties section was removed", None, "/$set")
    for change in _property_map(
        None, old.person_properties, new.person_properties, "/$set", "person property"
    ):
        change.code = "TP722"
        yield change
