"""The plan format: its shipped JSON Schema and the checks a plan file must pass.

A plan file is first validated against ``data/plan.schema.json`` (the same schema
editors use through yaml-language-server, printed by ``trackplan schema``). The fast
path is jsonschema-rs; only a file that fails is re-validated with the Python
``jsonschema`` package, whose error objects carry the paths and context needed to
explain each problem in words at the offending node's line and column (TP002).

Property specs are JSON Schema 2020-12 fragments plus trackplan keys. This module
also turns one such fragment into plain JSON Schema (:func:`compile_fragment`): the
trackplan keys are taken out at every depth, a nested ``required: true`` becomes the
parent's ``required`` list, and the result must pass the 2020-12 metaschema, every
``pattern`` must pass :func:`trackplan.registry.patterns.pattern_error` and every
``format`` must be one of :data:`trackplan.registry.patterns.KNOWN_FORMATS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.patterns import KNOWN_FORMATS, pattern_error
from trackplan.registry.rules import diagnostic
from trackplan.registry.suggest import closest
from trackplan.registry.yaml_source import YamlDocument, escape_pointer

if TYPE_CHECKING:
    import jsonschema  # type: ignore[import-untyped]  # no stubs installed

# Python jsonschema only *explains* a plan that jsonschema-rs already refused, so it is
# imported on that path alone: loading a good plan never pays for it.

__all__ = [
    "TRACKPLAN_KEYS",
    "CompiledFragment",
    "compile_fragment",
    "describe",
    "plan_schema",
    "plan_schema_text",
    "validate_plan_document",
]

#: Keys a property spec may carry besides JSON Schema's own; removed when compiling.
TRACKPLAN_KEYS = frozenset({"required", "description", "pii", "deprecated", "examples"})

# Where JSON Schema 2020-12 nests subschemas: one schema, a list, or a name -> schema map.
_SCHEMA_KEYWORDS = frozenset(
    {
        "items",
        "contains",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "not",
        "if",
        "then",
        "else",
        "contentSchema",
    }
)
_SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "dependentSchemas"})
# Annotations that do not constrain anything: dropped from the compiled schema.
_DROPPED = TRACKPLAN_KEYS | {"title", "$comment", "default", "readOnly", "writeOnly"}

_UNSUPPORTED_KEYS = {
    "$ref": "`$ref` is not supported in plans; put the definition under the top-level "
    "`properties:` and give the event property the same name to inherit it",
    "$defs": "`$defs` is not supported in plans; use the top-level `properties:` for "
    "shared definitions",
    "definitions": "`definitions` is not supported in plans; use the top-level "
    "`properties:` for shared definitions",
}

_YAML_TYPE = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true/false",
    "integer": "an integer",
    "number": "a number",
    "null": "empty",
}


@cache
def plan_schema_text() -> str:
    """The plan format's JSON Schema, as shipped (``trackplan schema`` prints this)."""
    return (
        resources.files("trackplan.registry")
        .joinpath("data/plan.schema.json")
        .read_text(encoding="utf-8")
    )


@cache
def plan_schema() -> dict[str, Any]:
    """The plan format's JSON Schema as a Python value (do not mutate)."""
    value: dict[str, Any] = json.loads(plan_schema_text())
    return value


@cache
def _fast_validator() -> Any:
    return jsonschema_rs.Draft202012Validator(plan_schema())


@cache
def _explaining_validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(plan_schema())


def _yaml_type(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(str(part))}" for part in path)


def _schema_prefix(rest: Sequence[Any]) -> int:
    """How many leading parts of ``rest`` (inside a property spec) are schema positions."""
    i = end = 0
    while i < len(rest):
        key = rest[i]
        if key in _SCHEMA_MAP_KEYWORDS or key in _SCHEMA_LIST_KEYWORDS:
            i += 2
        elif key in _SCHEMA_KEYWORDS:
            i += 1
        else:
            break
        if i <= len(rest):
            end = i
    return end


def _property_path(name: str, rest: Sequence[Any]) -> str:
    """``items[].sku`` style display of a schema position inside a property spec."""
    shown = name
    i = 0
    while i < len(rest):
        key = rest[i]
        if key in _SCHEMA_MAP_KEYWORDS and i + 1 < len(rest):
            shown += f".{rest[i + 1]}" if key == "properties" else f".{key}[{rest[i + 1]}]"
            i += 2
        elif key in _SCHEMA_LIST_KEYWORDS and i + 1 < len(rest):
            shown += f".{key}[{rest[i + 1]}]"
            i += 2
        elif key == "items":
            shown += "[]"
            i += 1
        else:
            shown += f".{key}"
            i += 1
    return shown


def _describe_property(kind: str, name: str, rest: Sequence[Any]) -> str:
    end = _schema_prefix(rest)
    prop = f"{kind} `{_property_path(name, rest[:end])}`"
    trailing = rest[end:]
    if trailing:
        return f"`{'.'.join(map(str, trailing))}` of {prop}"
    return prop


