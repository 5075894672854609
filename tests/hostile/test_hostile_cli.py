"""Every command against hostile inputs: no traceback, no hang, the right exit code, no lost file.

Each case builds a small project in a temp dir, runs the installed CLI (next to
``sys.executable``) as a real subprocess, and asserts what the README promises for any
input: an exit code from the documented set (0 clean, 1 findings, 2 usage/config/plan
error), never a Python traceback, never the internal-error line (a hostile input deserves
a precise message, not a crash report), an exit-2 message on stderr, a bounded run time,
and every file that existed before byte-for-byte (and mode) unchanged unless the command
is one that writes it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).with_name("trackplan"))
TIMEOUT = 60

PLAN = """\
version: 1
events:
  user_signed_up:
    description: A visitor created an account.
    properties:
      plan: {type: string, enum: [free, pro], required: true}
"""
APP = """\
import posthog

def signup(user_id):
    posthog.capture("user_signed_up", distinct_id=user_id, properties={"plan": "free"})
"""
PYPROJECT = (
    '[project]\nname = "app"\ndependencies = ["posthog>=7"]\n\n[tool.trackplan]\nplan = "plans"\n'
)
GOOD_EVENT = '{"event": "user_signed_up", "distinct_id": "u1", "properties": {"plan": "free"}}\n'

Files = dict[str, "str | bytes | Callable[[Path], None]"]


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    files: Files = field(default_factory=dict)
    codes: frozenset[int] = frozenset({0, 1, 2})
    writes: frozenset[str] = frozenset()  # files this command may change
    base: bool = True  # start from the clean project (plan, app, pyproject)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _loop(path: Path) -> None:
    path.mkdir()
    (path / "again").symlink_to(path)


def _deep_yaml(levels: int) -> str:
    text = "version: 1\nevents:\n  e_viewed:\n    properties:\n      p:\n        type: object\n"
    indent = "        "
    for i in range(levels):
        text += f"{indent}properties:\n{indent}  k{i}:\n{indent}    type: object\n"
        indent += "    "
    return text


def _plan_with(spec: str) -> str:
    return (
        "version: 1\nevents:\n  user_signed_up:\n    description: d\n"
        f"    properties:\n      plan:\n{spec}"
    )


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

HOSTILE_PLANS: dict[str, str | bytes | Callable[[Path], None]] = {
    "fifo": _fifo,
    "dev-zero": _link_to("/dev/zero"),
    "dangling-link": _link_to("/nonexistent/plan.yaml"),
    "not-utf8": b"version: 1\nevents:\n  caf\xe9_viewed: {}\n",
    "bad-yaml": "version: 1\nevents:\n  a_viewed: {properties: [\n",
    "tab-indent": "version: 1\nevents:\n\ta_viewed: {}\n",
    "nan": _plan_with("        type: number\n        minimum: .nan\n"),
    "infinity": _plan_with("        type: number\n        maximum: -.Inf\n"),
    "huge-int": _plan_with(f"        type: integer\n        maximum: {'9' * 5000}\n"),
    "lookahead-regex": _plan_with("        type: string\n        pattern: '^(?=a)a$'\n"),
    "exploding-regex": _plan_with(
        "        type: string\n        pattern: '^(?:[ab]*a[ab]{1000}){10}$'\n"
    ),
    "unclosed-regex": _plan_with("        type: string\n        pattern: '(abc'\n"),
    "empty": "",
    "top-level-list": "- a\n- b\n",
    "alias-bomb": ALIAS_BOMB,
    "deep": _deep_yaml(300),
    "duplicate-keys": "version: 1\nevents:\n  a_viewed: {}\n  a_viewed: {}\n",
    "newline-event-name": 'version: 1\nevents:\n  "a_viewed\\nb: 1": {}\n',
    "huge-event-name": f"version: 1\nevents:\n  {'a' * 100_000}_viewed: {{}}\n",
    "bom-crlf": "\ufeffversion: 1\r\nevents:\r\n  page_viewed: {}\r\n",
    "binary": bytes(range(256)) * 4,
    "version-string-huge": f"version: {'1' * 5000}\nevents: {{}}\n",
}

HOSTILE_PYPROJECTS: dict[str, str | bytes | Callable[[Path], None]] = {
    "tool-is-string": 'tool = "x"\n',
    "trackplan-is-int": "[tool]\ntrackplan = 1\n",
    "plan-is-int": "[tool.trackplan]\nplan = 5\n",
    "plan-has-nul": '[tool.trackplan]\nplan = "pla\\u0000ns"\n',
    "exclude-nested": "[tool.trackplan]\nexclude = " + "[" * 900 + "]" * 900 + "\n",
    "unknown-key": "[tool.trackplan]\nplann = 'plans'\n",
    "invalid-toml": "[tool.trackplan\nplan = 'plans'\n",
    "not-utf8": b"[tool.trackplan]\nplan = '\xff'\n",
    "fifo": _fifo,
    "project-is-int": "project = 1\n",
    "poetry-is-string": '[tool]\npoetry = "x"\nuv = 3\n',
    "deps-not-list": "[project]\nname = 'a'\ndependencies = 'posthog'\noptional-dependencies = 1\n",
    "dependency-groups-odd": "[dependency-groups]\ndev = [1, {x = 2}, 'posthog==7.0']\n",
    "huge-version": "[project]\nname = 'a'\ndependencies = ['posthog==" + "9" * 5000 + "']\n",
    "wrappers-odd": "[tool.trackplan.wrappers]\n'a.b' = 3\n'' = ''\n",
    "jobs-odd": "[tool.trackplan]\nplan = 'plans'\nseverity = {TP201 = 'fatal'}\n",
}

HOSTILE_SOURCES: dict[str, str | bytes | Callable[[Path], None]] = {
    "not-utf8": b"import posthog\nposthog.capture('caf\xe9', distinct_id='u')\n",
    "lone-surrogate": 'import posthog\nposthog.capture("\\ud800", distinct_id="u1")\n',
    "deep-expression": "import posthog\nx = " + "(" * 50_000 + "1" + ")" * 50_000 + "\n",
    "long-chain": "import posthog\nx = " + "+".join(["1"] * 50_000) + "\n",
    "big-module": "import posthog\n"
    + "".join(f"posthog.capture('user_signed_up', distinct_id='u{i}')\n" for i in range(60_000)),
    "fifo": _fifo,
    "syntax-error": "import posthog\ndef broken(:\n    posthog.capture('x')\n",
    "nul-byte": b"import posthog\nposthog.capture('a\x00b', distinct_id='u')\n",
    "py312-syntax": "import posthog\ntype Alias[T] = list[T]\n"
    "posthog.capture('a_viewed', distinct_id='u')\n",
    "dev-zero": _link_to("/dev/zero"),
}

HOSTILE_PAYLOADS: dict[str, bytes] = {
    "truncated": GOOD_EVENT[:30].encode() + b"\n" + GOOD_EVENT.encode(),
    "not-utf8": b'{"event": "caf\xe9"}\n' + GOOD_EVENT.encode(),
    "nan": b'{"event": "user_signed_up", "distinct_id": "u", "properties": {"x": NaN}}\n',
    "deep": b"[" * 5000 + b"]" * 5000 + b"\n",
    "not-object": b'42\n[]\nnull\n"s"\n',
    "empty": b"",
    "huge-int": b'{"event": "user_signed_up", "distinct_id": ' + b"9" * 5000 + b"}\n",
    "lone-surrogate": b'{"event": "user_signed_up", "distinct_id": "\\ud800"}\n',
    "batch-odd": b'{"api_key": "k", "batch": {"a": 1}}\n{"batch": []}\n',
    "binary": bytes(range(256)) * 64,
}

HOSTILE_BASELINES: dict[str, str | bytes | Callable[[Path], None]] = {
    "not-json": "this is not json",
    "list-of-garbage": '[1, 2, {"x": null}]',
    "wrong-shape": '{"version": "x", "findings": 3}',
    "deep": "[" * 100_000 + "]" * 100_000,
    "fifo": _fifo,
    "not-utf8": b'{"\xff": 1}',
    "dev-zero": _link_to("/dev/zero"),
}


def _cases() -> list[Case]:
    cases: list[Case] = []
    for key, content in HOSTILE_PLANS.items():
        files: Files = {"bad.yaml": content}
        cases += [
            Case(f"check-plan-{key}", ("check", "bad.yaml"), files),
            Case(
                f"validate-plan-{key}",
                ("validate", "--plan", "bad.yaml", "events.jsonl"),
                {**files, "events.jsonl": GOOD_EVENT},
            ),
            Case(
                f"export-plan-{key}",
                ("export", "bad.yaml", "--out", "out"),
                files,
                writes=frozenset({"out"}),
            ),
            Case(f"lint-plan-{key}", ("lint", "--no-cache", "--plan", "bad.yaml", "app.py"), files),
        ]
    cases.append(Case("check-plan-dir-with-fifo", ("check", "plans"), {"plans/zz.yaml": _fifo}))
    cases.append(Case("check-plan-dir-with-loop", ("check", "plans"), {"plans/loop": _loop}))
    for key, content in HOSTILE_PYPROJECTS.items():
        files = {"pyproject.toml": content}
        cases += [
            Case(f"lint-pyproject-{key}", ("lint", "--no-cache", "."), files),
            Case(f"check-pyproject-{key}", ("check",), files),
            Case(
                f"validate-pyproject-{key}",
                ("validate", "events.jsonl"),
                {**files, "events.jsonl": GOOD_EVENT},
            ),
            Case(f"coverage-pyproject-{key}", ("coverage", "--no-cache", "."), files),
            Case(
                f"init-pyproject-{key}",
                ("init", "."),
                files,
                writes=frozenset(
                    {
                        "pyproject.toml",
                        "plans/tracking-plan.yaml",
                        "trackplan-baseline.json",
                        ".trackplan-baseline.json",
                    }
                ),
            ),
        ]
    for key, content in HOSTILE_SOURCES.items():
        files = {"src_bad.py": content}
        cases += [
            Case(f"lint-source-{key}", ("lint", "--no-cache", "."), files),
            Case(f"coverage-source-{key}", ("coverage", "--no-cache", "."), files),
        ]
    for key, payload in HOSTILE_PAYLOADS.items():
        cases.append(
            Case(
                f"validate-payload-{key}",
                ("validate", "events.jsonl"),
                {"events.jsonl": payload},
                codes=frozenset({1}) if key not in {"empty"} else frozenset({0}),
            )
        )
        cases.append(
            Case(
                f"validate-json-payload-{key}",
                ("validate", "--format", "json", "events.jsonl"),
                {"events.jsonl": payload},
                codes=frozenset({1}) if key not in {"empty"} else frozenset({0}),
            )
        )
    for key, content in HOSTILE_BASELINES.items():
        cases.append(
            Case(
                f"lint-baseline-{key}",
                ("lint", "--no-cache", "--baseline", "base.json", "."),
                {"base.json": content},
                codes=frozenset({2}),
            )
        )
    cases += [
        Case(
            "lint-corrupt-cache",
            ("lint", "."),
            {
                ".trackplan_cache/CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n",
                ".trackplan_cache/v1/aa/garbage": b"\x00\xff" * 100,
            },
            writes=frozenset({".trackplan_cache"}),
        ),
        Case("lint-jobs-huge", ("lint", "--no-cache", "--jobs", "1000", "."), {}),
        Case(
            "lint-jobs-negative",
            ("lint", "--no-cache", "--jobs", "-1", "."),
            {},
            codes=frozenset({2}),
        ),
        Case(
            "validate-jobs-huge",
            ("validate", "--jobs", "1000", "events.jsonl"),
            {"events.jsonl": GOOD_EVENT * 10},
        ),
        Case("rules-unknown", ("rules", "TP999"), {}, codes=frozenset({2})),
        Case("lint-missing-path", ("lint", "--no-cache", "nope.py"), {}, codes=frozenset({2})),
        Case(
            "lint-changed-since-no-git",
            ("lint", "--changed-since", "main", "."),
            {},
            codes=frozenset({2}),
        ),
        Case(
            "export-out-is-file", ("export", "plans", "--out", "app.py"), {}, codes=frozenset({2})
        ),
        Case(
            "init-plans-is-file",
            ("init", "."),
            {"plans": "not a dir\n"},
            base=False,
            codes=frozenset({2}),
        ),
        Case("check-no-plan", ("check",), {}, base=False, codes=frozenset({2})),
        Case("lint-symlink-loop", ("lint", "--no-cache", "."), {"loop": _loop}),
        Case("validate-missing-file", ("validate", "nope.jsonl"), {}, codes=frozenset({2})),
        Case("validate-dir-as-file", ("validate", "plans"), {}, codes=frozenset({2})),
        Case(
            "check-plan-is-dir-of-nothing",
            ("check", "empty"),
            {"empty/.keep": ""},
            codes=frozenset({1, 2}),  # `check` reports TP001 on the plan it checks
        ),
        Case("schema-plain", ("schema",), {}),
    ]
    return cases


CASES = _cases()


def _write(root: Path, files: Files) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            if path.is_file() or path.is_symlink():
                path.unlink()  # replace the clean project's file with the hostile thing
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for dirpath, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(dirpath) / name
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            found[str(path.relative_to(root))] = (
                stat.S_IMODE(info.st_mode),
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gets_a_clear_answer_and_loses_nothing(tmp_path: Path, case: Case) -> None:
    root = tmp_path / "project"
    root.mkdir()
    if case.base:
        _write(root, {"plans/plan.yaml": PLAN, "app.py": APP, "pyproject.toml": PYPROJECT})
    _write(root, case.files)
    before = _snapshot(root)
    try:
        run = subprocess.run(
            [CLI, *case.argv],
            cwd=root,
            capture_output=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "TRACKPLAN_DEBUG": ""},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: still running after {TIMEOUT} s")
    out = run.stdout.decode("utf-8", "replace")
    err = run.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err + out, err[-2000:]
    assert "internal error" not in err, err[-2000:]
    assert run.returncode in case.codes, (run.returncode, err[-2000:], out[-2000:])
    if run.returncode == 2:
        assert err.strip(), "exit 2 must say why on stderr"
    after = _snapshot(root)
    for relative, state in before.items():
        if any(relative == w or relative.startswith(w + "/") for w in case.writes):
            continue
        assert after.get(relative) == state, f"{relative} was changed or removed"
