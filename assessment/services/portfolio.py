"""The consultant's portfolio: every organisation they handle on one screen.

A page costs a constant number of SQL statements whatever the number of organisations: the
count, the page of organisations, their assessments, the answers of the shown assessments, the
respondents' answers, the open actions and the banks — each in one query; scoring is in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from statistics import quantiles

from sqlalchemy import func, select

from ..domain.bank import Bank
from ..domain.scoring import score
from ..extensions import db
from ..models import ActionItem, AnswerRecord, Assessment, Organisation, User
from .access import visible_organisations
from .assessments import record_to_answer
from .banks import installed_banks
from .respondents import aware, consolidate, submitted_answers

PAGE_SIZE = 25
SORTS = ("name", "activity")
BENCHMARK_MINIMUM = 5


@dataclass
class PortfolioRow:
    """One organisation's line."""

    organisation: Organisation
    latest: Assessment | None
    evidence_backed: Fraction | None
    previous: Fraction | None
    open_actions: int
    last_activity: dt.datetime | None

    @property
    def change(self) -> Fraction | None:
        """Evidence-backed maturity now minus at the previous completed assessment."""
        if self.evidence_backed is None or self.previous is None:
            return None
        return self.evidence_backed - self.previous


@dataclass
class PortfolioPage:
    """A page of the portfolio."""

    rows: list[PortfolioRow]
    total: int
    page: int
    pages: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def portfolio_page(user: User, search: str = "", sort: str = "name", descending: bool = False,
                   page: int = 1, page_size: int = PAGE_SIZE) -> PortfolioPage:
    """The organisations `user` handles, filtered, sorted and paged, with their figures."""
    orgs = visible_organisations(user).subquery()
    activity = (select(Assessment.organisation_id.label("org_id"),
                       func.max(Assessment.updated_at).label("last"))
                .group_by(Assessment.organisation_id).subquery())
    base = select(orgs.c.id, orgs.c.name, activity.c.last).outerjoin(
        activity, activity.c.org_id == orgs.c.id)
    search = (search or "").strip()[:200]
    if search:
        base = base.where(func.lower(orgs.c.name).like(
            f"%{_escape_like(search.lower())}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    if sort == "activity":
        key = activity.c.last.desc() if descending else activity.c.last.asc()
        order = [key.nulls_last(), orgs.c.name, orgs.c.id]
    else:
        order = [orgs.c.name.desc() if descending else orgs.c.name.asc(), orgs.c.id]
    page_rows = db.session.execute(base.order_by(*order).limit(page_size)
                                   .offset((page - 1) * page_size)).all()
    ids = [r.id for r in page_rows]
    if not ids:
        return PortfolioPage([], total, page, pages)
    org_map = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)))}
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.organisation_id.in_(ids))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())).all()
    latest: dict[int, Assessment] = {}
    previous: dict[int, Assessment] = {}
    for a in assessments:
        if a.organisation_id not in latest:
            latest[a.organisation_id] = a
        elif a.organisation_id not in previous and a.state in ("completed", "archived") \
                and a.bank_id == latest[a.organisation_id].bank_id:
            previous[a.organisation_id] = a
    shown = [a.id for a in latest.values()] + [a.id for a in previous.values()]
    maturity = evidence_backed_maturities(
        [a for a in assessments if a.id in set(shown)])
    open_actions = dict(db.session.execute(
        select(ActionItem.assessment_id, func.count())
        .where(ActionItem.assessment_id.in_([a.id for a in latest.values()]),
               ActionItem.status != "done")
        .group_by(ActionItem.assessment_id)).all()) if latest else {}
    rows = []
    for r in page_rows:
        a = latest.get(r.id)
        p = previous.get(r.id)
        rows.append(PortfolioRow(
            organisation=org_map[r.id], latest=a,
            evidence_backed=maturity.get(a.id) if a else None,
            previous=maturity.get(p.id) if p else None,
            open_actions=open_actions.get(a.id, 0) if a else 0,
            last_activity=aware(r.last)))
    return PortfolioPage(rows, total, page, pages)


def _banks() -> dict[tuple[str, str], Bank]:
    return {(b.id, b.version): b for b, _origin in installed_banks()}


def evidence_backed_maturities(assessments: list[Assessment]) -> dict[int, Fraction | None]:
    """Overall evidence-backed maturity (§4 on §5-consolidated answers) of each assessment.

    Three queries whatever the number of assessments: answers, respondents' answers, banks.
    """
    if not assessments:
        return {}
    ids = [a.id for a in assessments]
    consensus: dict[int, dict] = {i: {} for i in ids}
    for row in db.session.scalars(select(AnswerRecord).where(
            AnswerRecord.assessment_id.in_(ids))):
        answer = record_to_answer(row)
        if answer is not None:
            consensus[row.assessment_id][row.question_id] = answer
    respondents = submitted_answers(ids)
    banks = _banks()
    out: dict[int, Fraction | None] = {}
    for a in assessments:
        bank = banks.get((a.bank_id, a.bank_version))
        if bank is None:
            out[a.id] = None
            continue
        given = {k: v for k, v in consensus[a.id].items() if bank.question(k) is not None}
        answers, _merged = consolidate(bank, given, respondents.get(a.id, []))
        out[a.id] = score(bank, answers, a.targets or {}).evidence_backed
    return out


# --- benchmarking --------------------------------------------------------------------------------