def describe(path: Sequence[Any]) -> str:
    """A person's name for the plan node at ``path`` ("property `price` of event `x`")."""
    parts = list(path)
    if not parts:
        return "the plan file"
    head = parts[0]
    if head == "events" and len(parts) >= 2:
        event = f"event `{parts[1]}`"
        if len(parts) == 2:
            return event
        if parts[2] == "properties" and len(parts) >= 4:
            return f"{_describe_property('property', str(parts[3]), parts[4:])} of {event}"
        return f"`{'.'.join(map(str, parts[2:]))}` of {event}"
    if head in ("properties", "person_properties") and len(parts) >= 2:
        kind = "shared property" if head == "properties" else "person property"
        return _describe_property(kind, str(parts[1]), parts[2:])
    if head == "funnels" and len(parts) >= 2:
        if len(parts) == 3 and isinstance(parts[2], int):
            return f"step {parts[2] + 1} of funnel `{parts[1]}`"
        return f"funnel `{parts[1]}`"
    return f"`{'.'.join(map(str, parts))}`"


def _is_spec_path(path: Sequence[Any]) -> bool:
    """True when ``path`` points at a property spec (or a schema nested in one)."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] in ("properties", "person_properties"):
        rest = parts[2:]
    elif len(parts) >= 4 and parts[0] == "events" and parts[2] == "properties":
        rest = parts[4:]
    else:
        return False
    return _schema_prefix(rest) == len(rest)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = plan_schema()["$defs"][ref.rpartition("/")[2]]
        return resolved
    return schema


def _either(options: Sequence[str]) -> str:
    if len(options) <= 1:
        return "".join(options)
    return ", ".join(options[:-1]) + " or " + options[-1]


def _expected(schema: dict[str, Any]) -> str:
    schema = _resolve(schema)
    if "const" in schema:
        const = schema["const"]
        return f"`{const if isinstance(const, str) else json.dumps(const)}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "anyOf" in schema:
        return _either([_expected(option) for option in schema["anyOf"]])
    kinds = schema.get("type")
    if kinds is None:
        return "something else"
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    return _either([_YAML_TYPE.get(k, k) for k in names])


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        return _yaml_type(value)
    return f"`{value}`"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = closest(word, choices, cutoff=0.7)
    return f" (did you mean `{close}`?)" if close is not None else ""


def _leaf_errors(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    """The errors worth showing for ``error``: descend ``anyOf`` into the branch meant."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        yield error
        return
    branches: dict[int, list[jsonschema.ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    meant = [
        errs
        for errs in branches.values()
        if not any(not e.relative_path and e.validator in ("type", "enum", "const") for e in errs)
    ]
    if len(meant) == 1:
        for sub in meant[0]:
            yield from _leaf_errors(sub)
    else:
        yield error


@dataclass
class _Explainer:
    doc: YamlDocument

    def diagnostics(self, error: jsonschema.ValidationError) -> Iterator[Diagnostic]:
        path = list(error.absolute_path)
        pointer = _pointer(path)
        where = describe(path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        validator = error.validator
        if validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(schema.get("properties", {}))
            for key in error.instance:
                if key in allowed or (_is_spec_path(path) and key.startswith("x-")):
                    continue
                if key in _UNSUPPORTED_KEYS:
                    message = f"{_UNSUPPORTED_KEYS[key]} (in {where})"
                elif _is_spec_path(path):
                    message = (
                        f"unknown key `{key}` in {where}: not a JSON Schema 2020-12 keyword "
                        f"or a trackplan key{_did_you_mean(key, allowed)}"
                    )
                else:
                    message = (
                        f"unknown key `{key}` in {where}{_did_you_mean(key, allowed)}; "
                        f"expected one of {', '.join(allowed)}"
                    )
                yield self._at(message, f"{pointer}/{escape_pointer(key)}", key=True)
            return
        if validator in ("anyOf", "oneOf"):
            options = [_expected(option) for option in schema.get(validator, [])]
            hint = ""
            if isinstance(error.instance, str):
                choices = [
                    str(v) for o in schema.get(validator, []) for v in _resolve(o).get("enum", [])
                ]
                hint = _did_you_mean(error.instance, choices)
            message = f"{where} must be {_either(options)}, not {_shown(error.instance)}{hint}"
        elif validator == "type":
            message = f"{where} must be {_expected(schema)}, not {_shown(error.instance)}"
        elif validator in ("enum", "const"):
            choices = schema.get("enum", [schema.get("const")])
            hint = (
                _did_you_mean(error.instance, map(str, choices))
                if isinstance(error.instance, str)
                else ""
            )
            message = f"{where} must be {_expected(schema)}, not `{error.instance}`{hint}"
        elif validator == "minItems" and error.validator_value == 1:
            message = f"{where} must not be empty"
        else:
            message = f"{where}: {error.message}"
        yield self._at(message, pointer)

    def _at(self, message: str, pointer: str, *, key: bool = False) -> Diagnostic:
        line, column = self.doc.position(pointer, key=key)
        return diagnostic(
            "TP002", message, path=self.doc.path, line=line, column=column, pointer=pointer
        )


def validate_plan_document(doc: YamlDocument) -> list[Diagnostic]:
    """TP002 for every way ``doc`` breaks the plan format's JSON Schema (empty if none)."""
    if doc.value is None:
        return [
            diagnostic(
                "TP002",
                "plan file is empty; expected a mapping with `events:`",
                path=doc.path,
                line=1,
                column=1,
                pointer="",
            )
        ]
    if _fast_validator().is_valid(doc.value):
        return []
    explainer = _Explainer(doc)
    found: dict[tuple[int | None, int | None, str], Diagnostic] = {}
    for error in _explaining_validator().iter_errors(doc.value):
        for leaf in _leaf_errors(error):
            for diag in explainer.diagnostics(leaf):
                found.setdefault((diag.line, diag.column, diag.message), diag)
    return list(found.values())


@dataclass
class CompiledFragment:
    """A property spec turned into plain JSON Schema, plus what was wrong with it."""

    schema: dict[str, Any] | bool
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Compiler:
    doc: YamlDocument
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, message: str, pointer: str, *, key: bool = False) -> None:
        line, column = self.doc.position(pointer, key=key)
        self.diagnostics.append(
            diagnostic(
                "TP002", message, path=self.doc.path, line=line, column=column, pointer=pointer
            )
        )

    def compile(
        self, raw: Any, pointer: str, path: list[Any], *, is_property: bool
    ) -> dict[str, Any] | bool:
        if raw is None:
            return {}
        if isinstance(raw, bool):
            return raw
        out: dict[str, Any] = {}
        required: list[str] = []
        if raw.get("required") is True and not is_property:
            self.report(
                f"`required: true` in {describe(path)} has no effect: it only applies to a "
                "property listed under `properties:`",
                f"{pointer}/required",
                key=True,
            )
        for key, value in raw.items():
            here = f"{pointer}/{escape_pointer(key)}"
            if key == "required" and isinstance(value, list):
                required.extend(value)
            elif key in _DROPPED or key.startswith("x-"):
                continue
            elif key in _SCHEMA_KEYWORDS:
                out[key] = self.compile(value, here, [*path, key], is_property=False)
            elif key in _SCHEMA_LIST_KEYWORDS:
                out[key] = [
                    self.compile(item, f"{here}/{i}", [*path, key, i], is_property=False)
                    for i, item in enumerate(value)
                ]
            elif key in _SCHEMA_MAP_KEYWORDS:
                out[key] = {}
                for name, sub in value.items():
                    if key == "patternProperties":
                        self.check_pattern(name, f"{here}/{escape_pointer(name)}", key=True)
                    if (
                        key == "properties"
                        and isinstance(sub, dict)
                        and sub.get("required") is True
                    ):
                        required.append(name)
                    out[key][name] = self.compile(
                        sub,
                        f"{here}/{escape_pointer(name)}",
                        [*path, key, name],
                        is_property=key == "properties",
                    )
            else:
                if key == "pattern" and isinstance(value, str):
                    self.check_pattern(value, here)
                elif key == "format" and value not in KNOWN_FORMATS:
                    self.report(
                        f"unknown format `{value}` in {describe(path)}"
                        f"{_did_you_mean(str(value), KNOWN_FORMATS)}; known formats: "
                        f"{', '.join(sorted(KNOWN_FORMATS))}",
                        here,
                    )
                out[key] = value
        if required:
            out["required"] = list(dict.fromkeys(required))
        return out

    def check_pattern(self, pattern: str, pointer: str, *, key: bool = False) -> None:
        problem = pattern_error(pattern)
        if problem is not None:
            self.report(f"invalid pattern `{pattern}`: {problem}", pointer, key=key)

    def check_metaschema(self, schema: dict[str, Any] | bool, pointer: str) -> None:
        if isinstance(schema, bool) or jsonschema_rs.meta.is_valid(schema):
            return
        import jsonschema

        reported = {d.pointer for d in self.diagnostics}
        meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
        for error in meta.iter_errors(schema):
            where = pointer + _pointer(error.absolute_path)
            if where not in reported:
                self.report(f"not a valid JSON Schema 2020-12 fragment: {error.message}", where)
                reported.add(where)


def compile_fragment(raw: Any, doc: YamlDocument, path: Sequence[Any]) -> CompiledFragment:
    """Plain JSON Schema for the property spec ``raw`` found at ``path`` in ``doc``.

    ``raw`` must already have passed :func:`validate_plan_document`. The spec's own
    top-level ``required: true`` is not compiled here (it belongs to the event).
    """
    compiler = _Compiler(doc)
    pointer = _pointer(path)
    schema = compiler.compile(raw, pointer, list(path), is_property=True)
    compiler.check_metaschema(schema, pointer)
    return CompiledFragment(schema, compiler.diagnostics)
