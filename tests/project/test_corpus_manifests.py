"""The real-code corpus (bench/corpus/) stays usable: every manifest is well-formed, its
careful-user wrapper declarations are accepted by the analyzer, and the scorer matches
calls to labels as documented (exact line first, then a covering span; forwarding calls
counted apart; unmatched calls classed by target).

The apps themselves are not fetched here (that needs the network); this checks the data
and the scoring arithmetic with hand-written calls.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from trackplan.linter.analysis.model import TrackingCall
from trackplan.linter.analysis.sdk_table import wrapper_rows

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "corpus"
MANIFESTS = sorted((CORPUS / "apps").glob("*.toml"))
VIAS = {"direct", "wrapper", "own", "forwarding", "optional"}
KINDS = {
    "capture",
    "capture_exception",
    "identify",
    "set",
    "set_once",
    "alias",
    "group_identify",
    "track",
}
QUALIFIED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _score_module() -> ModuleType:
    sys.path.insert(0, str(CORPUS))
    try:
        spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["corpus_score"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(CORPUS))


def test_the_corpus_has_fifteen_or_more_apps_with_unique_names() -> None:
    names = [_load(p)["name"] for p in MANIFESTS]
    assert len(names) >= 15
    assert len(set(names)) == len(names)
    assert [p.stem for p in MANIFESTS] == names


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.stem)
def test_manifest_is_well_formed(path: Path) -> None:
    app = _load(path)
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", app["repo"])
    assert re.fullmatch(r"[0-9a-f]{40}", app["commit"])
    assert app["license"]
    assert app["paths"] and all(not p.startswith(("/", "..")) for p in app["paths"])
    sites = app["sites"]
    assert any(s["via"] in {"direct", "wrapper", "own"} for s in sites)
    seen: set[tuple[str, int]] = set()
    for site in sites:
        where = (site["path"], site["line"])
        assert where not in seen, f"duplicate label {where}"
        seen.add(where)
        assert site["via"] in VIAS
        assert site["kind"] in KINDS
        assert isinstance(site["line"], int) and site["line"] > 0
        assert any(site["path"].startswith(p.rstrip("/") + "/") for p in app["paths"]), where
        assert all(isinstance(e, str) and e for e in site["events"])
        if site["via"] in {"wrapper", "own", "forwarding"}:
            assert QUALIFIED.match(site["wrapper"]), site
    for wrapper in app.get("wrappers", []):
        assert QUALIFIED.match(wrapper["name"])
        assert isinstance(wrapper["line"], int) and wrapper["line"] > 0
        assert wrapper["chain"]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.stem)
def test_careful_wrappers_are_accepted_by_the_analyzer(path: Path) -> None:
    declared = _load(path).get("careful", {}).get("wrappers", {})
    assert all(QUALIFIED.match(name) for name in declared)
    rows = wrapper_rows(dict(declared))
    assert len(list(rows)) >= len(declared)


def _call(path: str, line: int, end_line: int, target: str, event: str | None) -> TrackingCall:
    return TrackingCall(path, line, 5, end_line, 9, "capture", target, event, None, None)


def test_scoring_matches_exact_lines_then_spans_and_classes_the_rest() -> None:
    score = _score_module()
    app = {
        "sites": [
            {"path": "a.py", "line": 3, "via": "direct", "events": ["x"]},
            {"path": "a.py", "line": 10, "via": "wrapper", "events": ["y"]},
            {"path": "a.py", "line": 20, "via": "wrapper", "events": []},
            {"path": "b.py", "line": 4, "via": "forwarding", "events": []},
            {"path": "b.py", "line": 9, "via": "optional", "events": ["z"]},
            {"path": "c.py", "line": 1, "via": "own", "events": ["w"]},
        ]
    }
    root = Path("/proj")
    calls = [
        _call("/proj/a.py", 3, 3, "posthog.capture", "x"),  # exact
        _call("/proj/a.py", 9, 12, "app.track", "other"),  # span covers line 10
        _call("/proj/b.py", 4, 4, "posthog.Client.capture", None),  # forwarding
        _call("/proj/b.py", 9, 9, "app.track", "z"),  # optional: neither way
        _call("/proj/d.py", 7, 7, "posthog.capture", "q"),  # spurious direct
        _call("/proj/d.py", 8, 8, "app.other", "q"),  # spurious wrapper
    ]
    result = score.score_calls(app, calls, root)
    direct, wrapper, own = (result.tallies[k] for k in ("direct", "wrapper", "own"))
    assert (direct.labelled, direct.found, direct.detected, direct.correct) == (1, 1, 2, 1)
    assert (wrapper.labelled, wrapper.found, wrapper.detected, wrapper.correct) == (2, 1, 2, 1)
    assert (own.labelled, own.found) == (1, 0)
    assert direct.recall == 1.0 and direct.precision == 0.5
    assert wrapper.recall == 0.5 and wrapper.precision == 0.5
    assert wrapper.missed == ["a.py:20"]
    assert result.forwarding_reported == 1
    assert result.forwarded == ["b.py:4"]
    assert (result.event_checked, result.event_agreed) == (2, 1)


def test_init_share_counts_literal_names_without_sdk_names() -> None:
    score = _score_module()
    app = {
        "sites": [
            {"path": "a.py", "line": 1, "via": "wrapper", "events": ["a", "b"]},
            {"path": "a.py", "line": 2, "via": "direct", "events": ["$identify"]},
            {"path": "a.py", "line": 3, "via": "forwarding", "events": ["ignored"]},
            {"path": "a.py", "line": 4, "via": "optional", "events": ["c"]},
        ]
    }
    assert score.literal_events(app) == {"a", "b", "c"}


def _fetch_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_fetch", CORPUS / "fetch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_fetch"] = module
    spec.loader.exec_module(module)
    return module


def _git(*args: str, cwd: Path) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_fetch_exports_the_pinned_commit_and_only_what_the_analyzer_reads(tmp_path: Path) -> None:
    fetch = _fetch_module()
    upstream = tmp_path / "upstream"
    (upstream / "pkg").mkdir(parents=True)
    (upstream / "pkg" / "track.py").write_text("import posthog\n", encoding="utf-8")
    (upstream / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (upstream / "logo.png").write_bytes(b"\x89PNG")
    _git("init", "-q", cwd=upstream)
    _git("add", "-A", cwd=upstream)
    _git("commit", "-q", "-m", "pinned", cwd=upstream)
    pinned = _git("rev-parse", "HEAD", cwd=upstream)
    (upstream / "pkg" / "track.py").write_text("changed later\n", encoding="utf-8")
    _git("commit", "-q", "-am", "later", cwd=upstream)

    app = {"name": "demo", "repo": upstream.as_uri(), "commit": pinned}
    tree = fetch.fetch_app(app, tmp_path / "cache", None)

    assert (tree / "pkg" / "track.py").read_text(encoding="utf-8") == "import posthog\n"
    assert (tree / "pyproject.toml").is_file()
    assert not (tree / "logo.png").exists()
    assert (tree / ".corpus-commit").read_text().strip() == pinned
    assert _git("status", "--porcelain", "--untracked-files=no", cwd=tree) == ""
    # a second fetch at the same commit keeps the tree as it is
    (tree / "pkg" / "track.py").write_text("local edit\n", encoding="utf-8")
    assert fetch.fetch_app(app, tmp_path / "cache", None) == tree
    assert (tree / "pkg" / "track.py").read_text(encoding="utf-8") == "local edit\n"
