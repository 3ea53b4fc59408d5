"""The one converter between the domain's `Answer` and the stored rows of an answer — the
assessment's (`AnswerRecord`, also read as a plain row) and a respondent's (`RespondentAnswer`)
— and the shape an answer history entry keeps (`AnswerHistory.before`/`after`).

Every reader and writer of answer rows goes through here: the questionnaire, the workshop,
the respondents' pages, import, export, results, history and the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..domain.answers import Answer, Evidence, content
from ..domain.bank import Bank


def answer_from_row(row: Any, question_id: str = "") -> Answer:
    """Row → answer. A row without a level, N/A or don't know is a draft (`given` False) that
    holds a comment; no row at all (None) is the empty answer of `question_id`. The level of an
    indicator's answer is the one stored (`answers_of` gives the one its figure reaches)."""
    if row is None:
        return Answer(question=question_id)
    level = row.level
    value = row.value if level is not None else None
    return Answer(
        question=row.question_id,
        level=level,
        not_applicable=bool(row.not_applicable) and level is None,
        dont_know=bool(row.dont_know) and level is None and not row.not_applicable,
        comment=row.comment or "",
        evidence=tuple(
            Evidence(title=e.get("title", ""), url=e.get("url", ""), date=e.get("date", ""))
            for e in row.evidence or []
        ),
        value=value,
        period=(row.period or "") if value is not None else "",
        confidence=getattr(row, "confidence", None) or "",  # not read where never shown (results)
        flag=getattr(row, "flag_note", None),
    )


def row_fields(answer: Answer) -> dict[str, Any]:
    """Answer → the content columns of its row (an indicator's level comes with its figure;
    the comment is stored without surrounding blanks)."""
    value = answer.value if answer.level is not None else None
    return {
        "level": answer.level,
        "not_applicable": answer.not_applicable,
        "dont_know": answer.dont_know,
        "value": float(value) if value is not None else None,
        "period": (answer.period or None) if value is not None else None,
        "comment": answer.comment.strip(),
        "evidence": [e.to_dict() for e in answer.evidence],
        "confidence": answer.confidence or None,
        "flag_note": answer.flag,
    }


def apply_to_row(answer: Answer, row: Any) -> None:
    """Put an answer's content into a stored row (an ORM object)."""
    for key, value in row_fields(answer).items():
        setattr(row, key, value)


def answers_of(rows: Mapping[str, Any], bank: Bank) -> dict[str, Answer]:
    """The given answers of the bank's questions among `rows` (by question id), as the scoring
    engine takes them: an indicator's level is the one its figure reaches."""
    out = {}
    for qid, row in rows.items():
        question = bank.question(qid)
        if question is None:
            continue
        answer = answer_from_row(row)
        if answer.given:
            level = question.qtype.level(question, answer)
            out[qid] = answer if level == answer.level else replace(answer, level=level)
    return out


def history_content(answer: Answer) -> dict[str, Any]:
    """An answer as an answer history entry keeps it: {"answer": choice} and value, period,
    comment, confidence, evidence, flag when there are (the shape entries always had)."""
    choice, comment, evidence, *rest = content(answer)
    value, period, confidence, flag = (*rest, *("", "", "", None)[len(rest) :])
    out: dict[str, Any] = {"answer": choice}
    for key, item in (
        ("value", value),
        ("period", period),
        ("comment", comment),
        ("confidence", confidence),
    ):
        if item:
            out[key] = item
    if evidence:
        out["evidence"] = evidence
    if flag is not None:
        out["flag"] = flag
    return out
