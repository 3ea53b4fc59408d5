"""Answer history (issue 16): every change of an answer, who made it and when, read back.

Entries are appended by every write path (services.assessments.record_history), each answer
in the shape services.answer_rows.history_content gives. A respondent is
stored by id only; the name is looked up when shown, so an erased respondent shows as
"Respondent 3" everywhere, history included."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AnswerHistory, Assessment, Respondent
from .assessments import users_by_id
from .files import csv_safe


@dataclass
class Entry:
    """One change of one answer, as shown and exported."""

    question_id: str
    at: dt.datetime
    who: str
    source: str
    before: dict[str, Any]
    after: dict[str, Any]


def respondent_labels(assessment_id: int, label: Callable[[int], str]) -> dict[int, str]:
    """Respondents' names by id; an erased one as `label(n)` (n: their place, from 1)."""
    rows = db.session.execute(
        select(Respondent.id, Respondent.name, Respondent.erased_at)
        .where(Respondent.assessment_id == assessment_id)
        .order_by(Respondent.id)
    )
    return {
        rid: (label(n) if erased or not name else name)
        for n, (rid, name, erased) in enumerate(rows, 1)
    }


def entries(
    assessment: Assessment, label: Callable[[int], str], question_id: str | None = None
) -> list[Entry]:
    """The assessment's answer history (of one question, when given), oldest first. An entry
    written without reading the row first has as its `before` the previous entry's `after`."""
    query = select(AnswerHistory).where(AnswerHistory.assessment_id == assessment.id)
    if question_id is not None:
        query = query.where(AnswerHistory.question_id == question_id)
    rows = list(db.session.scalars(query.order_by(AnswerHistory.id)))
    user_ids = {r.user_id for r in rows if r.user_id}
    users = {uid: u.name or u.email for uid, u in users_by_id(user_ids).items()}
    respondents = (
        respondent_labels(assessment.id, label) if any(r.respondent_id for r in rows) else {}
    )
    last: dict[tuple[str, int | None], dict[str, Any]] = {}
    out = []
    for row in rows:
        key = (row.question_id, row.respondent_id)
        before = row.before if row.before is not None else last.get(key, {"answer": ""})
        last[key] = row.after
        if row.respondent_id is not None:
            who = respondents.get(row.respondent_id, label(0))
        else:
            who = users.get(row.user_id, "–")
        at = row.changed_at if row.changed_at.tzinfo else row.changed_at.replace(tzinfo=dt.UTC)
        out.append(Entry(row.question_id, at, who, row.source, before, row.after))
    return out


def describe(content: dict[str, Any], texts: dict[str, str]) -> str:
    """One line of an answer's content: the answer, figure, confidence, flag, comment,
    evidence (`texts`: translated labels)."""
    answer = content.get("answer", "")
    parts = [
        texts["na"]
        if answer == "na"
        else texts["dk"]
        if answer == "dk"
        else answer
        if answer
        else texts["none"]
    ]
    if content.get("value"):
        parts.append(f"{texts['value']} {content['value']} {content.get('period', '')}".strip())
    if content.get("confidence"):
        parts.append(f"{texts['confidence']}: {texts[content['confidence']]}")
    if "flag" in content:
        parts.append(f"{texts['flag']}: {content['flag']}".rstrip(": "))
    if content.get("comment"):
        parts.append(f"{texts['comment']}: {content['comment']}")
    if content.get("evidence"):
        parts.append(
            f"{texts['evidence']}: "
            + "; ".join(
                " | ".join(x for x in (e.get("title"), e.get("url"), e.get("date")) if x)
                for e in content["evidence"]
            )
        )
    return " · ".join(parts)


COLUMNS = ("question", "changed_at", "who", "source", "before", "after")


def table(items: list[Entry], texts: dict[str, str]) -> list[list[str]]:
    """The export's rows (header first)."""
    out = [list(COLUMNS)]
    for e in items:
        out.append(
            [
                e.question_id,
                e.at.isoformat(timespec="seconds"),
                e.who,
                texts.get(f"source_{e.source}", e.source),
                describe(e.before, texts),
                describe(e.after, texts),
            ]
        )
    return out


def to_csv(rows: list[list[str]]) -> str:
    """CSV text (formula injection neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def to_xlsx(rows: list[list[str]], title: str = "history") -> bytes:
    """An XLSX workbook of the rows (openpyxl; text cells, so nothing is read as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_xlsx_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(value: str) -> str:
    """openpyxl stores a string starting with "=" as a formula: keep it text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value[:1] == "=" else value
