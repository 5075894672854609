"""Property tests (Hypothesis) of the lint side's readers on hostile input.

- source files: generated hostile modules (deep brackets, long operator chains, lone
  surrogates, NUL bytes, invalid UTF-8, random bytes, 3.12 syntax) through the worker's
  own analysis function: never an exception, at most one TP901 for the file, and a
  result the cache and every reporter can write (UTF-8 strings only);
- cache files: random JSON values, random bytes and truncations of real entries as a
  per-file entry or as the stat index: a miss (or a well-formed hit), never an exception;
- baselines: random JSON values and bytes: a :class:`Baseline` or a one-line
  :class:`BaselineError` naming the file, never another exception;
- the prefilter: the one-pass matcher agrees with the per-token search, and the windowed
  scan of an oversized file never misses a mention the whole-file scan finds.
"""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.linter import sources
from trackplan.linter.baseline import Baseline, BaselineError
from trackplan.linter.cache import CachedResult, FileState, LintCache
from trackplan.linter.config import Config
from trackplan.linter.outcomes import _diagnostic_from_json, valid_call, valid_diagnostic
from trackplan.linter.prefilter import TokenMatcher, may_track
from trackplan.linter.workers import _analyze, _make_analyzer

_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- hostile source files -----------------------------------------------------------------

_CALL = "posthog.capture({event}, distinct_id={who})\n"
_EVENTS = st.sampled_from(
    ['"user_signed_up"', '"\\ud800"', '"x\\udcff y"', '"\\x00"', "EVENT", 'f"{x}"', '"é_á"']
)


@st.composite
def _hostile_module(draw: st.DrawFn) -> bytes:
    parts: list[bytes] = [b"import posthog\n"]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        depth = draw(st.sampled_from([1, 50, 199, 200, 201, 1000, 20000]))
        if kind == 0:
            opener, closer = draw(st.sampled_from([(b"(", b")"), (b"[", b"]"), (b"{", b"}")]))
            parts.append(b"x = " + opener * depth + closer * depth + b"\n")
        elif kind == 1:
            op = draw(st.sampled_from([b"+", b"*", b" and ", b" or ", b".", b"()"]))
            parts.append(b"x = a" + op.join([b"a"] * depth) + b"\n")
        elif kind == 2:
            prefix = draw(st.sampled_from([b"not ", b"-", b"~", b"lambda: ", b"await "]))
            parts.append(b"x = " + prefix * min(depth, 5000) + b"1\n")
        elif kind == 3:
            event = draw(_EVENTS)
            who = draw(st.sampled_from(["u", '"anon"', '"\\udfff"', "None"]))
            parts.append(_CALL.format(event=event, who=who).encode("utf-8", "surrogatepass"))
        elif kind == 4:
            parts.append(draw(st.binary(max_size=200)))
        elif kind == 5:
            parts.append(draw(st.text(max_size=200)).encode("utf-8", "surrogatepass"))
        elif kind == 6:
            parts.append(
                b"type X = int\ndef f[T](x: T) -> T:\n    "
                + _CALL.format(event=draw(_EVENTS), who="x").encode()
            )
        elif kind == 7:
            parts.append(b"".join(b" " * i + b"if x:\n" for i in range(min(depth, 150))))
            parts.append(b" " * min(depth, 150) + b"pass\n")
        elif kind == 8:
            parts.append(b'x = "' + b"\\ud800" * draw(st.integers(1, 50)) + b'"\n')
        else:
            parts.append(b"# posthog.capture('in a comment')\n")
    return b"".join(parts)


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path]]:
    root = tmp_path_factory.mktemp("hostile-sources")
    (root / "pyproject.toml").write_text('[project]\ndependencies = ["posthog>=6"]\n')
    yield _make_analyzer(Config(root=root), None), root
    shutil.rmtree(root, ignore_errors=True)


@_SETTINGS
@given(source=_hostile_module(), send_bytes=st.booleans())
def test_a_hostile_module_is_one_finding_or_a_normal_result(
    analyzer: tuple[object, Path], source: bytes, send_bytes: bool
) -> None:
    engine, root = analyzer
    path = root / "hostile.py"
    path.write_bytes(source)
    outcome = _analyze(engine, str(path), root, source if send_bytes else None, 1 << 20)
    assert outcome.path == "hostile.py"
    codes = [d["code"] for d in outcome.diagnostics]
    assert codes.count("TP901") <= 1
    if "TP901" in codes:
        assert outcome.calls == []
    for diag in outcome.diagnostics:
        assert valid_diagnostic(diag)
        assert diag["path"] == "hostile.py"
        _diagnostic_from_json(diag, root)
    assert all(valid_call(call) for call in outcome.calls)
    # what the cache stores and the reporters print: UTF-8 all through
    orjson.dumps([outcome.diagnostics, outcome.calls])
    str(outcome.diagnostics).encode("utf-8")


