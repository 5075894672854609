"""Signature text -> roles, and binding call arguments the way Python does."""

from __future__ import annotations

import pytest
from trackplan.linter.analysis import SignatureError, parse_signature


def test_wrapper_signature_roles_come_from_parameter_names() -> None:
    signature = parse_signature("(event, distinct_id, properties=None)")
    assert [(p.name, p.role, p.has_default) for p in signature.params] == [
        ("event", "event", False),
        ("distinct_id", "distinct_id", False),
        ("properties", "properties", True),
    ]
    assert signature.varkw_role is None


def test_double_star_properties_makes_keywords_the_properties() -> None:
    signature = parse_signature("(self, event, **properties)")
    assert signature.varkw_role == "properties"
    bound = signature.bind(["signed_up"], {"plan": "pro"}, bound_method=True)
    assert bound.first("event") == "signed_up"
    assert bound.extra_keywords == {"plan": "pro"}


def test_annotations_name_roles_and_none_means_no_role() -> None:
    signature = parse_signature("(user_id: distinct_id = None, event=None, traits: None = None)")
    assert [p.role for p in signature.params] == ["distinct_id", "event", None]


def test_self_is_dropped_only_for_calls_through_an_instance() -> None:
    signature = parse_signature("(self, event)")
    assert signature.bind(["a", "b"], {}).first("event") == "b"
    assert signature.bind(["a"], {}, bound_method=True).first("event") == "a"


def test_keyword_only_parameters_do_not_take_positional_arguments() -> None:
    signature = parse_signature("(event, *, distinct_id=None, properties=None)")
    bound = signature.bind(["e", "u"], {"properties": "p"})
    assert bound.first("distinct_id") is None
    assert bound.extra_positional == 1
    assert bound.first("properties") == "p"


@pytest.mark.parametrize(
    "text",
    ["event, distinct_id", "(event", "(event: colour)", "(1)", "(event) -> None"],
)
def test_bad_signature_text_is_refused(text: str) -> None:
    with pytest.raises(SignatureError):
        parse_signature(text)
