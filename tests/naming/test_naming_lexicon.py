"""The shipped verb lexicon: its content, its provenance, and that it loads once and fast."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from trackplan.registry.naming.lexicon import (
    Form,
    builtin_lexicon,
    inflect_regular,
    lexicon_for,
)

REPO = Path(__file__).resolve().parents[2]


def _data(name: str) -> str:
    return resources.files("trackplan.registry.naming").joinpath(name).read_text("utf-8")


def test_lexicon_holds_thousands_of_verbs() -> None:
    assert len(builtin_lexicon()) >= 6000


@pytest.mark.parametrize(
    ("word", "lemma", "form"),
    [
        ("went", "go", Form.PAST),
        ("gone", "go", Form.PARTICIPLE),
        ("sent", "send", Form.PAST | Form.PARTICIPLE),
        ("bought", "buy", Form.PAST | Form.PARTICIPLE),
        ("was", "be", Form.PAST),
        ("been", "be", Form.PARTICIPLE),
        ("written", "write", Form.PARTICIPLE),
        ("paid", "pay", Form.PAST | Form.PARTICIPLE),
        ("played", "play", Form.PAST | Form.PARTICIPLE),
        ("purchases", "purchase", Form.THIRD),
        ("signing", "sign", Form.ING),
        ("cancelled", "cancel", Form.PAST | Form.PARTICIPLE),
        ("canceled", "cancel", Form.PAST | Form.PARTICIPLE),
        ("synced", "sync", Form.PAST | Form.PARTICIPLE),
        ("upsold", "upsell", Form.PAST | Form.PARTICIPLE),
    ],
)
def test_irregular_and_regular_forms_are_known(word: str, lemma: str, form: Form) -> None:
    lexicon = builtin_lexicon()
    assert lemma in lexicon.lemmas(word)
    assert lexicon.forms(word) & form == form


def test_noun_verb_words_carry_every_form_they_have() -> None:
    lexicon = builtin_lexicon()
    assert lexicon.forms("reset") & (Form.BASE | Form.PAST | Form.PARTICIPLE) == (
        Form.BASE | Form.PAST | Form.PARTICIPLE
    )
    assert lexicon.forms("set") & Form.PAST
    assert lexicon.forms("order") == Form.BASE
    assert lexicon.forms("password") == Form.NONE
    assert lexicon.forms("signup") == Form.NONE  # a noun: `signup_button` has no verb


def test_particles_and_common_verbs() -> None:
    lexicon = builtin_lexicon()
    for particle in ("up", "in", "out", "off", "on", "over", "back", "down"):
        assert lexicon.is_particle(particle)
    assert not lexicon.is_particle("user")
    assert lexicon.is_common("start")
    assert not lexicon.is_common("button")


def test_every_common_verb_is_in_the_lexicon() -> None:
    lexicon = builtin_lexicon()
    common = [line for line in _data("common_verbs.txt").splitlines() if line[:1].isalpha()]
    assert len(common) > 150
    assert [verb for verb in common if lexicon.verb(verb) is None] == []


def test_data_files_state_their_source_and_licence() -> None:
    verbs = _data("verbs.txt")
    assert "LemmInflect 0.2.3" in verbs and "MIT" in verbs and "SPECIALIST" in verbs
    assert "trackplan (MIT)" in _data("particles.txt")
    assert "trackplan (MIT)" in _data("common_verbs.txt")


def test_verbs_file_is_the_generator_output_format() -> None:
    """Every data line has five columns and the header is the generator's own."""
    script = (REPO / "scripts" / "generate_verb_lexicon.py").read_text(encoding="utf-8")
    header = next(
        node.value.value
        for node in ast.parse(script).body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", "") == "HEADER"
        and isinstance(node.value, ast.Constant)
    )
    assert isinstance(header, str)
    verbs = _data("verbs.txt")
    assert verbs.startswith(header)
    lines = [line for line in verbs.splitlines() if not line.startswith("#")]
    assert all(len(line.split()) == 5 for line in lines)
    assert lines == sorted(lines)


def test_builtin_lexicon_is_loaded_once() -> None:
    assert builtin_lexicon() is builtin_lexicon()
    assert lexicon_for(()) is builtin_lexicon()
    assert lexicon_for(("onboard",)) is lexicon_for(("onboard",))


def test_plan_verbs_extend_a_copy_not_the_builtin_lexicon() -> None:
    extended = lexicon_for(("frobnicate", "yeet yote"))
    assert extended.forms("frobnicated") & Form.PAST
    assert extended.forms("yote") & Form.PAST
    assert "yeet" in extended.lemmas("yote")
    assert builtin_lexicon().forms("frobnicated") == Form.NONE


@pytest.mark.parametrize(
    ("base", "past", "third", "ing"),
    [
        ("chat", "chatted", "chats", "chatting"),
        ("visit", "visited", "visits", "visiting"),
        ("tie", "tied", "ties", "tying"),
        ("agree", "agreed", "agrees", "agreeing"),
        ("copy", "copied", "copies", "copying"),
        ("play", "played", "plays", "playing"),
        ("fix", "fixed", "fixes", "fixing"),
        ("save", "saved", "saves", "saving"),
        ("push", "pushed", "pushes", "pushing"),
    ],
)
def test_regular_inflection_of_plan_verbs(base: str, past: str, third: str, ing: str) -> None:
    verb = inflect_regular(base)
    assert (verb.past, verb.participle, verb.third, verb.ing) == (
        (past,),
        (past,),
        (third,),
        (ing,),
    )


def test_first_use_in_a_fresh_interpreter_reads_the_shipped_lexicon() -> None:
    """The first check in a new process loads the lexicon from package data (its cost is a
    benchmark's business: bench/bench_plan_load.py times whole plan loads)."""
    code = (
        "from trackplan.registry.naming import check_event_name, EventNaming;"
        "assert check_event_name('user_signed_up', EventNaming()) == [];"
        "print(len(check_event_name('user_signedd_up', EventNaming())))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(result.stdout) >= 1


def test_every_naming_data_file_ships_as_package_data() -> None:
    from fnmatch import fnmatch

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["trackplan.registry.naming"]
    data = [p.name for p in (REPO / "registry" / "naming").iterdir() if p.suffix != ".py"]
    data = [name for name in data if name != "__pycache__"]
    assert sorted(data) == ["common_verbs.txt", "particles.txt", "verbs.txt"]
    assert all(any(fnmatch(name, glob) for glob in globs) for name in data)