# -- hostile cache files --------------------------------------------------------------------

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)

_GOOD_DIAG = {"code": "TP101", "severity": "error", "message": "m", "path": "a.py", "line": 1}
_GOOD_CALL = {
    "path": "a.py",
    "line": 1,
    "column": 1,
    "end_line": 1,
    "end_column": 9,
    "kind": "capture",
    "target": "posthog.capture",
    "event": "e",
    "properties": None,
    "distinct_id": None,
}


def _entry_bytes(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except (TypeError, orjson.JSONEncodeError):
        return b"{"


@st.composite
def _hostile_entry(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 4))
    good = {
        "path": "a.py",
        "digest": "d",
        "diagnostics": [_GOOD_DIAG],
        "calls": [_GOOD_CALL],
        "dependencies": [["b.py", "x"]],
    }
    if choice == 0:
        return draw(st.binary(max_size=300))
    if choice == 1:  # a real entry, truncated
        data = orjson.dumps(good)
        return data[: draw(st.integers(0, len(data)))]
    if choice == 2:  # a real entry with one part replaced by anything
        key = draw(st.sampled_from(sorted(good)))
        return _entry_bytes({**good, key: draw(_JSON)})
    if choice == 3:  # a diagnostic or call with one field replaced
        which = draw(st.sampled_from(["diagnostics", "calls"]))
        item = dict(_GOOD_DIAG if which == "diagnostics" else _GOOD_CALL)
        item[draw(st.sampled_from([*sorted(item), "extra"]))] = draw(_JSON)
        return _entry_bytes({**good, which: [item]})
    depth = draw(st.integers(1, 3000))
    return b'{"path": "a.py", "digest": "d", "diagnostics": ' + b"[" * depth + b"]" * depth + b"}"


@_SETTINGS
@given(payload=_hostile_entry())
def test_a_hostile_cache_entry_is_a_miss_or_a_well_formed_hit(
    tmp_path: Path, payload: bytes
) -> None:
    cache = LintCache(tmp_path, "settings")
    cache.put("a.py", "d", CachedResult([_GOOD_DIAG], [_GOOD_CALL], [("b.py", "x")]))
    entry = cache._entry_path("a.py")
    entry.write_bytes(payload)
    result = cache.get("a.py", "d")
    if result is not None:
        for diag in result.diagnostics:
            _diagnostic_from_json(diag, tmp_path)
        for call in result.calls:
            from trackplan.linter.analysis.model import TrackingCall

            TrackingCall(**call)
        assert all(isinstance(p, str) and isinstance(d, str) for p, d in result.dependencies)


@_SETTINGS
@given(files=_JSON, tokens=st.sampled_from(["t", 5, None]), raw=st.binary(max_size=200))
def test_a_hostile_stat_index_is_ignored_entry_by_entry(
    tmp_path: Path, files: object, tokens: object, raw: bytes
) -> None:
    cache = LintCache(tmp_path, "settings")
    cache.remember("a.py", FileState(1, 2, 3, 4, True, "d"))
    cache.save_index()
    index = cache._index_path
    for content in (_entry_bytes({"version": 1, "tokens": tokens, "files": files}), raw):
        index.write_bytes(content)
        again = LintCache(tmp_path, "settings")
        again.load_index("t")
        stat = os.stat(index)
        for rel in ("a.py", *(files if isinstance(files, dict) else {})):
            again.state(rel)
            again.fresh_verdict(rel, stat)
        again.forget_missing([])
        again.remember("b.py", FileState(1, 2, 3, 4, None, None))
        again.save_index()
        assert orjson.loads(index.read_bytes())["files"]["b.py"] == [1, 2, 3, 4, None, None]


# -- hostile baselines --------------------------------------------------------------------


@st.composite
def _hostile_baseline(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.binary(max_size=300))
    if choice == 1:
        return _entry_bytes(draw(_JSON))
    entry = {"code": "TP101", "count": 1, "event": "e", "fingerprint": "f", "path": "a.py"}
    if choice == 2:
        entry[draw(st.sampled_from([*sorted(entry), "other"]))] = draw(_JSON)
        return _entry_bytes(
            {"version": draw(st.sampled_from([1, 1.0, True, "1"])), "entries": [entry]}
        )
    depth = draw(st.integers(1, 3000))
    return b'{"version": 1, "entries": ' + b"[" * depth + b"]" * depth + b"}"


