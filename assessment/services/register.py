"""The KPI register (guideline 2.2.7, 2.3.4, 2.3.9): an organisation's indicators and their
figures period by period.

Who may do what: everyone who may see the organisation (its members, its consultants, admins:
services.access) reads and writes its register; another organisation's indicator is NotFound.
Figures are append-only: a correction adds a row, the latest row of a period wins, the earlier
ones are its history. Several figures are stored all or none: every one is checked first.

Refusals are `RegisterInvalid` (an `Invalid` with a `code`, the `field` and, for uploads, the
`line`); `problem_message` says them in the request's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import joinedload

from ..domain import kpi
from ..extensions import db
from ..models import (
    ConsultantAssignment,
    KpiIndicator,
    KpiValue,
    Organisation,
    User,
    utcnow,
)
from .access import can_see_organisation, get_organisation
from .errors import Invalid, NotFound

SOURCES = ("form", "upload", "api")
MAX_POINTS = 120  # a series shows at most this many periods (the latest)
TEXT_LIMITS = {
    "name": 300,
    "definition": 5000,
    "channel": 200,
    "service": 200,
    "segment": 200,
    "unit": 50,
    "data_source": 300,
    "comment": 2000,
}


class RegisterInvalid(Invalid):
    """A refusal of the register: `code` (see `problem_message`), the offending `field`, the
    upload's `line` when it came from a file, and the message's parameters."""

    def __init__(self, code: str, field: str = "", line: int | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.field = field
        self.line = line
        self.params = params

    @classmethod
    def of(cls, problem: kpi.Problem, line: int | None = None) -> RegisterInvalid:
        return cls(
            problem.code,
            problem.field,
            line if line is not None else problem.line,
            **problem.params,
        )


@dataclass
class IndicatorData:
    """What defines an indicator (every field of the form and of the API)."""

    name: str
    target: float
    unit: str = ""
    direction: str = "higher"
    amber: float = 0.0
    baseline: float | None = None
    definition: str = ""
    channel: str = ""
    service: str = ""
    segment: str = ""
    data_source: str = ""
    owner_id: int | None = None
    period_kind: str = "month"
    review_on: dt.date | None = None


@dataclass
class ValueInput:
    """One figure to store: the indicator, its period as written, the figure (a number, or the
    text typed: "87,5"), a comment, and the upload line it came from."""

    indicator_id: int
    period: str
    value: float | str
    comment: str = ""
    line: int | None = None


@dataclass
class Point:
    """One period of a series: its figure (None when missing), status and the row behind it."""

    period: str
    value: float | None
    status: str
    row: KpiValue | None = None


@dataclass
class OverviewRow:
    """One indicator in the overview: its last complete period and that period's status."""

    indicator: KpiIndicator
    period: str
    value: float | None
    status: str
    owner_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------------


def get_indicator(user: User, indicator_id: int) -> KpiIndicator:
    """The indicator, or NotFound when it is absent or its organisation is not the user's."""
    item = db.session.get(KpiIndicator, indicator_id)
    if item is None or not can_see_organisation(user, item.organisation_id):
        raise NotFound()
    return item


def indicators_by_id(user: User, org_id: int, ids: Iterable[int]) -> dict[int, KpiIndicator]:
    """The organisation's indicators with these ids, by id (others' are left out)."""
    get_organisation(user, org_id)
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        i.id: i
        for i in db.session.scalars(
            select(KpiIndicator).where(
                KpiIndicator.id.in_(wanted), KpiIndicator.organisation_id == org_id
            )
        )
    }


def list_indicators(
    user: User, org_id: int, channel: str = "", service: str = "", segment: str = ""
) -> list[KpiIndicator]:
    """The organisation's indicators (filtered by channel, service, segment when given)."""
    get_organisation(user, org_id)
    query = select(KpiIndicator).where(KpiIndicator.organisation_id == org_id)
    for column, wanted in (
        (KpiIndicator.channel, channel),
        (KpiIndicator.service, service),
        (KpiIndicator.segment, segment),
    ):
        if wanted:
            query = query.where(column == wanted)
    return list(
        db.session.scalars(query.order_by(KpiIndicator.channel, KpiIndicator.name, KpiIndicator.id))
    )


