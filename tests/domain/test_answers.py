"""The answers file (§3): every refusal names the offending entry; valid files round-trip."""

from __future__ import annotations

import json

import pytest

from assessment.domain.answers import MAX_FILE_BYTES, parse_answers
from assessment.domain.errors import AnswersError
from tests.conftest import answers_doc, dump


def refused(registry, raw: bytes, lang="en") -> str:
    with pytest.raises(AnswersError) as info:
        parse_answers(raw, registry, "answers.json")
    return info.value.message(lang)


def test_valid_file_parses_and_round_trips(registry):
    doc = answers_doc(
        [
            {
                "question": "alpha.one",
                "level": 3,
                "comment": "ļoti labi",
                "evidence": [
                    {"title": "Stratēģija", "url": "https://example.lv", "date": "2026-03-01"}
                ],
            },
            {"question": "alpha.two", "not_applicable": True, "comment": "no walk-in clients"},
            {"question": "beta.one", "dont_know": True},
        ],
        targets={"alpha": 4},
    )
    parsed, bank = parse_answers(dump(doc), registry)
    assert bank.id == "mini" and parsed.targets == {"alpha": 4}
    assert parsed.answers[0].evidence[0].title == "Stratēģija"
    assert json.loads(parsed.to_json()) == doc


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": ', "not valid JSON"),
        (b"[1, 2]", "one JSON object"),
        (b"[" * 100000 + b"]" * 100000, "JSON"),
    ],
)
def test_unreadable_input_is_refused(registry, raw, expected):
    assert expected in refused(registry, raw)


def test_oversized_file_is_refused(registry):
    assert "larger than" in refused(registry, b" " * (MAX_FILE_BYTES + 1))


def test_wrong_format_is_refused(registry):
    assert 'format must be "assessment-answers/1", found "x/2"' in refused(
        registry, dump(answers_doc(format="x/2"))
    )


def test_unknown_bank_version_is_refused(registry):
    msg = refused(registry, dump(answers_doc(bank=("mini", "9.9.9"))))
    assert "bank mini version 9.9.9 is not installed" in msg


def test_unknown_question_names_entry(registry):
    doc = answers_doc([{"question": "alpha.one", "level": 1}, {"question": "nope.x", "level": 1}])
    assert "answers[1]: unknown question id 'nope.x'" in refused(registry, dump(doc))


@pytest.mark.parametrize("level", [5, -1, 2.5, "3", True, None])
def test_level_out_of_range_or_not_integer(registry, level):
    doc = answers_doc([{"question": "alpha.one", "level": level}])
    msg = refused(registry, dump(doc))
    assert "answers[0]" in msg


def test_two_answers_to_one_question(registry):
    doc = answers_doc([{"question": "beta.one", "level": 1}, {"question": "beta.one", "level": 2}])
    assert "answers[1]: question 'beta.one' is answered twice (also at answers[0])" in refused(
        registry, dump(doc)
    )


@pytest.mark.parametrize(
    "answer",
    [
        {"question": "alpha.one", "level": 2, "not_applicable": True},
        {"question": "alpha.one", "dont_know": True, "not_applicable": True},
        {"question": "alpha.one"},
        {"question": "alpha.one", "dont_know": False},
    ],
)
def test_exactly_one_kind_of_answer(registry, answer):
    assert "exactly one of level" in refused(registry, dump(answers_doc([answer])))


@pytest.mark.parametrize(
    "targets, expected",
    [
        ({"alpha": 0}, "targets.alpha: a target must be an integer from 1 to 4, found 0"),
        ({"alpha": 5}, "found 5"),
        ({"alpha": "3"}, 'found "3"'),
        ({"zeta": 3}, "unknown dimension 'zeta'"),
    ],
)
def test_targets_outside_one_to_four(registry, targets, expected):
    assert expected in refused(registry, dump(answers_doc(targets=targets)))


def test_bad_evidence_entries(registry):
    doc = answers_doc(
        [
            {
                "question": "alpha.one",
                "level": 3,
                "evidence": [{"title": "ok"}, {"url": "https://x.lv"}],
            }
        ]
    )
    assert "answers[0].evidence[1].title: is required" in refused(registry, dump(doc))
    doc["answers"][0]["evidence"] = [{"title": "x", "url": "javascript:alert(1)"}]
    assert "must start with http" in refused(registry, dump(doc))
    doc["answers"][0]["evidence"] = [{"title": "x", "date": "01.03.2026"}]
    assert "YYYY-MM-DD" in refused(registry, dump(doc))


def test_refusals_speak_latvian(registry):
    doc = answers_doc([{"question": "alpha.one", "level": 7}])
    assert "līmenim jābūt veselam skaitlim no 0 līdz 4" in refused(registry, dump(doc), "lv")


def test_respondents_are_validated_with_their_path(registry):
    doc = answers_doc(
        respondents=[{"name": "A", "answers": [{"question": "alpha.one", "level": 9}]}]
    )
    assert "respondents[0].answers[0].level" in refused(registry, dump(doc))