@_SETTINGS
@given(payload=_hostile_baseline())
def test_a_hostile_baseline_loads_or_is_a_clear_error(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(payload)
    try:
        baseline = Baseline.load(path)
    except BaselineError as exc:
        message = str(exc)
        assert message.startswith(str(path))
        assert "\n" not in message
        return
    for entry in baseline.entries:
        assert all(isinstance(part, str) for part in entry.key)
        assert type(entry.count) is int and entry.count >= 1
    baseline.split([])


# -- the prefilter ------------------------------------------------------------------------

_TOKEN_BYTES = st.binary(min_size=1, max_size=6) | st.sampled_from(
    [b"posthog", b".capture(", "trácker".encode(), b"#", b"\n", b"\xff"]
)


@_SETTINGS
@given(
    tokens=st.lists(_TOKEN_BYTES, min_size=1, max_size=5),
    data=st.lists(
        st.binary(max_size=30) | st.sampled_from([b"posthog", b"# posthog", b"\n", b"\r", b" #"]),
        max_size=20,
    ).map(b"".join),
)
def test_the_one_pass_matcher_agrees_with_the_per_token_search(
    tokens: list[bytes], data: bytes
) -> None:
    assert TokenMatcher(tokens)(data) == may_track(data, tokens)


@_SETTINGS
@given(
    data=st.lists(
        st.sampled_from([b"x = 1\n", b"# posthog\n", b"posthog", b"post", b"hog\n", b"\n"])
        | st.binary(max_size=12),
        max_size=60,
    ).map(b"".join),
    window=st.integers(1, 40),
)
def test_the_windowed_scan_never_misses_a_mention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, window: int
) -> None:
    monkeypatch.setattr(sources, "_WINDOW", window)
    path = tmp_path / "large.py"
    path.write_bytes(data)
    matcher = TokenMatcher([b"posthog"])
    whole = matcher(data)
    streamed = sources.large_file_mentions(str(path), matcher)
    if whole:
        assert streamed
    if max((len(line) for line in data.split(b"\n")), default=0) < sources._CARRY:
        assert streamed == whole


# -- project-level summaries (the hook of whole-project passes) ---------------------------


def _is_exports(data: object) -> bool:
    return type(data) is dict and all(type(v) is str for v in data.values())


@_SETTINGS
@given(payload=st.binary(max_size=200) | _JSON.map(_entry_bytes))
def test_a_summary_round_trips_and_a_hostile_one_is_a_miss(tmp_path: Path, payload: bytes) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path))  # one project per example
    cache = LintCache(root, "settings")
    digest = "0123456789abcdef"
    assert cache.get_summary("exports", digest, _is_exports) is None
    cache.put_summary("exports", digest, {"track": "function"})
    assert cache.get_summary("exports", digest, _is_exports) == {"track": "function"}
    assert LintCache(root, "other").get_summary("exports", digest, _is_exports) is None
    cache._summary_path("exports", digest).write_bytes(payload)
    found = cache.get_summary("exports", digest, _is_exports)
    assert found is None or _is_exports(found)
    with pytest.raises(ValueError):
        cache.get_summary("../x", digest, _is_exports)


# -- the libcst guards: exact verdicts ----------------------------------------------------

_CHAINS = {
    "or": b"x = a" + b" or a" * 2500,
    "or_in_parens": b"x = (a\n" + b" or a\n" * 2500 + b")",
    "strings": b"x = " + b'"a" ' * 2500,
    "attributes": b"x = a" + b".b" * 2500,
    "calls": b"x = f" + b"()" * 2500,
    "subscripts": b"x = a" + b"[0]" * 2500,
    "default": b"def f(x=a" + b"+a" * 2500 + b"):\n    pass",
    "nested_not": b"class A:\n    def f(self):\n        if x:\n            return "
    + b"not " * 2500
    + b"1",
    "lambdas": b"x = " + b"lambda: " * 2500 + b"1",
    "unary": b"x = " + b"-" * 2500 + b"1",
}
_FLAT = {
    "list_of_tuples": b"x = [" + b"(1, -2), " * 3000 + b"]",
    "dict": b"x = {" + b'"k": -1, ' * 3000 + b"}",
    "call_args": b"f(" + b"a=1, " * 3000 + b")",
    "short_chain": b"x = a" + b" + a" * 400,
    "long_string": b'x = "' + b"a" * 50000 + b'"',
}


@pytest.mark.parametrize("name", sorted(_CHAINS))
def test_chains_libcst_cannot_take_are_refused(name: str) -> None:
    from trackplan.linter.analysis.guards import libcst_refusal

    source = _CHAINS[name] + b"\n"
    try:
        tree: ast.Module | None = ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError):
        tree = None
    assert libcst_refusal(source, tree) is not None
    assert libcst_refusal(b"type X = int\n" + source, None) is not None


@pytest.mark.parametrize("name", sorted(_FLAT))
def test_flat_literals_and_short_chains_pass(name: str) -> None:
    from trackplan.linter.analysis.guards import libcst_refusal

    source = _FLAT[name] + b"\n"
    assert libcst_refusal(source, ast.parse(source)) is None
    assert libcst_refusal(source, None) is None