def filter_choices(user: User, org_id: int) -> dict[str, list[str]]:
    """The channels, services and segments used by the organisation's indicators."""
    get_organisation(user, org_id)
    rows = db.session.execute(
        select(KpiIndicator.channel, KpiIndicator.service, KpiIndicator.segment).where(
            KpiIndicator.organisation_id == org_id
        )
    ).all()
    return {
        name: sorted({r[i] for r in rows if r[i]})
        for i, name in enumerate(("channel", "service", "segment"))
    }


def _latest_rows(indicator_ids: Iterable[int], periods: Iterable[str] | None = None):
    """The winning (latest) row of each (indicator, period), in one statement."""
    ids = list(indicator_ids)
    if not ids:
        return []
    newest = select(func.max(KpiValue.id).label("id")).where(KpiValue.indicator_id.in_(ids))
    if periods is not None:
        newest = newest.where(KpiValue.period.in_(list(periods)))
    newest = newest.group_by(KpiValue.indicator_id, KpiValue.period).subquery()
    return list(
        db.session.scalars(
            select(KpiValue)
            .join(newest, newest.c.id == KpiValue.id)
            .options(joinedload(KpiValue.entered_by))
        )
    )


def current_values(user: User, indicator_id: int) -> dict[str, KpiValue]:
    """Period → its figure (the latest row), oldest period first."""
    get_indicator(user, indicator_id)
    rows = _latest_rows([indicator_id])
    return {r.period: r for r in sorted(rows, key=lambda r: kpi.period_start(r.period))}


def history(user: User, indicator_id: int, period: str | None = None) -> list[KpiValue]:
    """Every row ever entered (corrections included), newest first; one period's when given."""
    get_indicator(user, indicator_id)
    query = select(KpiValue).where(KpiValue.indicator_id == indicator_id)
    if period:
        query = query.where(KpiValue.period == period)
    return list(
        db.session.scalars(
            query.order_by(KpiValue.id.desc()).options(joinedload(KpiValue.entered_by))
        )
    )


def status(indicator: KpiIndicator, value: float | None) -> str:
    """green, amber, red or none for a figure of this indicator."""
    return kpi.status_of(value, indicator.target, indicator.amber or 0.0, indicator.direction)


def last_complete_period(indicator: KpiIndicator, today: dt.date | None = None) -> str:
    """The latest period of the indicator's kind that has ended."""
    return kpi.last_complete(indicator.period_kind, today or dt.date.today())


def series(
    user: User, indicator_id: int, periods: int = 12, today: dt.date | None = None
) -> list[Point]:
    """The last `periods` complete periods (and any later or earlier figures), oldest first;
    a period with no figure is a Point with value None and status "none"."""
    indicator = get_indicator(user, indicator_id)
    values = {r.period: r for r in _latest_rows([indicator.id])}
    last = last_complete_period(indicator, today)
    wanted = kpi.periods_back(indicator.period_kind, last, periods)
    keys = sorted(
        set(wanted) | {p for p in values if kpi.period_kind_of(p) == indicator.period_kind},
        key=kpi.period_start,
    )
    if keys:  # no gaps in between: every period from the first to the last is a point
        first, end = kpi.period_start(keys[0]), kpi.period_start(keys[-1])
        keys, day = [], first
        while day <= end:
            keys.append(kpi.period_containing(indicator.period_kind, day))
            day = kpi.next_period(indicator.period_kind, day)
    keys = keys[-MAX_POINTS:]
    out = []
    for p in keys:
        row = values.get(p)
        value = row.value if row else None
        out.append(Point(p, value, status(indicator, value), row))
    return out


def overview(
    user: User,
    org_id: int,
    channel: str = "",
    service: str = "",
    segment: str = "",
    today: dt.date | None = None,
) -> list[OverviewRow]:
    """Every indicator (filtered) with its last complete period's figure and status. Three
    statements whatever the number of indicators or figures."""
    indicators = list_indicators(user, org_id, channel, service, segment)
    today = today or dt.date.today()
    wanted = {i.id: last_complete_period(i, today) for i in indicators}
    rows = _latest_rows(wanted, set(wanted.values()))
    found = {(r.indicator_id, r.period): r for r in rows}
    owners = _owner_names({i.owner_id for i in indicators if i.owner_id})
    out = []
    for i in indicators:
        row = found.get((i.id, wanted[i.id]))
        value = row.value if row else None
        out.append(
            OverviewRow(i, wanted[i.id], value, status(i, value), owners.get(i.owner_id, ""))
        )
    return out


