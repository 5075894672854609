"""`trackplan export --format jsonschema`: documents the reference library agrees with."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
from suite_support import run_cli
from trackplan.registry.compiler import compile_plan
from trackplan.registry.loader import load_plan
from trackplan.registry.validation import Registry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PLAN = ROOT / "plans" / "saas"
SAMPLES = ROOT / "plans" / "saas-samples.jsonl"


def export(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_cli("export", "--format", "jsonschema", *args, cwd=cwd, timeout=120)


def test_stdout_is_one_schema_per_event_in_plan_order() -> None:
    proc = export(str(EXAMPLE_PLAN))
    assert proc.returncode == 0, proc.stderr
    schemas = json.loads(proc.stdout)
    plan = load_plan(EXAMPLE_PLAN)
    assert list(schemas) == list(plan.events)
    assert schemas == compile_plan(plan)
    for name, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["properties"]["event"] == {"const": name}


def test_out_dir_gets_one_file_per_event(tmp_path: Path) -> None:
    proc = export(str(EXAMPLE_PLAN), "--out", str(tmp_path / "schemas"))
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    plan = load_plan(EXAMPLE_PLAN)
    assert files == sorted(f"{name}.schema.json" for name in plan.events)
    doc = json.loads((tmp_path / "schemas" / "order_created.schema.json").read_text())
    assert doc["title"] == "order_created"


def test_bad_plan_exits_two(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("version: 1\nevents: [1, 2]\n")
    proc = export(str(bad))
    assert proc.returncode == 2 and proc.stdout == "" and "TP002" in proc.stderr


def test_exported_schemas_agree_with_the_registry_on_the_samples() -> None:
    plan = load_plan(EXAMPLE_PLAN)
    registry = Registry.from_plan(plan)
    schemas = compile_plan(plan)
    checked = 0
    for line in SAMPLES.read_text().splitlines():
        try:
            body = json.loads(line)
        except json.JSONDecodeError:
            continue
        events = body["batch"] if isinstance(body, dict) and "batch" in body else [body]
        for payload in events:
            schema = schemas.get(payload.get("event"))
            if schema is None:
                continue
            reference = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
            ours = registry.validate(payload)
            assert reference.is_valid(payload) == (
                not any(d.code != "TP205" for d in ours.violations)
            ), payload
            checked += 1
    assert checked >= 15
