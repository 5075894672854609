"""Unit tests of the plan loader: the contract plan, inheritance, required compilation,
locations, directory merging and the YAML safety limits."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from trackplan.registry.errors import PlanError
from trackplan.registry.loader import check_plan, load_plan
from trackplan.registry.plan import Location
from trackplan.registry.yaml_source import MAX_FILE_BYTES, parse_yaml

HERE = Path(__file__).parent
CONTRACT = HERE / "contract.yaml"


def _write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_contract_plan_loads_without_findings() -> None:
    result = check_plan([CONTRACT])
    assert result.diagnostics == ()
    assert result.plan is not None
    assert list(result.plan.events) == [
        "user_signed_up",
        "plan_purchased",
        "order_created",
        "checkout_started",
    ]


def test_contract_shared_definition_is_inherited_under_event_keywords() -> None:
    plan = load_plan(CONTRACT)
    price = plan.events["plan_purchased"].properties["price"]
    assert dict(price.schema) == {"type": "integer", "minimum": 0}
    assert price.required is True
    assert price.description == "Price in cents"
    plan_id = plan.events["plan_purchased"].properties["plan_id"]
    assert dict(plan_id.schema) == {"type": "string", "pattern": "^[A-Z]{3}[0-9]{5}$"}
    assert set(plan.properties) == {"price", "plan_id"}


def test_contract_nested_required_compiles_into_required_arrays() -> None:
    plan = load_plan(CONTRACT)
    items = plan.events["order_created"].properties["items"]
    assert dict(items.schema) == {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "properties": {
                "sku": {"type": "string"},
                "quantity": {"type": "integer", "minimum": 1},
            },
            "required": ["sku", "quantity"],
        },
    }
    assert items.required is False
    jsonschema.Draft202012Validator.check_schema(dict(items.schema))


def test_contract_event_settings_and_trackplan_keys() -> None:
    plan = load_plan(CONTRACT)
    assert plan.events["plan_purchased"].additional_properties is False
    assert plan.events["user_signed_up"].additional_properties is True
    assert plan.events["user_signed_up"].owner == "growth"
    assert plan.events["user_signed_up"].required_properties == ("signup_method",)
    assert plan.events["checkout_started"].deprecated == "use order_created"
    customer = plan.events["order_created"].properties["customer_name"]
    assert customer.pii is True
    assert dict(customer.schema) == {"type": "string"}
    assert dict(plan.person_properties["email"].schema) == {"type": "string", "format": "email"}


def test_contract_locations_point_at_the_names() -> None:
    plan = load_plan(CONTRACT)
    path = str(CONTRACT)
    assert plan.events["user_signed_up"].location == Location(path, 9, 3)
    assert plan.events["order_created"].properties["items"].location == Location(path, 25, 7)
    assert plan.person_properties["plan"].location == Location(path, 38, 3)


def test_every_compiled_schema_is_valid_json_schema() -> None:
    plan = load_plan(HERE.parent.parent / "plans")
    specs = [*plan.properties.values(), *plan.person_properties.values()]
    specs += [p for e in plan.events.values() for p in e.properties.values()]
    assert len(specs) > 20
    for spec in specs:
        jsonschema.Draft202012Validator.check_schema(dict(spec.schema))
        assert not {"required", "pii", "description"} & set(spec.schema) or isinstance(
            spec.schema.get("required"), list
        )


def test_example_plan_merges_its_files_and_funnel() -> None:
    plan = load_plan(HERE.parent.parent / "plans" / "saas")
    assert len(plan.sources) == 4
    assert plan.funnels["activation"] == ("trial_started", "content_viewed", "trial_completed")
    features = plan.events["plan_purchased"].properties["features"].schema
    assert features["required"] == ["sso", "custom_branding"]
    assert plan.events["order_created"].additional_properties is False
    assert plan.digest and plan.digest == load_plan(HERE.parent.parent / "plans").digest


def test_event_keywords_override_shared_ones(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "properties:\n"
        "  price: {type: integer, minimum: 0, pii: true, required: true}\n"
        "events:\n"
        "  plan_purchased:\n"
        "    properties:\n"
        "      price: {minimum: 100, required: false, description: big}\n",
    )
    spec = load_plan(path).events["plan_purchased"].properties["price"]
    assert dict(spec.schema) == {"type": "integer", "minimum": 100}
    assert (spec.required, spec.pii, spec.description) == (False, True, "big")


def test_top_level_additional_properties_false_closes_events(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "additional_properties: false\n"
        "events:\n"
        "  user_signed_up: {}\n"
        "  invite_sent: {additional_properties: true}\n",
    )
    plan = load_plan(path)
    assert plan.events["user_signed_up"].additional_properties is False
    assert plan.events["invite_sent"].additional_properties is True
    assert plan.additional_properties is False


def test_explicit_required_list_is_kept_and_merged(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "events:\n"
        "  order_created:\n"
        "    properties:\n"
        "      address:\n"
        "        type: object\n"
        "        required: [city]\n"
        "        properties:\n"
        "          city: {type: string}\n"
        "          zip: {type: string, required: true}\n"
        "          required: {type: boolean}\n",
    )
    schema = load_plan(path).events["order_created"].properties["address"].schema
    assert schema["required"] == ["city", "zip"]
    assert schema["properties"]["required"] == {"type": "boolean"}


def test_merge_keys_and_anchors_resolve(tmp_path: Path) -> None:
    plan = load_plan(HERE / "cases" / "merge_keys" / "plan.yaml")
    subtotal = plan.events["order_created"].properties["subtotal"]
    assert dict(subtotal.schema) == {"type": "integer", "minimum": 0}
    assert subtotal.required is True
    assert dict(plan.events["order_created"].properties["tax"].schema) == subtotal.schema


def test_load_plan_raises_plan_error_with_every_diagnostic(tmp_path: Path) -> None:
    path = _write(tmp_path, "events:\n  user_signed_up: {typo: 1, other: 2}\n")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    codes = [d.code for d in info.value.diagnostics]
    assert codes.count("TP002") == 2
    assert "plan.yaml:2:20: TP002 unknown key `typo`" in str(info.value)


def test_check_plan_never_raises_on_missing_paths(tmp_path: Path) -> None:
    result = check_plan([tmp_path / "nope.yaml", tmp_path])
    assert result.plan is None
    assert [d.code for d in result.diagnostics] == ["TP001", "TP001"]


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    result = check_plan([path])
    assert len(result.diagnostics) == 1
    diag = result.diagnostics[0]
    assert diag.code == "TP001" and "over 16 MiB" in diag.message
    assert (diag.line, diag.column) == (1, 1)


def test_positions_are_recorded_for_values_and_keys() -> None:
    doc, problems = parse_yaml("a:\n  b: [1, {c: x}]\n", "f.yaml")
    assert problems == [] and doc is not None
    assert doc.position("/a/b/1/c") == (2, 14)
    assert doc.position("/a/b/1/c", key=True) == (2, 11)
    assert doc.position("/a/b/9/zz") == (2, 6)
    assert doc.value == {"a": {"b": [1, {"c": "x"}]}}


def test_timestamps_stay_strings_and_pointer_tokens_are_escaped() -> None:
    doc, _ = parse_yaml("a/b: 2024-01-01\n'~x': 1\n", "f.yaml")
    assert doc is not None
    assert doc.value == {"a/b": "2024-01-01", "~x": 1}
    assert doc.position("/a~1b") == (1, 6)
    assert doc.position("/~0x", key=True) == (2, 1)


def test_many_files_are_merged_in_sorted_path_order(tmp_path: Path) -> None:
    _write(tmp_path, "events:\n  b_created: {}\n", "b.yaml")
    _write(tmp_path, "events:\n  a_created: {}\n", "a.yml")
    _write(tmp_path, "events:\n  c_created: {}\n", "sub/0.yaml")
    plan = load_plan(tmp_path)
    assert list(plan.events) == ["a_created", "b_created", "c_created"]


def test_fragment_failing_the_metaschema_is_tp002_at_the_keyword() -> None:
    from trackplan.registry.plan_format import compile_fragment

    doc, _ = parse_yaml("events:\n  a:\n    properties:\n      p: {minLength: '3'}\n", "f.yaml")
    assert doc is not None
    path = ["events", "a", "properties", "p"]
    compiled = compile_fragment(doc.value["events"]["a"]["properties"]["p"], doc, path)
    assert [(d.code, d.line, d.column) for d in compiled.diagnostics] == [("TP002", 4, 22)]
    assert "not a valid JSON Schema 2020-12 fragment" in compiled.diagnostics[0].message


def test_generated_500_event_plan_loads_whole(tmp_path: Path) -> None:
    """The benchmark's plan loads completely (its time is measured by bench/bench_plan_load.py,
    not here: a timed unit test only measures how busy the machine is)."""
    import sys

    sys.path.insert(0, str(HERE.parent.parent / "bench"))
    try:
        from bench_plan_load import generate_plan
    finally:
        sys.path.pop(0)
    path = _write(tmp_path, generate_plan(500, 10))
    plan = load_plan(path)
    assert len(plan.events) == 500
    assert sum(len(e.properties) for e in plan.events.values()) == 5000


def test_nesting_beyond_our_limit_is_refused_at_the_node() -> None:
    # 500 levels: below libyaml's own flow limit (1000 in PyYAML >= 6.0.4), above ours.
    doc, problems = parse_yaml("a: " + "[" * 500 + "]" * 500 + "\n", "f.yaml")
    assert doc is None
    assert [(d.code, d.line, d.column) for d in problems] == [("TP001", 1, 203)]
    assert "nested more than 200 levels" in problems[0].message


def test_absurdly_deep_document_is_refused_without_crashing() -> None:
    # Whichever limit fires first (ours, or libyaml's in newer PyYAML), it is one TP001
    # with a position on line 1, never a crash of the interpreter.
    doc, problems = parse_yaml("a: " + "[" * 50_000 + "]" * 50_000 + "\n", "f.yaml")
    assert doc is None
    assert [(d.code, d.line) for d in problems] == [("TP001", 1)]
    assert problems[0].column in (203, 1003)
    assert "nest" in problems[0].message


def test_load_plan_keeps_a_plan_whose_only_problems_are_naming(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "events:\n  startedTrial: {properties: {plan: {type: string}}}\n  user_signed_up: {}\n",
    )
    assert {d.code for d in check_plan([path]).diagnostics} >= {"TP101"}
    plan = load_plan(path)
    assert list(plan.events) == ["startedTrial", "user_signed_up"]


def test_loading_a_good_plan_needs_neither_python_jsonschema_nor_naming_checks() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from trackplan.registry.validation import Registry\n"
        f"Registry.load({str(HERE.parent.parent / 'plans' / 'saas')!r})\n"
        "print('jsonschema' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr


def test_load_plan_still_refuses_collisions_without_the_naming_checks(tmp_path: Path) -> None:
    path = _write(tmp_path, "events:\n  user_signed_up: {}\n  UserSignedUp: {}\n")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert [d.code for d in info.value.diagnostics] == ["TP003"]