@dataclass
class BenchmarkRow:
    """One dimension: this organisation against the anonymised distribution."""

    dimension_id: str
    title: object
    own: Fraction | None
    lower: float
    median: float
    upper: float


def benchmark(assessment: Assessment, bank: Bank) -> tuple[int, list[BenchmarkRow]]:
    """Quartiles of evidence-backed maturity per dimension over every organisation's latest
    completed assessment on the same bank version, and this assessment's own figure.
    Returns (organisations, rows); rows are empty below BENCHMARK_MINIMUM organisations.
    No organisation is named."""
    completed = db.session.scalars(
        select(Assessment).where(Assessment.bank_id == bank.id,
                                 Assessment.bank_version == bank.version,
                                 Assessment.state.in_(("completed", "archived")))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())).all()
    latest: dict[int, Assessment] = {}
    for a in completed:
        latest.setdefault(a.organisation_id, a)
    if len(latest) < BENCHMARK_MINIMUM:
        return len(latest), []
    chosen = list(latest.values())
    ids = [a.id for a in chosen]
    if assessment.id not in ids:  # the organisation's position: the assessment looked at
        ids.append(assessment.id)
    consensus: dict[int, dict] = {i: {} for i in ids}
    for row in db.session.scalars(select(AnswerRecord).where(
            AnswerRecord.assessment_id.in_(ids))):
        answer = record_to_answer(row)
        if answer is not None and bank.question(row.question_id) is not None:
            consensus[row.assessment_id][row.question_id] = answer
    respondents = submitted_answers(ids)
    per_dim: dict[str, list[float]] = {d.id: [] for d in bank.dimensions}
    own = None
    for a in chosen + ([] if assessment in chosen else [assessment]):
        answers, _merged = consolidate(bank, consensus[a.id], respondents.get(a.id, []))
        result = score(bank, answers, a.targets or {})
        if a.id == assessment.id:
            own = result
        if a not in chosen:
            continue
        for d in result.dimensions:
            if d.evidence_backed is not None:
                per_dim[d.id].append(float(d.evidence_backed))
    rows = []
    for d in bank.dimensions:
        values = sorted(per_dim[d.id])
        if len(values) < BENCHMARK_MINIMUM:
            continue
        q1, q2, q3 = quantiles(values, n=4, method="inclusive")
        mine = own.dimension(d.id).evidence_backed if own else None
        rows.append(BenchmarkRow(d.id, d.title, mine, q1, q2, q3))
    return len(latest), rows


# --- comparison of two assessments ---------------------------------------------------------------


def _level(answer) -> str | None:
    if answer is None:
        return None
    if answer.level is not None:
        return str(answer.level)
    return "na" if answer.not_applicable else "dk"


def _carried(answers: list) -> object | None:
    """The one older answer a newer question is compared with: the answer itself when one older
    question maps to it; for a merge, the lower median of the older numeric levels (the §5
    rule), else don't know / not applicable as §5 consolidates them."""
    answers = [a for a in answers if a is not None]
    if not answers:
        return None
    if len(answers) == 1:
        return answers[0]
    from ..domain.answers import Answer

    levels = sorted(a.level for a in answers if a.level is not None)
    if levels:
        return Answer(answers[0].question, level=levels[(len(levels) - 1) // 2])
    if any(a.dont_know for a in answers):
        return Answer(answers[0].question, dont_know=True)
    return Answer(answers[0].question, not_applicable=True)


def comparison(older, newer, bank: Bank, older_bank: Bank | None = None,
               mappings=None) -> dict:
    """Per dimension and per question (of `bank`, the newer assessment's version), the older and
    newer figures and the change.

    `older` and `newer` are ScoreResults (of §5-consolidated answers). When the older assessment
    was made on another version of the bank (`older_bank`), its questions are carried over by the
    bank's mapping (questions/mappings/): a question continues the older question(s) mapped to
    it; a question with none is new in this version."""
    from ..domain.mapping import question_links

    older_bank = older_bank or bank
    links = question_links(older_bank, bank, mappings)
    dimensions = []
    for d in bank.dimensions:
        a, b = older.dimension(d.id), newer.dimension(d.id)
        before = a.evidence_backed if a else None
        after = b.evidence_backed if b else None
        dimensions.append({"dimension": d, "before": before, "after": after,
                           "change": None if before is None or after is None
                           else after - before})
    questions = []
    new_questions = []
    for q in bank.questions:
        sources = links.get(q.id, ())
        if not sources:  # new in this version: nothing earlier to compare with
            new_questions.append(q)
            continue
        x = _carried([older.answers.get(i) for i in sources])
        y = newer.answers.get(q.id)
        before, after = _level(x), _level(y)
        change = None
        if x is not None and y is not None and x.level is not None and y.level is not None:
            change = y.level - x.level
        renamed = tuple(older_bank.question(i) for i in sources if i != q.id)
        if before != after:
            questions.append({"question": q, "before": before, "after": after,
                              "change": change, "from": renamed})
    removed = []
    if older_bank.key != bank.key:
        carried = {i for ids in links.values() for i in ids}
        removed = [q for q in older_bank.questions if q.id not in carried]
    return {"dimensions": dimensions, "questions": questions,
            "rose": [r for r in questions if r["change"] and r["change"] > 0],
            "fell": [r for r in questions if r["change"] and r["change"] < 0],
            "overall_before": older.evidence_backed, "overall_after": newer.evidence_backed,
            "versions_differ": older_bank.key != bank.key, "older_bank": older_bank,
            "new_questions": new_questions, "removed_questions": removed}
