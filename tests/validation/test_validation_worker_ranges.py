"""Worker processes that read their own byte ranges give exactly the single-process output.

``trackplan validate --jobs N`` on a regular file hands each worker a newline-aligned
byte range (about 4 MiB) to read itself; text findings come back with line numbers
relative to the range. These tests run the real CLI on files of several ranges, with
lines longer than a range, a line over the 20 MB limit, blank lines and a last line
without newline, and compare against ``--jobs 1``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from suite_support import run_cli

CORPUS = Path(__file__).parent / "cli_corpus"
SAMPLES = Path(__file__).resolve().parents[2] / "plans" / "saas-samples.jsonl"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return run_cli("validate", "--plan", CORPUS / "plan.yaml", *args, cwd=cwd, text=False)


def _lines() -> list[bytes]:
    samples = (CORPUS / "malformed_lines" / "input.jsonl").read_bytes().split(b"\n")
    samples += SAMPLES.read_bytes().split(b"\n")
    return [s for s in samples if s] + [b"", b"   "]


def _write_ranges_file(path: Path) -> int:
    """A ~14 MiB file crossing many range boundaries; returns its number of lines."""
    lines = _lines() * 1500
    long_valid = (
        b'{"event": "user_logged_in", "distinct_id": "u1", "properties": {"pad": "'
        + b"p" * (5 << 20)
        + b'"}}'
    )
    too_long = b'{"event": "user_logged_in", "x": "' + b"a" * (21 << 20) + b'"}'
    third = len(lines) // 3
    lines[third:third] = [long_valid]
    lines[2 * third : 2 * third] = [too_long]
    lines.append(b'{"event": "user_logged_in", "distinct_id": "u2"}')  # no newline after it
    path.write_bytes(b"\n".join(lines))
    return len(lines)


def test_ranges_give_the_single_process_output_in_order(tmp_path: Path) -> None:
    total = _write_ranges_file(tmp_path / "ranges.jsonl")
    outputs: dict[tuple[str, str], bytes] = {}
    cpus = len(os.sched_getaffinity(0))
    for jobs in ("1", "2", "3"):
        # --jobs is capped at the CPU count, with one warning
        capped = (
            f"trackplan: --jobs {jobs} is more than the {cpus} CPU(s) available; using {cpus}\n"
        )
        for fmt in ("text", "json"):
            proc = _run(["ranges.jsonl", "--format", fmt, "--jobs", jobs], tmp_path)
            assert proc.returncode == 1, proc.stderr
            assert proc.stderr == (capped.encode() if int(jobs) > cpus else b"")
            outputs[jobs, fmt] = proc.stdout
    for fmt in ("text", "json"):
        assert outputs["1", fmt] == outputs["2", fmt] == outputs["3", fmt]
    items = json.loads(outputs["2", "json"])
    lines = [i["line"] for i in items]
    assert lines == sorted(lines)
    assert lines[-1] == total
    assert any("longer than 20 MB" in v["message"] for i in items for v in i["violations"])
    text = outputs["2", "text"].decode().splitlines()
    numbers = [int(row.split(":")[1]) for row in text[:-1]]
    assert numbers == sorted(numbers) and numbers[-1] <= total
    assert text[-1].startswith(f"{len(items)} events checked, ")


def test_ranges_with_several_files_keep_each_files_line_numbers(tmp_path: Path) -> None:
    _write_ranges_file(tmp_path / "a.jsonl")
    (tmp_path / "b.jsonl").write_bytes(b"\n".join(_lines() * 900) + b"\n")
    for fmt in ("text", "json"):
        single = _run(["a.jsonl", "b.jsonl", "--format", fmt, "--jobs", "1"], tmp_path)
        workers = _run(["a.jsonl", "b.jsonl", "--format", fmt, "--jobs", "2"], tmp_path)
        assert single.returncode == workers.returncode == 1
        assert single.stdout == workers.stdout
    items = json.loads(workers.stdout)
    assert {i["path"] for i in items} == {"a.jsonl", "b.jsonl"}
    b_lines = [i["line"] for i in items if i["path"] == "b.jsonl"]
    assert b_lines[0] == 1 and b_lines == sorted(b_lines)
