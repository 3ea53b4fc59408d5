"""The one answer model and its two converters: form ↔ answer (domain.answer_form) and
row ↔ answer (services.answer_rows), round trips, field names, and fingerprints that stay
byte for byte the ones pages have always carried."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from assessment.domain import answer_form, qtypes
from assessment.domain.answer_form import EMPTY_DIGEST, names, parse_consensus, parse_page, shown
from assessment.domain.answers import Answer, Evidence, content_digest
from assessment.services.answer_rows import (
    answer_from_row,
    answers_of,
    apply_to_row,
    history_content,
    row_fields,
)

EV = (
    Evidence("Nolikums", "https://example.lv/a", "2025-01-31"),
    Evidence("Plāns"),
)

#: Each answer with its fingerprint and history entry as the code before the one answer model
#: computed them from its content tuples (`content_digest`, `history_content` of
#: services.assessments at commit 2ee4cd1): pages in flight and stored history still match.
PINNED = [
    (Answer("q"), "5cfe802c520013e9", {"answer": ""}),
    (
        Answer("q", level=3, comment="Mūsu misija"),
        "a1a39cd2f23b00bc",
        {"answer": "3", "comment": "Mūsu misija"},
    ),
    (Answer("q", not_applicable=True), "6887b42aadd486c6", {"answer": "na"}),
    (
        Answer("q", dont_know=True, comment="  nezinu  "),
        "9c4765a7d30e39fa",
        {"answer": "dk", "comment": "nezinu"},
    ),
    (
        Answer("q", level=4, evidence=EV),
        "d03adab4dfbd3420",
        {
            "answer": "4",
            "evidence": [
                {"title": "Nolikums", "url": "https://example.lv/a", "date": "2025-01-31"},
                {"title": "Plāns"},
            ],
        },
    ),
    (
        Answer("q", level=3, value=87.5, period="2026"),
        "7b7c9fb6b25b508e",
        {"answer": "3", "value": "87.5", "period": "2026"},
    ),
    (
        Answer("q", level=4, value=95.0, period="2026-Q3"),
        "760e0fd3f6d97d1d",
        {"answer": "4", "value": "95", "period": "2026-Q3"},
    ),
    (
        Answer("q", level=2, confidence="high"),
        "6312576d746cc5ea",
        {"answer": "2", "confidence": "high"},
    ),
    (Answer("q", level=1, flag="Skatīt"), "2ca74216cb6773db", {"answer": "1", "flag": "Skatīt"}),
    (
        Answer("q", level=0, comment="c", confidence="low", flag=""),
        "b02ca39e6bc499a2",
        {"answer": "0", "comment": "c", "confidence": "low", "flag": ""},
    ),
    (
        Answer("q", comment="tikai komentārs"),
        "3d4af42fc530dda4",
        {"answer": "", "comment": "tikai komentārs"},
    ),
]


@pytest.mark.parametrize(("answer", "digest", "entry"), PINNED)
def test_fingerprints_and_history_entries_are_the_ones_pages_always_had(answer, digest, entry):
    assert content_digest(answer) == digest
    assert history_content(answer) == entry


def test_the_empty_fingerprint_is_an_empty_answer():
    assert EMPTY_DIGEST == "5cfe802c520013e9"


def row(**fields):
    """A stored row as the questionnaire reads it (every content column)."""
    base = {
        "question_id": "q",
        "level": None,
        "not_applicable": False,
        "dont_know": False,
        "value": None,
        "period": None,
        "comment": "",
        "evidence": [],
        "confidence": None,
        "flag_note": None,
    }
    return SimpleNamespace(**{**base, **fields})


@pytest.mark.parametrize(("answer", "digest", "entry"), PINNED)
def test_row_round_trip(answer, digest, entry):
    """answer → row → answer keeps the content (the comment stored without blanks)."""
    stored = row()
    apply_to_row(answer, stored)
    back = answer_from_row(stored)
    assert content_digest(back) == digest
    assert row_fields(back) == row_fields(answer)
    assert back.comment == answer.comment.strip()


def test_row_to_answer_to_row():
    """row → answer → row: the same columns; N/A or don't know beside a level are dropped as
    the scoring always read them; a figure without a level is not an answer's figure."""
    stored = row(
        level=3,
        value=87.5,
        period="2026",
        comment="ok",
        evidence=[{"title": "A", "url": "https://x.lv"}],
        confidence="medium",
        flag_note="Skatīt",
    )
    again = row()
    apply_to_row(answer_from_row(stored), again)
    assert vars(again) == vars(stored)
    odd = answer_from_row(row(level=2, not_applicable=True, dont_know=True))
    assert (odd.level, odd.not_applicable, odd.dont_know) == (2, False, False)
    assert answer_from_row(row(value=3.0, period="2026")).value is None
    assert answer_from_row(None, "q") == Answer("q")
    assert not answer_from_row(row(comment="tikai")).given