def _owner_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        uid: name or email
        for uid, name, email in db.session.execute(
            select(User.id, User.name, User.email).where(User.id.in_(ids))
        )
    }


def possible_owners(user: User, org_id: int) -> list[User]:
    """Who may own an indicator: the organisation's members and its consultants."""
    get_organisation(user, org_id)
    members = select(User).where(User.organisation_id == org_id, User.active.is_(True))
    consultants = (
        select(User)
        .join(ConsultantAssignment, ConsultantAssignment.user_id == User.id)
        .where(ConsultantAssignment.organisation_id == org_id, User.active.is_(True))
    )
    people = {u.id: u for u in db.session.scalars(members)}
    people.update({u.id: u for u in db.session.scalars(consultants)})
    return sorted(people.values(), key=lambda u: (u.name or u.email).casefold())


# --- defining ------------------------------------------------------------------------------------


def check_indicator(user: User, org_id: int, data: IndicatorData) -> IndicatorData:
    """The definition checked and tidied, or RegisterInvalid naming the field."""
    for name, limit in TEXT_LIMITS.items():
        if hasattr(data, name):
            text = (getattr(data, name) or "").strip()
            if len(text) > limit:
                raise RegisterInvalid("too_long", name, max=limit)
            setattr(data, name, text)
    if not data.name:
        raise RegisterInvalid("required", "name")
    if data.direction not in kpi.DIRECTIONS:
        raise RegisterInvalid("choice", "direction")
    if data.period_kind not in kpi.PERIOD_KINDS:
        raise RegisterInvalid("choice", "period_kind")
    for name in ("target", "amber", "baseline"):
        raw = getattr(data, name)
        if raw is None or raw == "":
            if name == "target":
                raise RegisterInvalid("required", "target")
            setattr(data, name, 0.0 if name == "amber" else None)
            continue
        try:
            setattr(data, name, kpi.parse_number(raw, name))
        except kpi.Problem as problem:
            raise RegisterInvalid.of(problem) from None
    if data.amber < 0:
        raise RegisterInvalid("amber_negative", "amber")
    if data.owner_id is not None and data.owner_id not in {
        u.id for u in possible_owners(user, org_id)
    }:
        raise RegisterInvalid("owner", "owner_id")
    return data


def create_indicator(
    user: User, org_id: int, data: IndicatorData, source_key: str = ""
) -> KpiIndicator:
    """A new indicator of the organisation (NotFound unless the user may see it)."""
    get_organisation(user, org_id)
    return _add_indicator(user, org_id, check_indicator(user, org_id, data), source_key)


