"""The consultant's portfolio: every organisation they handle on one screen.

A page costs a constant number of SQL statements whatever the number of organisations: the
count, the page of organisations, their assessments, their stored results (services.results) and
the open actions — each in one query; nothing is scored again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import load_only

from ..domain.bank import Bank
from ..domain.scoring import round_half_up
from ..extensions import db
from ..models import (
    STATES,
    ActionItem,
    Assessment,
    AssessmentResult,
    LatestAssessments,
    Organisation,
    User,
)
from . import results
from .access import visible_organisations
from .respondents import aware

PAGE_SIZE = 25
SORTS = ("name", "maturity", "gap", "change", "activity")
BENCHMARK_MINIMUM = 5


@dataclass
class PortfolioRow:
    """One organisation's line."""

    organisation: Organisation
    latest: Any  # the latest assessment's row (id, title, state, bank, updated_at) or None
    evidence_backed: Fraction | None
    previous: Fraction | None
    open_actions: int
    last_activity: dt.datetime | None
    dimensions: dict[str, Fraction | None] = field(default_factory=dict)  # evidence-backed
    largest_gap: Fraction | None = None  # the largest dimension gap of the latest assessment

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


def kinds(user: User) -> list[str]:
    """The distinct kinds of institution among the organisations `user` sees (one query)."""
    orgs = visible_organisations(user).subquery()
    kind = func.trim(orgs.c.kind)
    return [
        k for k in db.session.scalars(select(kind).where(kind != "").distinct().order_by(kind)) if k
    ]


