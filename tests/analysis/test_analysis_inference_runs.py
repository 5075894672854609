"""Wrapper inference inside real lint runs: zero configuration, and a warm cache that
re-analyses only what the whole-project pass says changed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from trackplan.linter.analysis.forwarding import infer_facts, summarise_source
from trackplan.linter.config import Config, ConfigError, load_config
from trackplan.linter.runner import run_lint

TELEMETRY = """import posthog


def track(event, user_id=None, properties=None):
    posthog.capture(event, distinct_id=user_id or "anonymous", properties=properties)
"""

VIEWS = """from app.telemetry import track


def view(user):
    track("file_exported", user.id)
    track("file_exported")
"""


def _project(root: Path) -> None:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "telemetry.py").write_text(TELEMETRY)
    (root / "app" / "views.py").write_text(VIEWS)
    (root / "app" / "other.py").write_text("def helper(x):\n    return x\n")
    old = time.time() - 60  # older than the racy window: the stat index may trust it
    for path in (root / "app").iterdir():
        os.utime(path, (old, old))


def _summary(result: object) -> list[str]:
    calls = getattr(result, "calls", ())
    diags = getattr(result, "diagnostics", ())
    return [f"{Path(c.path).name}:{c.line} {c.target} {c.event}" for c in calls] + [
        f"{Path(d.path or '').name}:{d.line} {d.code}" for d in diags
    ]


def test_lint_finds_wrapper_calls_with_no_configuration(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_lint([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    assert _summary(result) == [
        "views.py:5 app.telemetry.track file_exported",
        "views.py:6 app.telemetry.track file_exported",
        "views.py:6 TP302",
    ]


def test_warm_runs_reuse_results_and_a_wrapper_edit_reanalyses_its_callers(
    tmp_path: Path,
) -> None:
    _project(tmp_path)
    config = Config(root=tmp_path)
    cold = run_lint([tmp_path], config, jobs=1)
    assert cold.files_parsed == 2  # telemetry.py and views.py
    warm = run_lint([tmp_path], config, jobs=1)
    assert warm.files_parsed == 0
    assert _summary(warm) == _summary(cold)
    # only some paths linted (pre-commit): the wrapper defined elsewhere is still known
    some = run_lint([tmp_path / "app" / "views.py"], config, use_cache=False, jobs=1)
    assert _summary(some) == _summary(cold)
    # the wrapper loses its "anonymous" fallback: its callers are re-analysed
    (tmp_path / "app" / "telemetry.py").write_text(
        TELEMETRY.replace('user_id or "anonymous"', "user_id")
    )
    refined = run_lint([tmp_path], config, jobs=1)
    assert refined.files_parsed == 2
    assert _summary(refined) == [
        "views.py:5 app.telemetry.track file_exported",
        "views.py:6 app.telemetry.track file_exported",
    ]
    # the wrapper stops forwarding its parameters: its callers are dropped (a
    # fixed event with the caller's distinct id would still make it a tracking helper)
    (tmp_path / "app" / "telemetry.py").write_text(
        TELEMETRY.replace(
            'posthog.capture(event, distinct_id=user_id or "anonymous", properties=properties)',
            'posthog.capture("fixed_event", distinct_id="server")',
        )
    )
    edited = run_lint([tmp_path], config, jobs=1)
    # telemetry.py only: `track` is no wrapper now, so views.py mentions nothing to check
    assert edited.files_parsed == 1
    assert [line for line in _summary(edited) if line.startswith("views")] == []


def test_the_project_pass_names_wrappers_of_wrappers_and_nothing_else() -> None:
    inner = summarise_source(
        b"import posthog\ndef send(e, u):\n    posthog.capture(e, distinct_id=u)\n"
    )
    outer = summarise_source(
        b"from a import send\ndef outer(name):\n    x = name\n    send(x, 1)\n"
    )
    unrelated = summarise_source(b"def log(msg):\n    print(msg)\n")
    facts = infer_facts([inner, outer, unrelated], {"capture", "track"})
    assert facts.wrapper_names == {"send", "outer"}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    trackplan = str(Path(sys.executable).with_name("trackplan"))
    return subprocess.run([trackplan, *args], cwd=cwd, capture_output=True, text=True)


def test_show_wrappers_prints_each_inferred_wrapper_with_the_reason(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.trackplan.wrappers]\n"
        '"app.hooks.on_signup" = { signature = "(user)", event = "user_signed_up" }\n'
    )
    done = _cli("lint", "--show-wrappers", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "app/telemetry.py:4: app.telemetry.track (event, user_id: distinct_id = None, "
        "properties=None)",
        "    inferred: passes `event` as the event, `user_id` as the distinct id (falling back "
        "to 'anonymous'), `properties` as the properties to `posthog.capture` "
        "(posthog.capture)",
        "pyproject.toml: app.hooks.on_signup (user) event='user_signed_up'",
        "    declared in [tool.trackplan.wrappers]",
    ]


def test_show_wrappers_shows_the_event_of_a_fixed_event_helper(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "cli.py").write_text(
        "import posthog\n\n\n"
        "def capture_tool_call(tool, ok):\n"
        '    posthog.capture("tool_called", distinct_id="cli", properties={"tool": tool})\n'
    )
    done = _cli("lint", "--show-wrappers", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "app/cli.py:4: app.cli.capture_tool_call (tool, ok) event='tool_called'",
        "    inferred: passes the fixed event 'tool_called', its parameters in the distinct id "
        "or the properties to `posthog.capture` (posthog.capture)",
    ]


def test_a_wrapper_table_with_an_unknown_key_is_a_config_error(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trackplan.wrappers]\n"app.hooks.on_signup" = { signature = "(user)", evnt = "x" }\n'
    )
    done = _cli("lint", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("trackplan: config error: ")
    assert "pyproject.toml:2:1" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_template_field_that_is_not_a_parameter_is_a_config_error(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.trackplan.wrappers]\n"
        '"app.hooks.on_signup" = { signature = "(user)", event = "x:{kind}" }\n'
    )
    done = _cli("lint", cwd=tmp_path)
    assert done.returncode == 2
    assert "event template field `kind` is not a parameter of (user)" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '{ event = "x" }',
            'needs a signature, like { signature = "(user)", event = "user_signed_up" }',
        ),
        ("{ signature = 3 }", "signature must be a string, got an integer (3)"),
        ("5", "must be a signature string or a table, got an integer (5)"),
        ('"user"', "'user' is not a signature like \"(event, distinct_id, properties=None)\""),
        (
            '{ signature = "(e)", event-class = "a.b" }',
            "event-class 'a.b' is not an attribute name",
        ),
        ('{ signature = "(e)", event = "" }', "event must not be empty"),
    ],
)
def test_bad_wrapper_values_are_explained(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.trackplan.wrappers]\n"app.w" = {value}\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.key, problem.message) == (
        2,
        'tool.trackplan.wrappers."app.w"',
        message,
    )


def test_src_setting_names_the_source_roots(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.trackplan]\nsrc = ["backend"]\n')
    assert load_config(tmp_path).src == ("backend",)


def test_look_alike_calls_in_modules_without_an_sdk_make_no_candidates() -> None:
    """A shop's `gateway.capture(payment)`, `cache.set(k, v)`, `groups.group(k)` forward
    parameters into SDK-named calls; with no SDK in sight they are no wrappers (on a
    4,300-file e-commerce app this kept 2,938 names out of the whole-project pass)."""
    payments = summarise_source(
        b"def capture_payment(gateway, payment):\n    return gateway.capture(payment)\n"
        b"def remember(cache, key, value):\n    cache.set(key, value)\n"
        b"def tag(groups, key):\n    groups.group(key)\n"
    )
    checkout = summarise_source(
        b"from shop.payments import capture_payment\n"
        b"def complete(payment):\n    capture_payment(GATEWAY, payment)\n"
    )
    assert infer_facts([payments, checkout], {"capture", "set", "group"}).wrapper_names == set()


def test_sdk_named_calls_count_on_client_like_receivers_without_an_sdk_import() -> None:
    named = summarise_source(b"def send(self, e):\n    self.posthog_client.capture(e)\n")
    handed_in = summarise_source(
        b"class Service:\n    def __init__(self, sink):\n        self.sink = sink\n"
        b"    def emit(self, e):\n        self.sink.capture(e)\n"
    )
    wiring = summarise_source(b"from posthog import Posthog\nservice = Service(Posthog('k'))\n")
    declared = summarise_source(b"def signup(u):\n    telemetry.capture('x', u)\n")
    base = {"capture"}
    assert infer_facts([named], base).wrapper_names == {"send"}
    assert infer_facts([handed_in], base).wrapper_names == set()
    assert infer_facts([handed_in, wiring], base).wrapper_names == {"emit"}
    assert infer_facts([declared], base).wrapper_names == set()
    assert infer_facts([declared], base, ["app.telemetry.capture"]).wrapper_names == {"signup"}


def test_a_huge_wrapper_signature_is_refused_in_one_short_line(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.trackplan.wrappers]\n"app.t.track" = "posthog=={"9" * 4000}"\n'
    )
    done = _cli("lint", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) < 300, lines
    assert "pyproject.toml:2:1" in lines[0] and "is not a signature like" in lines[0]
