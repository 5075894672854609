"""`trackplan validate` as a real subprocess on fixture corpora with exact expected output.

Each folder under ``cli_corpus/`` is one case: ``args`` (one argument per line, run
from inside the folder), optional ``stdin``, and the exact ``expected.out``,
``expected.rc`` and, when the command writes to stderr, ``expected.err``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from suite_support import CLI, run_cli

CORPUS = Path(__file__).parent / "cli_corpus"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "args").is_file())


def run_trackplan(
    args: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return run_cli(*args, cwd=cwd, input=stdin, text=False, timeout=120)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_corpus_case(case: Path) -> None:
    args = (case / "args").read_text().splitlines()
    stdin = (case / "stdin").read_bytes() if (case / "stdin").exists() else None
    proc = run_trackplan(["validate", *args], case, stdin)
    assert proc.stdout.decode() == (case / "expected.out").read_text()
    err = case / "expected.err"
    assert proc.stderr.decode() == (err.read_text() if err.exists() else "")
    assert proc.returncode == int((case / "expected.rc").read_text())


def test_json_output_is_one_parseable_array_with_the_documented_keys() -> None:
    case = CORPUS / "saas_samples_json"
    proc = run_trackplan(["validate", *(case / "args").read_text().splitlines()], case)
    items = json.loads(proc.stdout)
    assert [list(item) for item in items] == [
        ["line", "index", "event", "valid", "violations"]
    ] * len(items)
    codes = {v["code"] for item in items for v in item["violations"]}
    assert codes == {
        "TP201",
        "TP202",
        "TP203",
        "TP204",
        "TP205",
        "TP206",
        "TP301",
        "TP302",
        "TP304",
        "TP902",
    }
    assert sum(item["valid"] for item in items) == 10


def test_all_valid_input_exits_zero(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        '{"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "#0001"}}\n'
    )
    proc = run_trackplan(["validate", "--plan", str(CORPUS / "plan.yaml"), str(good)], tmp_path)
    assert (proc.returncode, proc.stdout) == (0, b"1 event checked, 0 invalid, 0 violations\n")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "x.jsonl"],
        ["validate", "--plan", "missing-plan.yaml", "x.jsonl"],
        ["validate", "--plan", str(CORPUS / "plan.yaml"), "missing-input.jsonl"],
        ["validate", "--plan", str(CORPUS / "plan.yaml"), "--format", "xml"],
    ],
    ids=["no-plan", "plan-missing", "input-missing", "bad-format"],
)
def test_usage_errors_exit_two(tmp_path: Path, args: list[str]) -> None:
    proc = run_trackplan(args, tmp_path, b"")
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr


def _peak_rss_kib(args: list[str], cwd: Path) -> tuple[int, bytes]:
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n')\n"
        "sys.stdout.flush(); sys.stdout.buffer.write(p.stdout)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(CLI), *args],
        cwd=cwd,
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    first, _, rest = out.partition(b"\n")
    return int(first), rest


def test_over_long_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    valid = (
        b'{"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "#0001"}}\n'
    )
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:
        handle.write(valid)
        handle.write(b'{"event": "order_created", "distinct_id": "u1", "properties": {"x": "')
        chunk = b"a" * (1 << 20)
        for _ in range(200):  # a 200 MiB line, ten times PostHog's 20 MB body limit
            handle.write(chunk)
        handle.write(b'"}}\n')
        handle.write(valid)
    rss_kib, out = _peak_rss_kib(
        ["validate", "--plan", str(CORPUS / "plan.yaml"), "big.jsonl", "--format", "json"], tmp_path
    )
    items = json.loads(out)
    assert [(i["line"], i["valid"]) for i in items] == [(1, True), (2, False), (3, True)]
    assert items[1]["violations"][0]["code"] == "TP902"
    assert "longer than 20 MB" in items[1]["violations"][0]["message"]
    assert rss_kib < 140 * 1024, f"peak RSS {rss_kib} KiB: the long line was held in memory"


def test_worker_processes_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    samples = (CORPUS / "malformed_lines" / "input.jsonl").read_bytes().split(b"\n")
    samples += (
        (Path(__file__).resolve().parents[2] / "plans" / "saas-samples.jsonl")
        .read_bytes()
        .split(b"\n")
    )
    lines = [s for s in samples if s] * 400  # several 1 MiB blocks, every kind of line
    data = tmp_path / "mixed.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n")
    assert data.stat().st_size > 3 * (1 << 20)
    plan = str(CORPUS / "plan.yaml")
    outputs = {}
    for jobs in ("1", "2"):
        for fmt in ("json", "text"):
            proc = run_trackplan(
                ["validate", "--plan", plan, "mixed.jsonl", "--format", fmt, "--jobs", jobs],
                tmp_path,
            )
            assert proc.returncode == 1 and proc.stderr == b""
            outputs[jobs, fmt] = proc.stdout
    assert outputs["1", "json"] == outputs["2", "json"]
    assert outputs["1", "text"] == outputs["2", "text"]
    items = json.loads(outputs["2", "json"])
    assert [i["line"] for i in items] == sorted(i["line"] for i in items)
    assert items[-1]["line"] == len(lines)
