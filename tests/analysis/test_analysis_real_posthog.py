"""The analyzer's reading of posthog calls matches what the real posthog package does.

The same source file is analysed and then executed against the installed posthog SDK
with a ``before_send`` hook recording every message (and dropping it, so nothing leaves
the machine).
"""

from __future__ import annotations

import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import posthog
import pytest
from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer

SOURCE = textwrap.dedent(
    """
    from posthog import Posthog

    client = Posthog("phc_test", host="http://127.0.0.1:9", before_send=HOOK, sync_mode=True)


    def run():
        client.capture("user-9", "legacy_event", {"plan": "pro"})
        client.capture("file_exported", distinct_id="user-1", properties={"rows": 3})
        client.capture(distinct_id="user-2", event="report_ran", properties={"ok": True})
        client.set(distinct_id="user-1", properties={"plan": "pro"})
        client.capture("personless_event")
    """
)

MODULE_LEVEL = 'import posthog\nposthog.capture("user-9", "legacy_event", {"plan": "pro"})\n'


def _project(tmp_path: Path) -> Path:
    version = metadata.version("posthog")
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "p"\ndependencies = ["posthog=={version}"]\n'
    )
    (tmp_path / "app.py").write_text(SOURCE)
    (tmp_path / "module_level.py").write_text(MODULE_LEVEL)
    return tmp_path


def _run(source: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def hook(message: dict[str, Any]) -> None:
        sent.append(message)
        return None  # drop: nothing is sent over the network

    namespace: dict[str, Any] = {"HOOK": hook}
    exec(compile(source, "app.py", "exec"), namespace)
    namespace["run"]()
    namespace["client"].shutdown()
    return sent


def test_posthog_version_is_6_or_later() -> None:
    assert int(metadata.version("posthog").split(".")[0]) >= 6


def test_calls_not_flagged_are_sent_as_the_analyzer_reads_them(tmp_path: Path) -> None:
    root = _project(tmp_path)
    analysis = ProjectAnalyzer(root, AnalysisSettings()).analyze_file(root / "app.py")
    flagged = {d.line for d in analysis.diagnostics if d.code == "TP501"}
    expected = {
        (call.event, call.distinct_id, tuple(sorted(call.properties or {})))
        for call in analysis.calls
        if call.line not in flagged and call.distinct_id is not None
    }
    sent = _run(SOURCE)
    actual = {
        (
            message["event"],
            message["distinct_id"],
            tuple(sorted(message.get("$set") or {}))
            if message["event"] == "$set"
            else tuple(sorted(k for k in message["properties"] if not k.startswith("$"))),
        )
        for message in sent
        if message["event"] != "personless_event"
    }
    assert (
        expected
        == actual
        == {
            ("file_exported", "user-1", ("rows",)),
            ("report_ran", "user-2", ("ok",)),
            ("$set", "user-1", ("plan",)),
        }
    )


def test_tp501_call_on_a_client_returns_none_and_sends_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    analysis = ProjectAnalyzer(root, AnalysisSettings()).analyze_file(root / "app.py")
    [legacy] = [d for d in analysis.diagnostics if d.code == "TP501"]
    assert legacy.line == 8
    sent = _run(SOURCE)
    assert not [m for m in sent if m["event"] in ("legacy_event", "user-9")]
    client = posthog.Posthog("phc_test", host="http://127.0.0.1:9", sync_mode=True)
    assert client.capture("user-9", "legacy_event", {"plan": "pro"}) is None  # type: ignore[misc]


def test_tp501_call_at_module_level_raises_type_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    analysis = ProjectAnalyzer(root, AnalysisSettings()).analyze_file(root / "module_level.py")
    assert [(d.code, d.line) for d in analysis.diagnostics] == [("TP501", 2)]
    with pytest.raises(TypeError):
        exec(compile(MODULE_LEVEL, "module_level.py", "exec"), {})


def test_tp301_capture_without_distinct_id_is_really_personless(tmp_path: Path) -> None:
    root = _project(tmp_path)
    analysis = ProjectAnalyzer(root, AnalysisSettings()).analyze_file(root / "app.py")
    warnings = [d for d in analysis.diagnostics if d.code == "TP301"]
    assert [(d.line, d.severity.value) for d in warnings] == [(12, "warning")]
    [message] = [m for m in _run(SOURCE) if m["event"] == "personless_event"]
    assert message["properties"]["$process_person_profile"] is False
    assert message["distinct_id"]  # a random id the SDK made up