def _add_indicator(user: User, org_id: int, data: IndicatorData, source_key: str) -> KpiIndicator:
    """Add an indicator whose definition `check_indicator` has passed."""
    item = KpiIndicator(
        organisation_id=org_id, source_key=source_key, created_by_id=user.id, **vars(data)
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_indicator(user: User, indicator_id: int, data: IndicatorData) -> KpiIndicator:
    """A changed definition; the figures stay."""
    item = get_indicator(user, indicator_id)
    data = check_indicator(user, item.organisation_id, data)
    for name, value in vars(data).items():
        setattr(item, name, value)
    db.session.flush()
    return item


def delete_indicator(user: User, indicator_id: int) -> None:
    """Remove an indicator and all its figures."""
    db.session.delete(get_indicator(user, indicator_id))
    db.session.flush()


def _approved_version(org: Organisation):
    from .standards import current_approved, get_standard

    standard = get_standard(org)
    return current_approved(standard) if standard else None


def standard_rows(user: User, org_id: int) -> list[dict[str, Any]]:
    """The 2.2.7 rows of the organisation's approved standard, each with `key` and `created`
    (the indicator made from it, or None)."""
    org = get_organisation(user, org_id)
    version = _approved_version(org)
    if version is None:
        return []
    made = {
        i.source_key: i
        for i in db.session.scalars(
            select(KpiIndicator).where(
                KpiIndicator.organisation_id == org_id, KpiIndicator.source_key != ""
            )
        )
    }
    out = []
    for n, row in enumerate(version.content.get("indicators") or []):
        key = f"{version.standard_id}:{row.get('key') or n}"
        out.append({**row, "key": key, "created": made.get(key)})
    return out


def indicators_from_standard(
    user: User, org_id: int, keys: list[str] | None = None, period_kind: str = "month"
) -> list[KpiIndicator]:
    """Indicators made from the approved standard's 2.2.7 rows (`keys`, or every row not made
    yet), measured every `period_kind`. The target is the first number of the row's target
    ("vismaz 85" → 85, "ne vairāk kā 3" → 3, lower is better); otherwise RegisterInvalid.
    All or none: every row is checked before the first indicator is added, so a refusal leaves
    the session as it was (the page that says so reads the register again)."""
    if period_kind not in kpi.PERIOD_KINDS:
        raise RegisterInvalid("choice", "period_kind")
    rows = standard_rows(user, org_id)
    if not rows:
        raise RegisterInvalid("no_standard")
    chosen = [r for r in rows if r["created"] is None and (keys is None or r["key"] in keys)]
    if keys is not None and any(k not in {r["key"] for r in rows} for k in keys):
        raise NotFound()
    checked = []
    for row in chosen:
        try:
            target = kpi.parse_number(_leading_number(str(row.get("target", ""))), "target")
        except kpi.Problem:
            raise RegisterInvalid(
                "standard_target", "target", indicator=row.get("indicator", "")
            ) from None
        unit = (row.get("unit") or "").strip()
        if not unit and "%" in str(row.get("target", "")):
            unit = "%"
        data = IndicatorData(
            name=(row.get("indicator") or "")[:300],
            target=target,
            unit=unit[:50],
            channel=(row.get("channel") or "")[:200],
            data_source=(row.get("data_source") or "")[:300],
            direction=_direction_of(str(row.get("target", ""))),
            period_kind=period_kind,
        )
        checked.append((check_indicator(user, org_id, data), row["key"]))
    return [_add_indicator(user, org_id, data, key) for data, key in checked]


def _leading_number(text: str) -> str:
    """ "≥ 85 %" → "85"; "līdz 10 min" → "10"."""
    import re

    match = re.search(r"[-+]?[0-9][0-9 \u00a0]*([.,][0-9]+)?", text)
    return match.group(0) if match else text


def _direction_of(text: str) -> str:
    lowered = text.casefold()
    if any(
        s in lowered for s in ("≤", "<", "līdz", "max", "ne vairāk", "not more", "under", "at most")
    ):
        return "lower"
    return "higher"


# --- figures -------------------------------------------------------------------------------------


def check_values(
    user: User, org_id: int, items: list[ValueInput]
) -> list[tuple[KpiIndicator, str, float, str]]:
    """Every figure checked (indicator of this organisation, period of its kind, a number, a
    comment not too long) before any is stored; the first problem is a RegisterInvalid naming
    the line and field."""
    get_organisation(user, org_id)
    today = dt.date.today()
    ids = set()
    for item in items:
        if not isinstance(item.indicator_id, int) or not 0 < item.indicator_id < 2**31:
            raise RegisterInvalid("indicator", "id", item.line)
        ids.add(item.indicator_id)
    known = (
        {
            i.id: i
            for i in db.session.scalars(
                select(KpiIndicator).where(
                    KpiIndicator.id.in_(ids), KpiIndicator.organisation_id == org_id
                )
            )
        }
        if ids
        else {}
    )
    out = []
    for item in items:
        indicator = known.get(item.indicator_id)
        if indicator is None:
            raise RegisterInvalid("indicator", "id", item.line)
        try:
            period = kpi.parse_period(indicator.period_kind, item.period)
            value = kpi.parse_number(item.value)
        except kpi.Problem as problem:
            raise RegisterInvalid.of(problem, item.line) from None
        if kpi.period_start(period) > today:
            raise RegisterInvalid("future", "period", item.line)
        comment = (item.comment or "").strip()
        if "\x00" in comment:
            raise RegisterInvalid("control", "comment", item.line)
        if len(comment) > TEXT_LIMITS["comment"]:
            raise RegisterInvalid("too_long", "comment", item.line, max=TEXT_LIMITS["comment"])
        out.append((indicator, period, value, comment))
    return out


def record_values(
    user: User, org_id: int, items: list[ValueInput], source: str = "form"
) -> list[KpiValue]:
    """Store figures, all or none (one flush: one transaction when the caller commits)."""
    if source not in SOURCES:
        raise RegisterInvalid("choice", "source")
    if not items:
        raise RegisterInvalid("no_rows")
    checked = check_values(user, org_id, items)
    now = utcnow()
    # One INSERT with RETURNING for every row (not one statement per figure).
    return list(
        db.session.scalars(
            insert(KpiValue).returning(KpiValue),
            [
                {
                    "indicator_id": i.id,
                    "period": p,
                    "value": v,
                    "comment": c,
                    "source": source,
                    "entered_by_id": user.id,
                    "entered_at": now,
                }
                for i, p, v, c in checked
            ],
        )
    )


def record_value(
    user: User,
    indicator_id: int,
    period: str,
    value: float | str,
    comment: str = "",
    source: str = "form",
) -> KpiValue:
    """Store one figure (a correction when the period has one: the earlier stays in history)."""
    indicator = get_indicator(user, indicator_id)
    return record_values(
        user, indicator.organisation_id, [ValueInput(indicator.id, period, value, comment)], source
    )[0]


def upload_values(user: User, org_id: int, filename: str, data: bytes) -> list[KpiValue]:
    """A CSV or XLSX file in the template's columns; every line checked before any is stored.
    An indicator may be named by its ID, or (ID empty) by its exact name."""
    try:
        rows = kpi.read_upload(filename, data)
    except kpi.Problem as problem:
        raise RegisterInvalid.of(problem) from None
    by_name: dict[str, int] | None = None
    items = []
    for row in rows:
        raw_id = kpi.cell_text(row.cells.get("id"))
        if raw_id:
            if not raw_id.isdigit():
                raise RegisterInvalid("indicator", "id", row.line)
            indicator_id = int(raw_id)
        else:
            if by_name is None:
                by_name = {i.name.casefold(): i.id for i in list_indicators(user, org_id)}
            name = kpi.cell_text(row.cells.get("indicator")).casefold()
            if not name or name not in by_name:
                raise RegisterInvalid("indicator", "id", row.line)
            indicator_id = by_name[name]
        value = row.cells.get("value")
        if value is None or (isinstance(value, str) and not value.strip()):
            raise RegisterInvalid("required", "value", row.line)
        items.append(
            ValueInput(
                indicator_id,
                kpi.cell_text(row.cells.get("period")),
                value if isinstance(value, (int, float)) else str(value),
                kpi.cell_text(row.cells.get("comment")),
                row.line,
            )
        )
    return record_values(user, org_id, items, source="upload")


def template_rows(
    user: User, org_id: int, today: dt.date | None = None
) -> list[tuple[int, str, str]]:
    """The template's lines: each indicator's id, name and last complete period."""
    return [(i.id, i.name, last_complete_period(i, today)) for i in list_indicators(user, org_id)]


def latest_figure(user: User, indicator_id: int, today: dt.date | None = None) -> KpiValue | None:
    """The figure of the latest complete period that has one (a running period is not used)."""
    indicator = get_indicator(user, indicator_id)
    last_end = kpi.period_end(last_complete_period(indicator, today))
    rows = [
        r
        for r in _latest_rows([indicator.id])
        if kpi.period_kind_of(r.period) == indicator.period_kind
        and kpi.period_end(r.period) <= last_end
    ]
    return max(rows, key=lambda r: kpi.period_start(r.period), default=None)


def attention(
    org_id: int, recent_periods: int = 1, today: dt.date | None = None
) -> list[OverviewRow]:
    """For the report: indicators whose last complete period is off target (red) or has no
    figure. (Access is checked by the caller, who holds the assessment.)"""
    today = today or dt.date.today()
    indicators = list(
        db.session.scalars(
            select(KpiIndicator)
            .where(KpiIndicator.organisation_id == org_id)
            .order_by(KpiIndicator.name, KpiIndicator.id)
        )
    )
    wanted = {i.id: last_complete_period(i, today) for i in indicators}
    found = {(r.indicator_id, r.period): r for r in _latest_rows(wanted, set(wanted.values()))}
    out = []
    for i in indicators:
        row = found.get((i.id, wanted[i.id]))
        value = row.value if row else None
        state = status(i, value)
        if state in ("red", "none"):
            out.append(OverviewRow(i, wanted[i.id], value, state))
    return out


def problem_message(problem: RegisterInvalid) -> str:
    """A refusal in the request's language, naming the line and column of an upload."""
    from flask_babel import gettext as _

    column = {
        "id": _("Indicator ID"),
        "indicator": _("Indicator"),
        "period": _("Period"),
        "value": _("Value"),
        "comment": _("Comment"),
        "name": _("Name"),
        "target": _("Target"),
        "amber": _("Amber band"),
        "baseline": _("Baseline"),
        "direction": _("Direction"),
        "period_kind": _("Period kind"),
        "owner_id": _("Owner"),
        "unit": _("Unit"),
        "definition": _("Definition"),
        "channel": _("Channel"),
        "service": _("Service"),
        "segment": _("Client segment"),
        "data_source": _("Data source"),
        "review_on": _("Next review of the definition"),
        "source": _("Source"),
    }.get(problem.field, problem.field)
    kind = {
        "month": _("a month such as 2026-09"),
        "quarter": _("a quarter such as 2026-Q3"),
        "year": _("a year such as 2026"),
    }.get(problem.params.get("kind", ""), "")
    text = {
        "required": _("%(column)s: this field is required.", column=column),
        "too_long": _(
            "%(column)s: too long, at most %(max)s characters.",
            column=column,
            max=problem.params.get("max", ""),
        ),
        "number": _("%(column)s: enter a number, such as 87,5.", column=column),
        "choice": _("%(column)s: choose one of the offered values.", column=column),
        "amber_negative": _("The amber band cannot be negative."),
        "owner": _("The owner must be a member or consultant of the organisation."),
        "period": _("%(column)s: enter %(kind)s.", column=column, kind=kind),
        "indicator": _(
            "%(column)s: no such indicator in this organisation's register.", column=column
        ),
        "no_rows": _("There are no figures to save."),
        "no_standard": _(
            "The organisation has no approved standard with an indicator table (2.2.7)."
        ),
        "standard_target": _(
            "The target of “%(indicator)s” in the standard is not a number: "
            "define this indicator by hand.",
            indicator=problem.params.get("indicator", ""),
        ),
        "empty_file": _("The file holds no figures."),
        "encoding": _("The file is not in UTF-8: save the CSV as “CSV UTF-8”."),
        "missing_column": _(
            "The column “%(column)s” is missing from the first line. Use the template.",
            column=column,
        ),
        "not_table": _(
            "The file cannot be read: upload a CSV or XLSX file in the template's columns."
        ),
        "file_type": _("Upload a CSV or XLSX file."),
        "future": _("%(column)s: the period has not begun yet.", column=column),
        "control": _(
            "%(column)s: the text holds a control character (NUL); remove it.", column=column
        ),
        "locked": _("The assessment is completed or archived: its answers cannot change."),
        "question": _("Choose a question of the assessment."),
        "not_indicator": _("Only an indicator question can take a figure from the register."),
        "no_figure": _("The indicator has no figure for a complete period yet."),
        "too_many_rows": _(
            "Too many lines: at most %(max)s in one file.", max=problem.params.get("max", "")
        ),
    }.get(problem.code, _("The request could not be carried out."))
    if problem.line is not None:
        return _("Line %(line)s: %(text)s Nothing was saved.", line=problem.line, text=text)
    return text


# --- figures as evidence and as answers ----------------------------------------------------------


def _assessment_question(user: User, indicator: KpiIndicator, assessment_id: int, question_id: str):
    """The assessment (of the indicator's organisation, not locked) and the bank's question."""
    from .access import get_assessment
    from .banks import get_bank

    assessment = get_assessment(user, assessment_id)
    if assessment.organisation_id != indicator.organisation_id:
        raise NotFound()
    if assessment.locked:
        raise RegisterInvalid("locked", "assessment_id")
    bank = get_bank(assessment.bank_id, assessment.bank_version)
    question = bank.question(question_id) if bank is not None else None
    if question is None:
        raise RegisterInvalid("question", "question_id")
    return assessment, question


def _answer_row(assessment_id: int, question_id: str):
    from ..models import AnswerRecord

    row = db.session.scalar(
        select(AnswerRecord).where(
            AnswerRecord.assessment_id == assessment_id, AnswerRecord.question_id == question_id
        )
    )
    if row is None:
        row = AnswerRecord(
            assessment_id=assessment_id, question_id=question_id, evidence=[], comment=""
        )
        db.session.add(row)
    return row


def evidence_title(indicator: KpiIndicator, first: str, last: str) -> str:
    """The evidence item's title: the indicator and the periods measured."""
    span = first if first == last else f"{first}–{last}"
    return f"{indicator.name} ({span})"


def attach_evidence(user: User, indicator_id: int, assessment_id: int, question_id: str):
    """Add the measured series to an answer's evidence, titled with the indicator and dated by
    the end of its latest period (evidence freshness applies); an item of the same indicator
    attached before is replaced. Returns the answer row."""
    indicator = get_indicator(user, indicator_id)
    assessment, _question = _assessment_question(user, indicator, assessment_id, question_id)
    periods = sorted(current_values(user, indicator.id), key=kpi.period_start)
    if not periods:
        raise RegisterInvalid("no_figure", "indicator_id")
    title = evidence_title(indicator, periods[0], periods[-1])
    row = _answer_row(assessment.id, question_id)
    kept = [
        e
        for e in (row.evidence or [])
        if not str(e.get("title", "")).startswith(indicator.name + " (")
    ]
    row.evidence = [*kept, {"title": title[:300], "date": kpi.period_end(periods[-1]).isoformat()}]
    row.updated_by_id = user.id
    assessment.updated_at = utcnow()
    db.session.flush()
    return row


def link_question(
    user: User,
    indicator_id: int,
    assessment_id: int,
    question_id: str,
    today: dt.date | None = None,
):
    """Link a bank indicator question to the register indicator: the answer takes the figure of
    the latest complete period (its level from the bank's thresholds). Returns the answer row."""
    from ..domain.qtypes.indicator import level_of
    from ..models import KpiLink

    indicator = get_indicator(user, indicator_id)
    assessment, question = _assessment_question(user, indicator, assessment_id, question_id)
    if question.type != "indicator":
        raise RegisterInvalid("not_indicator", "question_id")
    figure = latest_figure(user, indicator.id, today)
    if figure is None:
        raise RegisterInvalid("no_figure", "indicator_id")
    link = db.session.scalar(
        select(KpiLink).where(
            KpiLink.assessment_id == assessment.id, KpiLink.question_id == question_id
        )
    )
    if link is None:
        db.session.add(
            KpiLink(assessment_id=assessment.id, question_id=question_id, indicator_id=indicator.id)
        )
    else:
        link.indicator_id = indicator.id
    row = _answer_row(assessment.id, question_id)
    row.value = figure.value
    row.period = figure.period
    row.level = level_of(question.details, figure.value)
    row.not_applicable = False
    row.dont_know = False
    row.updated_by_id = user.id
    assessment.updated_at = utcnow()
    db.session.flush()
    return row


def linked_figures(
    assessment, today: dt.date | None = None
) -> dict[str, tuple[KpiIndicator, KpiValue | None]]:
    """Question id → (the linked indicator, its latest complete period's figure), for the
    questionnaire and the report. (Access is checked by the caller, who holds the assessment.)
    Two statements whatever the number of links."""
    from ..models import KpiLink

    links = list(
        db.session.execute(
            select(KpiLink, KpiIndicator)
            .join(KpiIndicator, KpiIndicator.id == KpiLink.indicator_id)
            .where(
                KpiLink.assessment_id == assessment.id,
                KpiIndicator.organisation_id == assessment.organisation_id,
            )
        )
    )
    if not links:
        return {}
    today = today or dt.date.today()
    rows = _latest_rows({i.id for _link, i in links})
    out = {}
    for link, indicator in links:
        last_end = kpi.period_end(last_complete_period(indicator, today))
        mine = [
            r
            for r in rows
            if r.indicator_id == indicator.id
            and kpi.period_kind_of(r.period) == indicator.period_kind
            and kpi.period_end(r.period) <= last_end
        ]
        out[link.question_id] = (
            indicator,
            max(mine, key=lambda r: kpi.period_start(r.period), default=None),
        )
    return out


def indicator_questions(user: User, org_id: int) -> list[tuple[Any, list[Any]]]:
    """The organisation's open assessments, each with its bank's questions (for the evidence
    and link forms): [(assessment, [question, …])]."""
    from ..models import Assessment
    from .banks import get_bank

    get_organisation(user, org_id)
    out = []
    for assessment in db.session.scalars(
        select(Assessment)
        .where(Assessment.organisation_id == org_id, Assessment.state.in_(("draft", "in_progress")))
        .order_by(Assessment.id.desc())
    ):
        bank = get_bank(assessment.bank_id, assessment.bank_version)
        if bank is not None:
            out.append((assessment, list(bank.questions)))
    return out
