"""The standard's content rules (domain.standard): times, validation codes, suggestions, diff."""

from __future__ import annotations

import pytest

from assessment.domain import standard as doc
from assessment.domain.bank import bundled_registry


@pytest.mark.parametrize(
    "text, bad",
    [
        ("8:30–17:00", False),
        ("P.–Pk. 8:30–17:00; S. 9:00–13:00", False),
        ("0:00-24:00", False),
        ("P.–Pk. 8.30–17.00, 24.12. slēgts", False),
        ("diennakts", False),
        ("8:30–25:00", True),
        ("24:30", True),
        ("8:75", True),
        ("123:00", True),
        ("9:5", True),
    ],
)
def test_hours(text, bad):
    assert doc.hours_problem(text) is bad


def test_guideline_data_is_complete_in_both_languages():
    items = doc.guideline_items()
    assert [i.key for i in doc.offered("principles")] == [
        "2.2.2a",
        "2.2.2b",
        "2.2.2c",
        "2.2.2d",
        "2.2.2e",
    ]
    assert len(doc.offered("norms")) == 10 and len(doc.offered("indicators")) == 6
    for item in items.values():
        for lang in ("lv", "en"):
            assert all(v.strip() for v in item.content(lang).values() if v != item.key)
    for section in doc.SECTIONS:
        assert doc.component_title(section, "lv") and doc.component_title(section, "en")


def test_suggestion_map_names_real_questions_and_items():
    bank = bundled_registry().get("lv-customer-service-2013", "1.0.0")
    mapping = doc.suggestion_map()
    assert (mapping["bank"], mapping["version"]) == (bank.id, bank.version)
    ids = {q.id for q in bank.questions}
    for qid, keys in mapping["suggestions"].items():
        assert qid in ids, qid
        assert all(k in doc.guideline_items() for k in keys), qid


def test_suggestions_skip_what_the_standard_holds_and_other_banks():
    content = doc.initial_content("en")
    out = doc.suggestions_from_gaps(
        ["values.principles", "targets.challenging", "targets.per-segment"],
        "lv-customer-service-2013",
        "1.0.0",
        content,
    )
    assert [s["key"] for s in out] == ["2.2.7-satisfaction"]  # the principles are there already
    assert out[0]["questions"] == ["targets.challenging", "targets.per-segment"]
    assert doc.suggestions_from_gaps(["targets.challenging"], "other-bank", "1.0.0", content) == []
    added = doc.apply_suggestion(content, "2.2.7-satisfaction", "en")
    assert added["indicators"][0]["target"] == "at least 4"
    assert content["indicators"] == []  # the original is left as it was


def test_scope_channel_and_indicator_problems():
    _, problems = doc.parse_scope({"kind": "services", "names": ""})
    assert [(p.field, p.code) for p in problems] == [("names", "scope_names")]
    _, problems = doc.parse_channels(
        {
            "ch-0-kind": "phone",
            "ch-0-name": "X",
            "ch-0-hours": "25:00",
            "ch-0-email": "nav-epasts",
            "ch-0-website": "javascript:alert(1)",
        }
    )
    assert {p.code for p in problems} == {"channel_kind", "hours", "email", "website"}
    rows, problems = doc.parse_indicators(
        {"i-0-channel": "Visi", "i-0-indicator": "X", "i-3-channel": "", "i-3-indicator": ""}
    )
    assert [(p.field, p.code) for p in problems] == [("i-0-target", "target_required")]
    assert len(rows) == 1  # the blank row is left out


def test_diff_shows_changed_lines_only():
    old = doc.initial_content("lv")
    new = {**old, "norms": [{"text": "Jauna norma.", "key": ""}]}
    lines = doc.diff_lines(old, new, "lv", "1", "2")
    assert ("+", "4.1. Jauna norma.") in lines
    assert ("-", "Nav noteikts.") in lines
    assert not any(kind in "+-" and "Pieejamība" in line for kind, line in lines)