def portfolio_page(
    user: User,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    state: str = "",
    kind: str = "",
) -> PortfolioPage:
    """The organisations `user` handles, filtered (name, latest assessment's state, kind of
    institution), sorted (name, evidence-backed maturity, largest dimension gap, change since
    the previous completed assessment, last activity) and paged, with their figures. Sorting
    and filtering are SQL over the stored results (services.results)."""
    orgs = visible_organisations(user).subquery()
    named = select(orgs.c.id, orgs.c.name)
    search = (search or "").strip()[:200]
    if search:
        named = named.where(
            func.lower(orgs.c.name).like(f"%{_escape_like(search.lower())}%", escape="\\")
        )
    kind = (kind or "").strip()
    if kind:
        named = named.where(func.trim(orgs.c.kind) == kind)
    # The sort keys and the state filter come from latest_assessments (each organisation's
    # latest and previous completed assessment, kept by services.results) and the stored
    # results: no ranking of every organisation's assessments.
    la = LatestAssessments.__table__
    if state in STATES or sort in ("maturity", "gap", "change"):
        results.settle()  # what this transaction changed is stored first
    if state in STATES:
        latest_row = Assessment.__table__.alias("latest")
        named = (
            named.join(la, la.c.organisation_id == orgs.c.id)
            .join(latest_row, latest_row.c.id == la.c.latest_id)
            .where(latest_row.c.state == state)
        )
    # counted before the sort's joins (one row an organisation either way)
    total = db.session.scalar(select(func.count()).select_from(named.subquery())) or 0
    if sort in ("maturity", "gap", "change") and state not in STATES:
        named = named.outerjoin(la, la.c.organisation_id == orgs.c.id)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    key = None
    if sort == "activity":  # ordered by every organisation's last activity
        activity = (
            select(
                Assessment.organisation_id.label("org_id"),
                func.max(Assessment.updated_at).label("last"),
            )
            .group_by(Assessment.organisation_id)
            .subquery()
        )
        named = named.outerjoin(activity, activity.c.org_id == orgs.c.id)
        key = activity.c.last
    elif sort in ("maturity", "gap", "change"):
        now = AssessmentResult.__table__.alias("now")
        named = named.outerjoin(now, now.c.assessment_id == la.c.latest_id)
        key = now.c.largest_gap if sort == "gap" else now.c.evidence_backed
        if sort == "change":
            before = AssessmentResult.__table__.alias("before")
            named = named.outerjoin(before, before.c.assessment_id == la.c.previous_id)
            key = now.c.evidence_backed - before.c.evidence_backed
    if key is not None:  # organisations without the figure last, whichever the direction
        order = (key.desc() if descending else key.asc()).nulls_last()
        page_rows = db.session.execute(
            named.order_by(order, orgs.c.name, orgs.c.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
    else:  # by name: the page first (the name's index); its activity from its assessments
        page_rows = db.session.execute(
            named.order_by(orgs.c.name.desc() if descending else orgs.c.name.asc(), orgs.c.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
    ids = [r.id for r in page_rows]
    if not ids:
        return PortfolioPage([], total, page, pages)
    org_map = {
        o.id: o
        for o in db.session.scalars(
            select(Organisation)
            .options(load_only(Organisation.id, Organisation.name))
            .where(Organisation.id.in_(ids))
        )
    }
    latest: dict[int, Any] = {}
    previous: dict[int, Any] = {}
    last: dict[int, dt.datetime] = {}  # last activity: the latest change of its assessments
    for a in assessments_of_organisations(ids):  # the columns a line shows, newest first
        if a.updated_at is not None and (
            a.organisation_id not in last or a.updated_at > last[a.organisation_id]
        ):
            last[a.organisation_id] = a.updated_at
        if a.organisation_id not in latest:
            latest[a.organisation_id] = a
        elif (
            a.organisation_id not in previous
            and a.state in ("completed", "archived")
            and a.bank_id == latest[a.organisation_id].bank_id
        ):
            previous[a.organisation_id] = a
    latest_ids = [a.id for a in latest.values()]
    # two queries: the overall results (latest and previous), the dimensions of the latest
    found = results.stored(latest_ids + [a.id for a in previous.values()])
    figures = results.dimension_figures(latest_ids)
    maturity = {i: r.evidence_backed for i, r in found.items()}
    done: dict[int, set[str]] = {}  # one query: the actions marked done
    for assessment_id, question_id in (
        db.session.execute(
            select(ActionItem.assessment_id, ActionItem.question_id).where(
                ActionItem.assessment_id.in_(latest_ids),
                ActionItem.status == "done",
            )
        ).all()
        if latest
        else ()
    ):
        done.setdefault(assessment_id, set()).add(question_id)
    # open actions: the recommended actions (stored with the result) not marked done
    open_actions = {
        i: _not_done(found[i].actions or (), done.get(i)) for i in latest_ids if i in found
    }
    rows = []
    for r in page_rows:
        a = latest.get(r.id)
        p = previous.get(r.id)
        dims = figures.get(a.id, ()) if a else ()
        rows.append(
            PortfolioRow(
                organisation=org_map[r.id],
                latest=a,
                evidence_backed=maturity.get(a.id) if a else None,
                previous=maturity.get(p.id) if p else None,
                open_actions=open_actions.get(a.id, 0) if a else 0,
                last_activity=aware(last.get(r.id)),
                dimensions={d: backed for d, backed, _gap in dims},
                largest_gap=max((gap for _d, _b, gap in dims if gap is not None), default=None),
            )
        )
    return PortfolioPage(rows, total, page, pages)


def _not_done(actions: Collection[str], done: set[str] | None) -> int:
    """How many of the recommended actions are not marked done (most results have none
    marked: then all of them, without a look at each)."""
    if not done:
        return len(actions)
    return sum(1 for q in actions if q not in done)


def evidence_backed_maturities(assessments: list[Assessment]) -> dict[int, Fraction | None]:
    """Overall evidence-backed maturity (§4 on §5-consolidated answers) of each assessment,
    read from the stored results (one query whatever the number of assessments)."""
    return results.evidence_backed(a.id for a in assessments)


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


def controlled_organisations(viewer: User):
    """The ids of the organisations `viewer` can see or control: those visible to them (all for
    an admin; assigned to a consultant; a member's own), their own, and every organisation
    with an assessment they created. None of them counts as a peer in the benchmark, so that
    no figure of a peer can be pinned down by organisations the viewer set up."""
    visible = visible_organisations(viewer).with_only_columns(Organisation.id)
    created = select(Assessment.organisation_id).where(Assessment.created_by_id == viewer.id)
    own = select(User.organisation_id).where(
        User.id == viewer.id, User.organisation_id.is_not(None)
    )
    return visible.union(created, own)


def _peer_conditions(
    bank: Bank,
    assessment: Assessment,
    viewer: User,
    kind: str | None = None,
    other_kinds: bool = False,
) -> list:
    """The WHERE of peer_assessments: completed assessments on the same bank version, of an
    organisation other than the assessment's that the viewer can neither see nor control; with
    `kind`, only of that kind of institution (or, with `other_kinds`, only of another kind)."""
    a = Assessment.__table__
    conditions = [
        a.c.bank_id == bank.id,
        a.c.bank_version == bank.version,
        a.c.state.in_(("completed", "archived")),
        a.c.organisation_id != assessment.organisation_id,
        a.c.organisation_id.not_in(controlled_organisations(viewer).scalar_subquery()),
    ]
    if kind is not None:
        same = select(Organisation.id).where(func.trim(Organisation.kind) == kind)
        conditions.append(
            a.c.organisation_id.not_in(same) if other_kinds else a.c.organisation_id.in_(same)
        )
    return conditions


def peer_assessments(
    bank: Bank,
    assessment: Assessment,
    viewer: User,
    kind: str | None = None,
    other_kinds: bool = False,
):
    """Who counts as a peer: each organisation's latest completed assessment on the same bank
    version, of an organisation other than the assessment's that the viewer can neither see nor
    control (controlled_organisations) — a subquery of assessment ids, for the database to
    aggregate. With `kind`, only peers of that kind of institution (or, with `other_kinds`,
    only those of another kind): a narrower set, under the same rule."""
    a = Assessment.__table__
    ranked = (
        select(
            a.c.id,
            func.row_number()
            .over(partition_by=a.c.organisation_id, order_by=(a.c.created_at.desc(), a.c.id.desc()))
            .label("rn"),
        )
        .where(*_peer_conditions(bank, assessment, viewer, kind, other_kinds))
        .subquery("ranked")
    )
    return select(ranked.c.id).where(ranked.c.rn == 1).subquery("peers")


def _enough_peers(
    bank: Bank, assessment: Assessment, viewer: User, kind: str, other_kinds: bool
) -> bool:
    """Whether at least BENCHMARK_MINIMUM organisations have a peer assessment (one peer per
    organisation: peer_assessments keeps each one's latest). The database stops at the
    minimum instead of ranking every organisation's assessments."""
    a = Assessment.__table__
    some = (
        select(a.c.organisation_id)
        .where(*_peer_conditions(bank, assessment, viewer, kind, other_kinds))
        .distinct()
        .limit(BENCHMARK_MINIMUM)
        .subquery("some")
    )
    return (db.session.scalar(select(func.count()).select_from(some)) or 0) >= BENCHMARK_MINIMUM


def peer_kind(assessment: Assessment, bank: Bank, viewer: User) -> str | None:
    """The assessment's kind of institution when the benchmark may compare within it: at least
    BENCHMARK_MINIMUM peers share it, and at least as many peers are of other kinds (so that the
    figures of all peers and of the same kind never differ by fewer organisations than the
    minimum). Two small count queries."""
    kind = (assessment.organisation.kind or "").strip()
    if not kind:
        return None
    enough = [_enough_peers(bank, assessment, viewer, kind, other) for other in (False, True)]
    return kind if all(enough) else None  # always both queries: a constant number


def benchmark(
    assessment: Assessment, bank: Bank, viewer: User, kind: str | None = None
) -> tuple[int, list[BenchmarkRow]]:
    """Quartiles of evidence-backed maturity per dimension over the peers (peer_assessments) and
    this assessment's own figure (with `kind`, over the peers of that kind of institution:
    peer_kind says when). Returns (peers, rows); no statistic is shown that rests on
    fewer than BENCHMARK_MINIMUM peers. No organisation is named. The figures are the stored
    results, aggregated by the database: a constant number of statements whatever the number
    of organisations (the peers depend on the viewer, so nothing is kept between requests)."""
    spread = results.aggregate_distribution(bank, peer_assessments(bank, assessment, viewer, kind))
    if spread.organisations < BENCHMARK_MINIMUM:
        return spread.organisations, []
    own = results.stored_result(assessment)
    rows = []
    for d in bank.dimensions:
        quartiles = spread.quartiles.get(d.id)
        if quartiles is None or quartiles[3] < BENCHMARK_MINIMUM:
            continue
        q1, q2, q3 = (round_half_up(Fraction(repr(q))) for q in quartiles[:3])
        mine = own.dimension(d.id) if own else None
        rows.append(BenchmarkRow(d.id, d.title, mine.evidence_backed if mine else None, q1, q2, q3))
    return spread.organisations, rows


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


def comparison(older, newer, bank: Bank, older_bank: Bank | None = None, mappings=None) -> dict:
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
        dimensions.append(
            {
                "dimension": d,
                "before": before,
                "after": after,
                "change": None if before is None or after is None else after - before,
            }
        )
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
            questions.append(
                {"question": q, "before": before, "after": after, "change": change, "from": renamed}
            )
    removed = []
    if older_bank.key != bank.key:
        carried = {i for ids in links.values() for i in ids}
        removed = [q for q in older_bank.questions if q.id not in carried]
    return {
        "dimensions": dimensions,
        "questions": questions,
        "rose": [r for r in questions if r["change"] and r["change"] > 0],
        "fell": [r for r in questions if r["change"] and r["change"] < 0],
        "overall_before": older.evidence_backed,
        "overall_after": newer.evidence_backed,
        "versions_differ": older_bank.key != bank.key,
        "older_bank": older_bank,
        "new_questions": new_questions,
        "removed_questions": removed,
    }


def comparable_assessments(assessment: Assessment) -> list[Assessment]:
    """The organisation's other assessments of the same bank, newest first: what `assessment`
    can be compared with."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.organisation_id == assessment.organisation_id,
                Assessment.bank_id == assessment.bank_id,
                Assessment.id != assessment.id,
            )
            .order_by(Assessment.created_at.desc())
        )
    )


def assessments_of_organisations(organisation_ids: list[int]) -> list[Row]:
    """The assessments of these organisations, newest first, as plain rows of what the
    dashboard and the portfolio show of them (no ORM objects: a portfolio page reads three
    for each of its lines)."""
    if not organisation_ids:
        return []
    a = Assessment.__table__
    return db.session.execute(
        select(
            a.c.id,
            a.c.organisation_id,
            a.c.title,
            a.c.state,
            a.c.bank_id,
            a.c.bank_version,
            a.c.updated_at,
        )
        .where(a.c.organisation_id.in_(organisation_ids))
        .order_by(a.c.created_at.desc(), a.c.id.desc())
    ).all()