def test_rows_without_confidence_and_flag_columns_read():
    """The results' query reads no confidence and flag (they never change a figure)."""
    slim = SimpleNamespace(
        **{k: v for k, v in vars(row(level=1)).items() if k not in ("confidence", "flag_note")}
    )
    assert answer_from_row(slim) == Answer("q", level=1)


def test_answers_of_gives_an_indicators_level_from_its_figure(indicator_question):
    from tests.domain.test_qtypes import IND_BANK

    qid = indicator_question.id
    other = next(q.id for q in IND_BANK.questions if q.type != "indicator")
    draft = next(q.id for q in IND_BANK.questions if q.id not in (qid, other))
    rows = {
        qid: row(question_id=qid, level=0, value=87.5, period="2026"),
        other: row(question_id=other, level=2),
        draft: row(question_id=draft, comment="draft"),
        "unknown": row(question_id="unknown", level=1),
    }
    got = answers_of(rows, IND_BANK)
    assert set(got) == {qid, other}
    figure = Answer(qid, level=0, value=87.5, period="2026")
    assert got[qid].level == indicator_question.qtype.level(indicator_question, figure)
    assert got[other] == Answer(other, level=2)


# --- the form ----------------------------------------------------------------------------------


def test_field_names_are_spelt_in_one_place():
    n = names("values.mission")
    assert n.anchor == "q-values.mission"
    assert (n.answer, n.comment, n.version, n.seen) == (
        "q-values.mission-answer",
        "q-values.mission-comment",
        "q-values.mission-version",
        "q-values.mission-seen",
    )
    assert (n.value, n.period, n.confidence, n.flag, n.flag_note, n.evcount) == (
        "q-values.mission-value",
        "q-values.mission-period",
        "q-values.mission-confidence",
        "q-values.mission-flag",
        "q-values.mission-flag-note",
        "q-values.mission-evcount",
    )
    assert n.evidence(2, "title") == "q-values.mission-ev-2-title"
    for name in (n.answer, n.value, n.period, n.flag_note, n.evidence(99, "remove")):
        assert answer_form.FIELD.fullmatch(name), name
    assert not answer_form.FIELD.fullmatch("q-values.mission-other")


QUESTIONS = [SimpleNamespace(id="m", type="maturity", qtype=qtypes.get("maturity"))]


@pytest.fixture(scope="module")
def indicator_question():
    from tests.domain.test_qtypes import IND_BANK

    return IND_BANK.question("gamma.answered")


def form_of(question_id: str, values: answer_form.FormAnswer, extra: dict | None = None) -> dict:
    """The fields a page shows for `values` (as the template writes them)."""
    n = names(question_id)
    out = {
        n.answer: "v" if values.value else values.choice,
        n.value: values.value,
        n.period: values.period,
        n.comment: values.comment,
        n.version: str(values.version),
        n.seen: values.seen,
        n.confidence: values.confidence,
        n.evcount: str(len(values.evidence) + 1),
    }
    if values.flag is not None:
        out[n.flag] = "1"
        out[n.flag_note] = values.flag
    for i, e in enumerate(values.evidence):
        for part in ("title", "url", "date"):
            out[n.evidence(i, part)] = e.get(part, "")
    return {**out, **(extra or {})}


