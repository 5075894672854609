"""Every format in KNOWN_FORMATS really rejects bad values (none is silently skipped)."""

from __future__ import annotations

import pytest
from trackplan.registry.patterns import KNOWN_FORMATS
from trackplan.registry.validation import Registry
from validation_helpers import event, single_property_plan

FORMAT_CASES: dict[str, tuple[list[str], list[str]]] = {
    "email": (
        ["jane@example.com", "a.b+c@sub.example.io"],
        ["jane", "jane@", "@example.com", "ja ne@example.com"],
    ),
    "date-time": (
        ["2024-05-01T12:30:00Z", "2024-05-01T12:30:00.123+02:00"],
        [
            "2024-05-01",
            "2024-05-01T12:30:00",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "yesterday",
        ],
    ),
    "date": (
        ["2024-05-01", "2024-02-29"],
        ["2024-5-1", "2023-02-29", "20240501", "2024-05-01T00:00:00Z"],
    ),
    "time": (["12:30:00Z", "23:59:59+01:00"], ["12:30", "25:00:00Z", "noon"]),
    "uri": (
        ["https://example.com/a?b=c", "mailto:jane@example.com"],
        ["example.com", "/relative/path", "http://exa mple.com"],
    ),
    "uri-reference": (["/relative/path", "https://example.com"], ["http://exa mple.com", "a b"]),
    "uuid": (
        ["123e4567-e89b-12d3-a456-426614174000"],
        ["123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g", "not-a-uuid"],
    ),
    "ipv4": (["192.168.0.1", "8.8.8.8"], ["256.1.1.1", "1.2.3", "01.2.3.4", "::1"]),
    "ipv6": (["::1", "2001:db8::8a2e:370:7334"], ["1::2::3", "192.168.0.1", "gggg::1"]),
    "hostname": (
        ["example.com", "a-b.example.io"],
        ["-bad.example.com", "under_score.com", "a" * 64 + ".com"],
    ),
}


def test_every_known_format_has_cases() -> None:
    assert set(FORMAT_CASES) == set(KNOWN_FORMATS)


@pytest.mark.parametrize("fmt", sorted(FORMAT_CASES))
def test_format_accepts_good_and_rejects_bad(fmt: str) -> None:
    reg = Registry.from_plan(single_property_plan({"type": "string", "format": fmt}))
    good, bad = FORMAT_CASES[fmt]
    for value in good:
        assert reg.validate(event("thing_happened", {"value": value})).valid, (fmt, value)
    for value in bad:
        result = reg.validate(event("thing_happened", {"value": value}))
        assert [(d.code, d.pointer) for d in result.violations] == [
            ("TP204", "/properties/value")
        ], (fmt, value)
        assert result.violations[0].message == f"property `value` is not a valid {fmt}"
