"""--reload: a changed plan serves the next request; a broken one keeps the old serving."""

from __future__ import annotations

import shutil
from pathlib import Path

from serve_support import PLAN, ServerProcess, get, post

NEW = {"event": "report_exported", "distinct_id": "u1", "properties": {"format": "csv"}}
EXTRA = """
events:
  report_exported:
    description: A user exported a report.
    owner: core
    properties:
      format: {type: string, enum: [csv, pdf], required: true}
"""


def _verdict(server: ServerProcess) -> tuple[bool, list[str]]:
    assert post(server.url, "/e/", NEW)[0] == 200
    last = get(server.url, "/_trackplan/events?limit=10000")[1]["events"][-1]
    return last["valid"], [v["code"] for v in last["violations"]]


def test_reload_swaps_a_good_plan_and_keeps_serving_through_a_broken_one(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(PLAN, plan)
    with ServerProcess(tmp_path / "e.db", "--reload", plan=plan) as server:
        assert _verdict(server) == (False, ["TP201"])
        (plan / "40-reports.yaml").write_text("version: 1\n" + EXTRA)
        server.wait_for_log("plan reloaded")
        assert _verdict(server) == (True, [])
        (plan / "40-reports.yaml").write_text("version: 1\nevents:\n  report_exported: [oops\n")
        line = server.wait_for_log(r"40-reports\.yaml:\d+:\d+: TP001")
        assert "TP001" in line
        assert "old plan keeps serving" in server.log
        assert _verdict(server) == (True, [])