@pytest.mark.parametrize(
    "answer",
    [
        Answer("m"),
        Answer("m", level=0),
        Answer("m", level=4, comment="Mūsu misija", evidence=EV, confidence="high"),
        Answer("m", not_applicable=True, flag=""),
        Answer("m", dont_know=True, flag="Pārbaudīt"),
        Answer("m", comment="tikai komentārs"),
    ],
)
def test_form_round_trip_maturity(answer):
    """answer → the values a page shows → posted form → answer: the same content, and a page
    sent back as shown is unchanged (nothing to store)."""
    values = shown(answer, version=7)
    (parsed,), errors = parse_page(MultiDict(form_of("m", values)), QUESTIONS)
    assert errors == {}
    assert parsed.answer == answer
    assert parsed.version == 7 and parsed.seen == values.seen
    assert parsed.unchanged()


@pytest.mark.parametrize(
    "answer",
    [
        Answer("gamma.answered", level=3, value=87.5, period="2026"),
        Answer("gamma.answered", not_applicable=True),
        Answer("gamma.answered", dont_know=True, confidence="low"),
    ],
)
def test_form_round_trip_indicator(indicator_question, answer):
    from dataclasses import replace

    level = indicator_question.qtype.level(indicator_question, answer)
    answer = replace(answer, level=level) if answer.value is not None else answer
    values = shown(answer)
    (parsed,), errors = parse_page(
        MultiDict(form_of("gamma.answered", values)), [indicator_question]
    )
    assert errors == {}
    assert parsed.answer == answer
    assert parsed.unchanged()


def test_an_invalid_figure_is_shown_again_as_typed(indicator_question):
    n = names("gamma.answered")
    (parsed,), errors = parse_page(
        MultiDict({n.answer: "na", n.value: "95", n.comment: "vārdi"}), [indicator_question]
    )
    assert errors == {"gamma.answered": ["value_and_choice"]}
    assert (parsed.choice, parsed.value, parsed.comment) == ("na", "95", "vārdi")
    (parsed,), errors = parse_page(MultiDict({n.value: "deviņdesmit"}), [indicator_question])
    assert errors == {"gamma.answered": ["value"]}
    assert parsed.value == "deviņdesmit" and parsed.answer.value is None
    (parsed,), errors = parse_page(MultiDict({n.answer: "v"}), [indicator_question])
    assert errors == {"gamma.answered": ["value_missing"]} and parsed.choice == "v"


def test_a_changed_answer_is_not_unchanged():
    values = shown(Answer("m", level=2), version=3)
    form = form_of("m", values, {names("m").answer: "3"})
    (parsed,), _ = parse_page(MultiDict(form), QUESTIONS)
    assert parsed.answer.level == 3 and not parsed.unchanged()


def test_consensus_form_keeps_the_stored_evidence_and_flag(indicator_question):
    stored = Answer("gamma.answered", level=1, value=10.0, evidence=EV, flag="Skatīt")
    agreed, errors = parse_consensus(
        MultiDict({"answer": "", "agreed-value": "87,5", "agreed-period": "2026", "version": "4"}),
        indicator_question,
        stored,
    )
    assert errors == []
    assert agreed.version == 4
    assert (agreed.answer.value, agreed.answer.period) == (87.5, "2026")
    assert agreed.answer.evidence == EV and agreed.answer.flag == "Skatīt"
    refused, errors = parse_consensus(
        MultiDict({"answer": "na", "agreed-value": "87", "comment": "x"}), indicator_question, None
    )
    assert errors == ["value_and_choice"]
    assert (refused.choice, refused.value, refused.comment) == ("na", "87", "x")
