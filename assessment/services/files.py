"""Files of an assessment: the §3 answers file (export and import) and the CSV export."""

from __future__ import annotations

import csv
import io

from ..domain.answers import DEFAULT_MAX_AGE, Answer, AnswersFile
from ..domain.bank import Bank
from ..domain.qtypes.indicator import format_value
from ..extensions import db
from ..models import AnswerRecord, Assessment, Organisation, User, utcnow
from .answer_rows import answers_of, apply_to_row
from .assessments import (
    answer_records,
    create_assessment,
    history_entry,
    record_history,
)
from .respondents import import_respondents, submitted_answers
from .results import consolidated


def export_answers(assessment: Assessment, bank: Bank) -> AnswersFile:
    """The assessment as an assessment-answers/1 file (answers in bank order)."""
    records = answer_records(assessment)
    answers = answers_of(records, bank)
    ordered = [answers[q.id] for q in bank.questions if q.id in answers]
    respondents = [
        r.domain(bank) for r in submitted_answers([assessment.id]).get(assessment.id, [])
    ]  # §5: `answers` then hold the facilitator's consensus
    return AnswersFile(
        bank_id=bank.id,
        bank_version=bank.version,
        organisation=assessment.organisation.name,
        title=assessment.title,
        language=assessment.language,
        targets=dict(assessment.targets or {}),
        answers=ordered,
        respondents=respondents,
        as_of=assessment.as_of.isoformat(),
        evidence_max_age_months=assessment.evidence_max_age_months or DEFAULT_MAX_AGE,
    )


#: The separators the CSV export offers (`?sep=`; Latvian Excel expects `;`).
CSV_SEPARATORS = (",", ";")


def export_csv(assessment: Assessment, bank: Bank, lang: str, sep: str = ",") -> str:
    """One row a question: what a spreadsheet user expects, separated by `sep`."""
    answers, _merged = consolidated(assessment, bank)  # §5: what the report shows
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep if sep in CSV_SEPARATORS else ",")
    writer.writerow(
        [
            "dimension",
            "question",
            "text",
            "source",
            "answer",
            "label",
            "comment",
            "evidence",
            "value",
            "unit",
            "period",
        ]
    )
    for dim in bank.dimensions:
        for q in dim.questions:
            a = answers.get(q.id)
            if a is None:
                answer, label = "", ""
            elif a.level is not None:
                answer, label = str(a.level), bank.scale[a.level].get(lang)
            else:
                answer = "not_applicable" if a.not_applicable else "dont_know"
                label = ""
            evidence = "; ".join(
                " | ".join(x for x in (e.title, e.url, e.date) if x)
                for e in (a.evidence if a else ())
            )
            value = format_value(a.value) if a is not None else ""
            unit = q.details.unit.get(lang) if q.type == "indicator" else ""
            writer.writerow(
                [
                    csv_safe(v)
                    for v in (
                        dim.id,
                        q.id,
                        q.text.get(lang),
                        q.source,
                        answer,
                        label,
                        a.comment if a else "",
                        evidence,
                        value,
                        unit,
                        a.period if a else "",
                    )
                ]
            )
    return out.getvalue()


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formula injection (=, +, -, @ at the start of a cell)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def import_answers(
    answers_file: AnswersFile, bank: Bank, org: Organisation, user: User | None
) -> Assessment:
    """A new assessment holding the file's answers and respondents (without live links)."""
    item = create_assessment(
        org,
        bank,
        answers_file.title or "Import",
        answers_file.language,
        {**{d.id: d.target for d in bank.dimensions}, **answers_file.targets},
        user,
        answers_file.max_age,
    )
    now = utcnow()
    history = []
    for answer in answers_file.answers:
        row = AnswerRecord(
            assessment_id=item.id,
            question_id=answer.question,
            updated_by_id=user.id if user else None,
        )
        apply_to_row(answer, row)
        db.session.add(row)
        history.append(
            history_entry(
                item.id,
                answer.question,
                "import",
                now,
                user_id=user.id if user else None,
                before=Answer(answer.question),
                after=answer,
            )
        )
    history += import_respondents(item, answers_file.respondents, user)
    record_history(history)
    item.state = "in_progress" if answers_file.answers or answers_file.respondents else "draft"
    db.session.flush()
    return item
