"""Exports people open in Excel: the answers and the action plan as XLSX (openpyxl).

Headers are in the assessment's language; numbers are numbers, dates are dates; the header row
is bold and frozen, columns have widths. Text that a spreadsheet would run as a formula is kept
as text (a string cell, never a formula).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..domain.bank import Bank
from ..domain.i18n import M_, LabelTable, gettext, normal
from ..models import Assessment
from .results import consolidated

#: Sheet names and column headers (report domain of the catalogues, docs/i18n.md).
HEADERS = LabelTable(
    {
        "answers_sheet": M_("Answers"),
        "actions_sheet": M_("Action plan"),
        "dimension": M_("Dimension"),
        "question_id": M_("Question ID"),
        "question": M_("Question"),
        "clause": M_("Guideline clause"),
        "level": M_("Level"),
        "label": M_("Level name"),
        "special": M_("Other answer"),
        "comment": M_("Comment"),
        "evidence": M_("Evidence"),
        "value": M_("Value"),
        "unit": M_("Unit"),
        "period": M_("Period"),
        "not_applicable": M_("Not applicable"),
        "dont_know": M_("Don't know"),
        "no": M_("No."),
        "group": M_("Group"),
        "current": M_("Current level"),
        "to_level": M_("Next level"),
        "target": M_("Target level"),
        "next_step": M_("Next step"),
        "priority": M_("Priority"),
        "owner": M_("Owner"),
        "due": M_("Due date"),
        "status": M_("Status"),
    }
)

# Translators: the Excel number format of a date cell in spreadsheets in this language.
DATE_FORMAT = M_("yyyy-mm-dd")

ANSWER_COLUMNS = (
    "dimension",
    "question_id",
    "question",
    "clause",
    "level",
    "label",
    "special",
    "comment",
    "evidence",
    "value",
    "unit",
    "period",
)
ANSWER_WIDTHS = (28, 14, 60, 12, 8, 26, 16, 50, 40, 12, 14, 12)
ACTION_COLUMNS = (
    "no",
    "group",
    "dimension",
    "clause",
    "question",
    "current",
    "to_level",
    "target",
    "next_step",
    "priority",
    "owner",
    "due",
    "status",
)
ACTION_WIDTHS = (6, 12, 28, 12, 50, 10, 10, 10, 60, 10, 26, 12, 12)


def _lang(lang: str) -> str:
    return normal(lang)


def answer_rows(assessment: Assessment, bank: Bank, lang: str) -> list[list]:
    """One row a question, typed: levels and values are numbers, the rest text."""
    h = HEADERS[_lang(lang)]
    answers, _merged = consolidated(assessment, bank)  # §5: what the report shows
    rows = []
    for dim in bank.dimensions:
        for q in dim.questions:
            a = answers.get(q.id)
            level = a.level if a is not None else None
            label = bank.scale[level].get(lang) if level is not None else ""
            special = (
                ""
                if a is None or level is not None
                else h["not_applicable"]
                if a.not_applicable
                else h["dont_know"]
            )
            evidence = "; ".join(
                " | ".join(x for x in (e.title, e.url, e.date) if x)
                for e in (a.evidence if a else ())
            )
            rows.append(
                [
                    dim.title.get(lang),
                    q.id,
                    q.text.get(lang),
                    q.source,
                    level,
                    label,
                    special,
                    a.comment if a else "",
                    evidence,
                    a.value if a is not None else None,
                    q.details.unit.get(lang) if q.type == "indicator" else "",
                    a.period if a else "",
                ]
            )
    return rows


def answers_xlsx(assessment: Assessment, bank: Bank, lang: str) -> bytes:
    """The answers as an XLSX workbook."""
    h = HEADERS[_lang(lang)]
    return _workbook(
        h["answers_sheet"],
        [h[c] for c in ANSWER_COLUMNS],
        ANSWER_WIDTHS,
        answer_rows(assessment, bank, lang),
        lang,
        wrap=(ANSWER_COLUMNS.index("question"), ANSWER_COLUMNS.index("comment")),
    )


def action_rows(report) -> list[list]:
    """One row an action of the report's plan (reporting.build.Report), typed."""
    groups = {g.key: g.title for g in report.action_groups}
    return [
        [
            a.rank,
            groups.get(a.group, a.group),
            a.dimension_title,
            a.clause,
            a.question_text,
            a.level,
            a.to_level,
            a.target,
            a.next_step,
            float(a.priority),
            a.owner,
            a.due,
            a.status_label,
        ]
        for a in report.actions
    ]


def actions_xlsx(report) -> bytes:
    """The action plan as an XLSX workbook, in the report's language."""
    h = HEADERS[_lang(report.lang)]
    return _workbook(
        h["actions_sheet"],
        [h[c] for c in ACTION_COLUMNS],
        ACTION_WIDTHS,
        action_rows(report),
        report.lang,
        wrap=(ACTION_COLUMNS.index("question"), ACTION_COLUMNS.index("next_step")),
    )


def _workbook(
    title: str,
    headers: list[str],
    widths: Iterable[int],
    rows: list[list],
    lang: str,
    wrap: Iterable[int] = (),
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    head_fill = PatternFill("solid", fgColor="E4EBF2")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="bottom", wrap_text=True)
    wrap = set(wrap)
    date_format = gettext(lang, DATE_FORMAT)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text stays text: "=…" is never a formula
            else:
                cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = date_format
            if c - 1 in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
