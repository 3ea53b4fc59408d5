"""The KPI register's rules, free of the database: periods, figures, status, upload files.

Periods are written as the indicator answers write them (docs/question-bank-format.md): a year
"2026", a quarter "2026-Q3", a month "2026-09". A figure is on target (green) when it reaches the
target in the indicator's direction, amber when it misses by no more than the amber band, off
target (red) beyond that; a period without a figure has no status ("none").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

from .i18n import M_, gettext, languages

PERIOD_KINDS = ("month", "quarter", "year")
DIRECTIONS = ("higher", "lower")
STATUSES = ("green", "amber", "red", "none")
MAX_ABS = 1e15
MAX_UPLOAD_ROWS = 5000

_PATTERNS = {
    "month": re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^([0-9]{4})-Q([1-4])$"),
    "year": re.compile(r"^([0-9]{4})$"),
}


class Problem(ValueError):
    """One thing wrong with what was given: a code (messages in the web layer), the field, and
    for uploads the line of the file."""

    def __init__(self, code: str, field: str = "", line: int | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.field = field
        self.line = line
        self.params = params


# --- periods -------------------------------------------------------------------------------------


def parse_period(kind: str, text: str) -> str:
    """The period in its canonical form ("2026-09", "2026-Q3", "2026"), or Problem. A month may
    also be written 2026-9 and a quarter 2026-q3 or 2026 Q3."""
    raw = str(text).strip().upper().replace(" ", "-")
    if kind == "month":
        m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", raw)
        if m and 1 <= int(m.group(2)) <= 12:
            raw = f"{m.group(1)}-{int(m.group(2)):02d}"
    if kind == "year" and re.fullmatch(r"[0-9]{4}\.0", raw):  # a year typed in a spreadsheet
        raw = raw[:4]
    match = _PATTERNS.get(kind, _PATTERNS["month"]).fullmatch(raw)
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise Problem("period", "period", kind=kind)
    return raw


def period_start(period: str) -> dt.date:
    """The first day of the period."""
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1)
    if period[5] == "Q":
        return dt.date(year, 3 * (int(period[6]) - 1) + 1, 1)
    return dt.date(year, int(period[5:7]), 1)


def period_end(period: str) -> dt.date:
    """The last day of the period."""
    return next_period(period_kind_of(period), period_start(period)) - dt.timedelta(days=1)


def period_kind_of(period: str) -> str:
    """month, quarter or year, from how the period is written."""
    if len(period) == 4:
        return "year"
    return "quarter" if period[5] == "Q" else "month"


def next_period(kind: str, start: dt.date) -> dt.date:
    """The first day of the period after the one starting on `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    total = start.year * 12 + start.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def period_containing(kind: str, day: dt.date) -> str:
    """The period of this kind that holds `day`."""
    if kind == "year":
        return f"{day.year}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def last_complete(kind: str, today: dt.date) -> str:
    """The latest period that has ended before `today` (the current one is still running)."""
    start = period_start(period_containing(kind, today))
    return period_containing(kind, start - dt.timedelta(days=1))


def periods_back(kind: str, last: str, count: int) -> list[str]:
    """`count` periods ending with `last`, oldest first."""
    out = [last]
    day = period_start(last)
    for _ in range(count - 1):
        day = period_start(period_containing(kind, day - dt.timedelta(days=1)))
        out.append(period_containing(kind, day))
    return out[::-1]


# --- figures -------------------------------------------------------------------------------------


def parse_number(text: Any, name: str = "value") -> float:
    """A figure as people type it: 87.5, 87,5, 1 234,5 (spaces and no-break spaces between
    thousands); or Problem."""
    if isinstance(text, bool):
        raise Problem("number", name)
    if isinstance(text, (int, float)):
        number = float(text)
    else:
        raw = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not raw:
            raise Problem("required", name)
        if "," in raw and "." in raw or raw.count(",") > 1:
            raise Problem("number", name)
        raw = raw.replace(",", ".")
        if not re.fullmatch(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?", raw):
            raise Problem("number", name)
        number = float(raw)
    if not math.isfinite(number) or abs(number) > MAX_ABS:
        raise Problem("number", name)
    return number


def status_of(value: float | None, target: float, amber: float, direction: str) -> str:
    """green (on target), amber (within the band), red (off target) or none (no figure)."""
    if value is None:
        return "none"
    gap = (target - value) if direction == "higher" else (value - target)
    if gap <= 0:
        return "green"
    if gap <= amber:
        return "amber"
    return "red"


# --- upload files --------------------------------------------------------------------------------

#: Column → its header (an English msgid of the report domain); a header is known in every
#: language of the catalogues, compared without case.
COLUMNS = {
    "id": M_("Indicator ID"),
    "indicator": M_("Indicator"),
    "period": M_("Period"),
    "value": M_("Value"),
    "comment": M_("Comment"),
}
REQUIRED_COLUMNS = ("id", "period", "value")


def headers(lang: str) -> list[str]:
    """The template's header row in `lang`."""
    return [gettext(lang, msgid) for msgid in COLUMNS.values()]


@dataclass
class UploadRow:
    """One data line of an upload: its line number and the cells by column."""

    line: int
    cells: dict[str, Any] = field(default_factory=dict)


def _column_of(header: Any) -> str | None:
    text = str(header or "").strip().lstrip("\ufeff").casefold()
    for column, msgid in COLUMNS.items():
        if text in (gettext(lang, msgid).casefold() for lang in languages()):
            return column
    return None


def _rows_from_table(table: list[list[Any]]) -> list[UploadRow]:
    if not table:
        raise Problem("empty_file")
    columns = [_column_of(h) for h in table[0]]
    for needed in REQUIRED_COLUMNS:
        if needed not in columns:
            raise Problem("missing_column", needed, line=1)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        rows.append(
            UploadRow(
                number, {col: cells[i] for i, col in enumerate(columns) if col and i < len(cells)}
            )
        )
        if len(rows) > MAX_UPLOAD_ROWS:
            raise Problem("too_many_rows", max=MAX_UPLOAD_ROWS)
    if not rows:
        raise Problem("empty_file")
    return rows


def read_csv(data: bytes) -> list[UploadRow]:
    """A CSV file in UTF-8 (with or without a BOM), `;` or `,` between cells."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem("encoding") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise Problem("not_table") from None
    return _rows_from_table(table)


def read_xlsx(data: bytes) -> list[UploadRow]:
    """The first sheet of an XLSX workbook."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise Problem("not_table") from None
    try:
        sheet = book.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_UPLOAD_ROWS + 2:
                raise Problem("too_many_rows", max=MAX_UPLOAD_ROWS)
    finally:
        book.close()
    return _rows_from_table(table)


def read_upload(filename: str, data: bytes) -> list[UploadRow]:
    """CSV or XLSX by the file's name (an XLSX is a zip: it starts with PK)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")) or not name:
        return read_csv(data)
    raise Problem("file_type")


def cell_text(value: Any) -> str:
    """A cell as text (a whole number typed in a spreadsheet comes back as 12.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m")
    return str(value).strip()
