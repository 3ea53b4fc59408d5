"""The assessment's result: the one place that consolidates (§5) and then scores (§4).

Everything that needs figures comes here: the web pages, the CLI (`score`, `report`), the report
and the benchmark run. The rules themselves live in `domain.consolidation` and `domain.scoring`
and are only called here.

Results are stored. When answers, targets, respondents or the consensus change, the results of
the assessments concerned are recomputed in the same transaction, just before it commits
(`install` hooks the session: ORM changes are seen after each flush, Core writes are marked
with `changes.mark`). Pages about many assessments (dashboard, organisations, portfolio,
benchmark, compare) read the stored figures with SQL, never scoring again; a page about one
assessment (its overview, its report) scores it once, here.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    event,
    func,
    inspect,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm.util import identity_key

from ..domain.answers import DEFAULT_MAX_AGE, Answer, AnswersFile
from ..domain.answers import Respondent as DomainRespondent
from ..domain.bank import Bank
from ..domain.consolidation import Consolidation, consolidate_answers
from ..domain.i18n import M_, gettext
from ..domain.scoring import ScoreResult, score
from ..extensions import db
from ..models import (
    AnswerRecord,
    Assessment,
    AssessmentResult,
    CompletedResultsState,
    DimensionResult,
    LatestAssessments,
    Organisation,
    Respondent,
    RespondentAnswer,
    utcnow,
)
from . import changes
from .answer_rows import answer_from_row
from .assessments import freshness
from .banks import get_bank
from .respondents import RespondentAnswers, consensus_answers, submitted_answers

COMPLETED = ("completed", "archived")
BATCH = 500  # assessments recomputed per round of queries


# --- consolidate, then score -------------------------------------------------------------------


def consolidate(
    bank: Bank,
    consensus: Mapping[str, Answer],
    respondents: Sequence[RespondentAnswers | DomainRespondent],
) -> tuple[dict[str, Answer], Consolidation | None]:
    """Plain answers without respondents, else §5 (domain.consolidation, not re-implemented)."""
    if not respondents:
        return dict(consensus), None
    domain = [r.domain(bank) if isinstance(r, RespondentAnswers) else r for r in respondents]
    merged = consolidate_answers(bank, domain, consensus)
    return merged.answers, merged


def evaluate(
    bank: Bank,
    consensus: Mapping[str, Answer],
    respondents: Sequence[RespondentAnswers | DomainRespondent],
    targets: Mapping[str, int] | None,
    as_of: dt.date | None = None,
    evidence_max_age_months: int | None = None,
) -> ScoreResult:
    """§4 of the §5 consolidation of `consensus` and `respondents`: the one composition. With
    `as_of`, evidence older than `evidence_max_age_months` backs no level 3 or 4 claim."""
    answers, merged = consolidate(bank, consensus, respondents)
    return score(
        bank,
        answers,
        targets or {},
        merged.disagreements if merged else None,
        as_of=as_of,
        evidence_max_age_months=evidence_max_age_months,
    )


def file_freshness(answers_file: AnswersFile) -> dict[str, Any]:
    """The evidence freshness an answers file asks for (its `as_of`, its age limit)."""
    return {"as_of": answers_file.as_of_date, "evidence_max_age_months": answers_file.max_age}


def consolidated(
    assessment: Assessment, bank: Bank
) -> tuple[dict[str, Answer], Consolidation | None]:
    """The answers scores and reports use: plain without (submitted) respondents, else §5."""
    consensus = consensus_answers(assessment, bank)
    respondents = submitted_answers([assessment.id]).get(assessment.id, [])
    return consolidate(bank, consensus, respondents)


def score_assessment(assessment: Assessment, bank: Bank) -> ScoreResult:
    """§4 scores of the assessment's (§5-consolidated) answers and targets."""
    consensus = consensus_answers(assessment, bank)
    respondents = submitted_answers([assessment.id]).get(assessment.id, [])
    return evaluate(bank, consensus, respondents, assessment.targets, **freshness(assessment))


def score_file(answers_file: AnswersFile, bank: Bank) -> ScoreResult:
    """§4 scores of an answers file; with respondents, of their §5 consolidation."""
    given = {a.question: a for a in answers_file.answers}
    return evaluate(
        bank, given, answers_file.respondents, answers_file.targets, **file_freshness(answers_file)
    )


@dataclass
class AssessmentScores:
    """What a report of one assessment needs: its result and who answered."""

    result: ScoreResult
    respondents: list[str]
    consensus_ids: set[str]


def assessment_scores(assessment: Assessment, bank: Bank) -> AssessmentScores:
    """The assessment's result with its respondents' names and the consensus questions."""
    consensus = consensus_answers(assessment, bank)
    respondents = submitted_answers([assessment.id]).get(assessment.id, [])
    return AssessmentScores(
        evaluate(bank, consensus, respondents, assessment.targets, **freshness(assessment)),
        [r.name for r in respondents],
        set(consensus),
    )


def file_scores(answers_file: AnswersFile, bank: Bank) -> AssessmentScores:
    """The same for an answers file (the CLI's report)."""
    given = {a.question: a for a in answers_file.answers}
    return AssessmentScores(
        evaluate(
            bank,
            given,
            answers_file.respondents,
            answers_file.targets,
            **file_freshness(answers_file),
        ),
        [r.name for r in answers_file.respondents],
        set(given) if answers_file.respondents else set(),
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's previous completed assessment on the same bank."""
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.organisation_id == assessment.organisation_id,
            Assessment.bank_id == assessment.bank_id,
            Assessment.state.in_(COMPLETED),
            Assessment.id != assessment.id,
            Assessment.created_at < assessment.created_at,
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


# --- stored results: reading --------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _exact(value: float | None) -> Fraction | None:
    """A stored figure back as a fraction (by its shortest decimal form, as shown). Kept for the
    few distinct figures a page reads (fractions are immutable): a page of many results
    builds each only once, and the next page not again."""
    return None if value is None else Fraction(repr(value))


@dataclass
class StoredDimension:
    """A dimension's stored figures."""

    id: str
    maturity: Fraction | None
    evidence_backed: Fraction | None
    level: int | None
    target: int
    gap: Fraction | None
    counted: int
    not_applicable: int
    dont_know: int
    unanswered: int
    unsupported: int
    total: int


@dataclass
class StoredResult:
    """An assessment's stored result: the figures of a ScoreResult, without the answers."""

    assessment_id: int
    maturity: Fraction | None
    evidence_backed: Fraction | None
    level: int | None
    complete: bool
    counted: int
    not_applicable: int
    dont_know: int
    unanswered: int
    unsupported: int
    total: int
    dimensions: list[StoredDimension] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)  # filled by `with_answers` only
    actions: list[str] | None = None  # question ids of the recommended actions, rank order

    def dimension(self, dimension_id: str) -> StoredDimension | None:
        """The figures of one dimension."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def _stored_result(row) -> StoredResult:
    return StoredResult(
        row.assessment_id,
        _exact(row.maturity),
        _exact(row.evidence_backed),
        row.level,
        row.complete,
        row.counted,
        row.not_applicable,
        row.dont_know,
        row.unanswered,
        row.unsupported,
        row.total,
        actions=row.actions,
    )


def stored(assessment_ids: Iterable[int], dimensions: bool = False) -> dict[int, StoredResult]:
    """The stored results of these assessments (with their dimensions when asked): one query,
    two with the dimensions, whatever the number of assessments."""
    ids = list(dict.fromkeys(assessment_ids))
    if not ids:
        return {}
    settle()
    r = AssessmentResult.__table__
    out = {
        row.assessment_id: _stored_result(row)
        for row in db.session.execute(select(r).where(r.c.assessment_id.in_(ids)))
    }
    if dimensions and out:
        d = DimensionResult.__table__
        for row in db.session.execute(
            select(d)
            .where(d.c.assessment_id.in_(list(out)))
            .order_by(d.c.assessment_id, d.c.position)
        ):
            out[row.assessment_id].dimensions.append(
                StoredDimension(
                    row.dimension_id,
                    _exact(row.maturity),
                    _exact(row.evidence_backed),
                    row.level,
                    row.target,
                    _exact(row.gap),
                    row.counted,
                    row.not_applicable,
                    row.dont_know,
                    row.unanswered,
                    row.unsupported,
                    row.total,
                )
            )
    return out


def dimension_figures(
    assessment_ids: Iterable[int],
) -> dict[int, list[tuple[str, Fraction | None, Fraction | None]]]:
    """Per assessment, (dimension id, evidence-backed maturity, gap) of each dimension in bank
    order: the two figures lists of many assessments show (one query of four columns)."""
    ids = list(dict.fromkeys(assessment_ids))
    if not ids:
        return {}
    settle()
    d = DimensionResult.__table__
    out: dict[int, list[tuple[str, Fraction | None, Fraction | None]]] = {}
    for assessment_id, dimension_id, evidence_backed, gap in db.session.execute(
        select(d.c.assessment_id, d.c.dimension_id, d.c.evidence_backed, d.c.gap)
        .where(d.c.assessment_id.in_(ids))
        .order_by(d.c.assessment_id, d.c.position)
    ):
        out.setdefault(assessment_id, []).append(
            (dimension_id, _exact(evidence_backed), _exact(gap))
        )
    return out


def stored_result(assessment: Assessment) -> StoredResult | None:
    """One assessment's stored result with its dimensions."""
    return stored([assessment.id], dimensions=True).get(assessment.id)


def evidence_backed(assessment_ids: Iterable[int]) -> dict[int, Fraction | None]:
    """Overall evidence-backed maturity of each assessment, from the stored results (one
    query of two columns, for lists of assessments)."""
    ids = list(dict.fromkeys(assessment_ids))
    if not ids:
        return {}
    settle()
    r = AssessmentResult.__table__
    return {
        i: _exact(value)
        for i, value in db.session.execute(
            select(r.c.assessment_id, r.c.evidence_backed).where(r.c.assessment_id.in_(ids))
        )
    }


@dataclass
class Distribution:
    """Per dimension, the quartiles of the peers' evidence-backed maturity."""

    organisations: int
    quartiles: dict[str, tuple[float, float, float, int]]  # dimension → (q1, q2, q3, n)


COMPLETED_CHANGED = "assessment.results.completed_changed"
_DISTRIBUTIONS: dict[tuple[Any, str, str], tuple[str, Distribution]] = {}


def completed_token() -> str | None:
    """The token of the completed assessments' results (None: not known, nothing is kept)."""
    t = CompletedResultsState.__table__
    return db.session.scalar(select(t.c.token).where(t.c.id == 1))


def new_completed_token(executor, dialect: str) -> None:
    """The completed assessments or their results changed: a new token (one row upserted), so
    that every process computes figures over them again."""
    t = CompletedResultsState.__table__
    row = {"id": 1, "token": secrets.token_hex(16)}
    if dialect in ("postgresql", "sqlite"):
        executor.execute(_upsert_statement(dialect, t.name), [row])
    else:
        executor.execute(t.delete())
        executor.execute(t.insert(), [row])


def distribution(bank: Bank, peers) -> Distribution:
    """`aggregate_distribution`, kept per process while the completed results do not change
    (one primary-key read checks that)."""
    settle()
    token = completed_token()
    key = (db.engine, bank.id, bank.version)  # one process may serve several databases
    kept = _DISTRIBUTIONS.get(key)
    if token is not None and kept is not None and kept[0] == token:
        return kept[1]
    found = aggregate_distribution(bank, peers)
    if token is not None:
        _DISTRIBUTIONS[key] = (token, found)
    return found


def aggregate_distribution(bank: Bank, peers) -> Distribution:
    """The benchmark's figures over `peers` (a subquery of assessment ids, one per
    organisation), computed by the database from the stored results: the number of peers, and
    per dimension the inclusive quartiles (as Python's
    `statistics.quantiles(method="inclusive")`) of their evidence-backed maturity. Only the
    (at most six) order statistics each quartile needs leave the database."""
    settle()
    organisations = db.session.scalar(select(func.count()).select_from(peers)) or 0
    d = DimensionResult.__table__
    ranked = (
        select(
            d.c.dimension_id,
            d.c.evidence_backed.label("value"),
            (
                func.row_number().over(
                    partition_by=d.c.dimension_id, order_by=(d.c.evidence_backed, d.c.assessment_id)
                )
                - 1
            ).label("pos"),
            func.count().over(partition_by=d.c.dimension_id).label("n"),
        )
        .join(peers, peers.c.id == d.c.assessment_id)
        .where(d.c.evidence_backed.is_not(None))
    ).subquery("ranked")
    m = ranked.c.n - 1
    wanted = []
    for i in (1, 2, 3):
        j = (m * i) // 4  # floor division, rendered for each database
        wanted += [ranked.c.pos == j, ranked.c.pos == j + 1]
    rows = db.session.execute(
        select(ranked.c.dimension_id, ranked.c.value, ranked.c.pos, ranked.c.n)
        .where(ranked.c.n >= 2)
        .where(or_(*wanted))
    ).all()
    picked: dict[str, dict[int, float]] = {}
    sizes: dict[str, int] = {}
    for dim, value, pos, n in rows:
        picked.setdefault(dim, {})[pos] = value
        sizes[dim] = n
    quartiles = {}
    for dim, at in picked.items():
        n = sizes[dim]
        out = []
        for i in (1, 2, 3):
            j, delta = divmod(i * (n - 1), 4)
            out.append((at[j] * (4 - delta) + at.get(j + 1, at[j]) * delta) / 4)
        quartiles[dim] = (out[0], out[1], out[2], n)
    return Distribution(organisations, quartiles)


# --- stored results: writing --------------------------------------------------------------------


def result_rows(
    assessment_id: int, result: ScoreResult, now: dt.datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The stored form of a ScoreResult: the overall row and one row per dimension."""

    def f(value: Fraction | None) -> float | None:
        return None if value is None else float(value)

    dims = [
        {
            "assessment_id": assessment_id,
            "dimension_id": d.id,
            "position": n,
            "maturity": f(d.maturity),
            "evidence_backed": f(d.evidence_backed),
            "level": d.level,
            "target": d.target,
            "gap": f(d.gap),
            "total": d.total,
            "counted": d.counted,
            "not_applicable": d.not_applicable,
            "dont_know": d.dont_know,
            "unanswered": d.unanswered,
            "unsupported": d.unsupported,
        }
        for n, d in enumerate(result.dimensions)
    ]
    overall = {
        "assessment_id": assessment_id,
        "maturity": f(result.maturity),
        "evidence_backed": f(result.evidence_backed),
        "level": result.level,
        "complete": result.complete,
        "total": sum(d.total for d in result.dimensions),
        "answered": sum(d.answered for d in result.dimensions),
        "counted": sum(d.counted for d in result.dimensions),
        "not_applicable": sum(d.not_applicable for d in result.dimensions),
        "dont_know": sum(d.dont_know for d in result.dimensions),
        "unanswered": len(result.unanswered),
        "unsupported": sum(d.unsupported for d in result.dimensions),
        "disagreements": len(result.disagreements),
        "actions": [r.question.id for r in result.recommendations if r.kind == "next_step"],
        "largest_gap": max((d["gap"] for d in dims if d["gap"] is not None), default=None),
        "computed_at": now,
    }
    return overall, dims


@functools.cache
def _content_query():
    """The answers results depend on, of several assessments, in one statement: each
    assessment's own (consensus) answers (respondent 0) and its submitted respondents'. Built
    once; the columns results never read (comment, confidence, review flag) come as constants,
    so that answer_from_row finds every column it asks for."""
    a = AnswerRecord.__table__
    r = Respondent.__table__
    ra = RespondentAnswer.__table__
    ids = bindparam("ids", expanding=True)
    no_comment = literal("", String).label("comment")  # figures never depend on comments
    unread = (null().label("confidence"), null().label("flag_note"))
    own = select(
        a.c.assessment_id,
        literal(0, Integer).label("respondent_id"),
        literal("", String).label("name"),
        a.c.question_id,
        a.c.level,
        a.c.not_applicable,
        a.c.dont_know,
        a.c.value,
        a.c.period,
        no_comment,
        a.c.evidence,
        *unread,
    ).where(a.c.assessment_id.in_(ids))
    given = (
        select(
            r.c.assessment_id,
            r.c.id,
            r.c.name,
            ra.c.question_id,
            ra.c.level,
            ra.c.not_applicable,
            ra.c.dont_know,
            ra.c.value,
            ra.c.period,
            no_comment,
            ra.c.evidence,
            *unread,
        )
        .join(ra, ra.c.respondent_id == r.c.id)
        .where(r.c.assessment_id.in_(ids), r.c.submitted_at.is_not(None))
    )
    return union_all(own, given)


@functools.cache
def _upsert_statement(dialect: str, table_name: str, columns: frozenset[str] | None = None):
    """INSERT … ON CONFLICT DO UPDATE of a results table, built once per process (with
    `columns`, of those columns only: a migration's older schema)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = db.metadata.tables[table_name]
    keys = [c.name for c in table.primary_key.columns]
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=keys,
        set_={
            c.name: stmt.excluded[c.name]
            for c in table.c
            if c.name not in keys and (columns is None or c.name in columns)
        },
    )


def _upsert(
    executor,
    dialect: str,
    table,
    rows: list[dict],
    keys: list[str],
    columns: frozenset[str] | None = None,
) -> None:
    if not rows:
        return
    if columns is not None:  # a migration's older schema: only the columns it has
        rows = [{k: v for k, v in row.items() if k in columns} for row in rows]
    if dialect in ("postgresql", "sqlite"):
        executor.execute(_upsert_statement(dialect, table.name, columns), rows)
        return
    key = table.c[keys[0]]
    executor.execute(table.delete().where(key.in_({row[keys[0]] for row in rows})))
    executor.execute(table.insert(), rows)


def _is_session(executor) -> bool:
    """The app's session (else a connection: a migration's, or a test's)."""
    return hasattr(executor, "get_bind")


def _dialect_of(executor) -> str:
    return (executor.get_bind() if _is_session(executor) else executor).dialect.name


def _columns_present(executor, table) -> frozenset[str] | None:
    """The columns `table` has in the database when `executor` is a migration's connection
    (an earlier migration fills results before a later one adds columns); None for the app's
    session, whose schema is the models'."""
    if _is_session(executor):
        return None
    return frozenset(c["name"] for c in inspect(executor).get_columns(table.name))


def refresh(
    assessment_ids: Iterable[int],
    executor=None,
    bank_for: Callable[[str, str], Bank | None] | None = None,
) -> int:
    """Recompute and store the results of these assessments; returns how many were stored.

    Four statements per BATCH assessments: the assessments, their answers and submitted
    respondents' answers (one UNION ALL), the overall rows and the dimension rows (each one
    upsert). `executor` is the session (default) or a connection (the migration);
    `bank_for(id, version)` finds banks (default: the installed banks)."""
    executor = executor if executor is not None else db.session
    bank_for = bank_for or get_bank
    dialect = _dialect_of(executor)
    ids = sorted(set(assessment_ids))
    done = 0
    completed_changed = False
    overall_columns = _columns_present(executor, AssessmentResult.__table__) if ids else None
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        assessments = _assessments(executor, chunk, dialect)
        if not assessments:
            continue
        consensus: dict[int, dict[str, Answer]] = {}
        people: dict[int, dict[int, RespondentAnswers]] = {}
        for row in executor.execute(_content_query(), {"ids": [x.id for x in assessments]}):
            answer = answer_from_row(row)
            if row.respondent_id == 0:
                if answer.given:
                    consensus.setdefault(row.assessment_id, {})[row.question_id] = answer
                continue
            person = people.setdefault(row.assessment_id, {}).get(row.respondent_id)
            if person is None:
                person = people[row.assessment_id][row.respondent_id] = RespondentAnswers(
                    row.respondent_id, row.name
                )
            if answer.given:
                person.answers[row.question_id] = answer
        now = utcnow()
        overall_rows, dimension_rows = [], []
        for item in assessments:
            bank = bank_for(item.bank_id, item.bank_version)
            if bank is None:
                continue
            if item.state in COMPLETED:
                completed_changed = True
            given = {
                k: v for k, v in consensus.get(item.id, {}).items() if bank.question(k) is not None
            }
            result = evaluate(
                bank,
                given,
                list(people.get(item.id, {}).values()),
                item.targets,
                as_of=item.as_of,
                evidence_max_age_months=item.evidence_max_age_months or DEFAULT_MAX_AGE,
            )
            overall, dims = result_rows(item.id, result, now)
            overall_rows.append(overall)
            dimension_rows += dims
        _upsert(
            executor,
            dialect,
            AssessmentResult.__table__,
            overall_rows,
            ["assessment_id"],
            overall_columns,
        )
        _upsert(
            executor,
            dialect,
            DimensionResult.__table__,
            dimension_rows,
            ["assessment_id", "dimension_id"],
        )
        done += len(overall_rows)
    if completed_changed:
        new_completed_token(executor, dialect)
    return done


@dataclass(frozen=True)
class _Facts:
    id: int
    bank_id: str
    bank_version: str
    targets: Mapping[str, int] | None
    state: str
    completed_at: dt.datetime | None
    evidence_max_age_months: int | None

    @property
    def as_of(self) -> dt.date:
        """As Assessment.as_of: the completion date, today while in progress."""
        if self.completed_at is not None and self.state in COMPLETED:
            return self.completed_at.date()
        return dt.date.today()


def _assessments(executor, ids: list[int], dialect: str) -> list[_Facts]:
    """Bank and targets of these assessments. On PostgreSQL their rows are locked (FOR NO KEY
    UPDATE, in id order) before their answers are read: two transactions saving answers of one
    assessment at once recompute its result one after the other, the second from the first's
    committed answers, so the stored result is never the one of a snapshot. Not FOR UPDATE: each
    of those transactions already holds the KEY SHARE lock its own inserts referencing the
    assessment took (answer history), and FOR UPDATE waits on those — two respondents
    submitting at once deadlocked (the load test's 503s); NO KEY UPDATE does not. SQLite has one
    writer at a time: there they come from the session's identity map when it holds them all
    unchanged (a save: no query), else from one query."""
    identity_map = getattr(executor, "identity_map", None)
    a = Assessment.__table__
    if dialect == "postgresql":
        return [
            _Facts(*row)
            for row in executor.execute(
                select(
                    a.c.id,
                    a.c.bank_id,
                    a.c.bank_version,
                    a.c.targets,
                    a.c.state,
                    a.c.completed_at,
                    a.c.evidence_max_age_months,
                )
                .where(a.c.id.in_(ids))
                .order_by(a.c.id)
                .with_for_update(key_share=True)
            )
        ]
    if identity_map is not None:
        held = []
        for i in ids:
            obj = identity_map.get(identity_key(Assessment, i))
            if (
                obj is None
                or {"targets", "bank_id", "state", "completed_at", "evidence_max_age_months"}
                & inspect(obj).unloaded
            ):
                break
            held.append(
                _Facts(
                    obj.id,
                    obj.bank_id,
                    obj.bank_version,
                    obj.targets,
                    obj.state,
                    obj.completed_at,
                    obj.evidence_max_age_months,
                )
            )
        else:
            return held
    return [
        _Facts(*row)
        for row in executor.execute(
            select(
                a.c.id,
                a.c.bank_id,
                a.c.bank_version,
                a.c.targets,
                a.c.state,
                a.c.completed_at,
                a.c.evidence_max_age_months,
            ).where(a.c.id.in_(ids))
        )
    ]


def refresh_all(executor=None, bank_for=None) -> int:
    """Recompute the results of every assessment (the migration, bulk loads)."""
    executor = executor if executor is not None else db.session
    ids = executor.execute(select(Assessment.__table__.c.id)).scalars().all()
    return refresh(ids, executor, bank_for)


def refresh_all_from_stored_banks(conn) -> int:
    """Recompute every assessment's result on a migration's connection, with the banks as the
    database stores them (the migrations that add or reshape stored results call this)."""
    from ..domain.bank import parse_bank_text

    rows = conn.execute(text("SELECT bank_id, version, content FROM banks")).all()
    texts = {(r.bank_id, r.version): r.content for r in rows}
    banks: dict = {}

    def bank_for(bank_id, version):
        key = (bank_id, version)
        if key not in banks:
            content = texts.get(key)
            banks[key] = (
                None if content is None else parse_bank_text(content, f"{bank_id}@{version}")
            )
        return banks[key]

    return refresh_all(conn, bank_for)


@functools.cache
def _latest_query():
    """Of the organisations `ids`: each one's latest assessment (by creation, then id) and the
    previous completed or archived one on the latest's bank."""
    a = Assessment.__table__
    ids = bindparam("ids", expanding=True)
    ranked = (
        select(
            a.c.id,
            a.c.organisation_id,
            a.c.bank_id,
            func.row_number()
            .over(partition_by=a.c.organisation_id, order_by=(a.c.created_at.desc(), a.c.id.desc()))
            .label("rn"),
        )
        .where(a.c.organisation_id.in_(ids))
        .subquery("ranked")
    )
    latest = (
        select(ranked.c.id, ranked.c.organisation_id, ranked.c.bank_id)
        .where(ranked.c.rn == 1)
        .subquery("latest")
    )
    b = a.alias("b")
    earlier = (
        select(
            b.c.id,
            b.c.organisation_id,
            func.row_number()
            .over(partition_by=b.c.organisation_id, order_by=(b.c.created_at.desc(), b.c.id.desc()))
            .label("rn"),
        )
        .join(
            latest,
            (latest.c.organisation_id == b.c.organisation_id)
            & (latest.c.bank_id == b.c.bank_id)
            & (latest.c.id != b.c.id),
        )
        .where(b.c.state.in_(COMPLETED))
        .subquery("earlier")
    )
    previous = select(earlier.c.id, earlier.c.organisation_id).where(earlier.c.rn == 1).subquery()
    o = Organisation.__table__
    return (
        select(o.c.id, latest.c.id.label("latest_id"), previous.c.id.label("previous_id"))
        .select_from(o)
        .outerjoin(latest, latest.c.organisation_id == o.c.id)
        .outerjoin(previous, previous.c.organisation_id == o.c.id)
        .where(o.c.id.in_(ids))
    )


def refresh_latest(organisation_ids: Iterable[int], executor=None) -> int:
    """Store each of these organisations' latest and previous completed assessment
    (latest_assessments; the portfolio sorts by their stored results). On PostgreSQL the
    organisations' rows are locked first (FOR NO KEY UPDATE, in id order), so that two
    transactions creating assessments of one organisation store it one after the other, the
    second seeing the first's. Two statements per BATCH organisations (three on PostgreSQL)."""
    executor = executor if executor is not None else db.session
    dialect = _dialect_of(executor)
    ids = sorted(set(organisation_ids))
    o = Organisation.__table__
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        if dialect == "postgresql":
            executor.execute(
                select(o.c.id)
                .where(o.c.id.in_(chunk))
                .order_by(o.c.id)
                .with_for_update(key_share=True)
            ).all()
        rows = [
            {"organisation_id": org_id, "latest_id": latest_id, "previous_id": previous_id}
            for org_id, latest_id, previous_id in executor.execute(_latest_query(), {"ids": chunk})
        ]
        _upsert(executor, dialect, LatestAssessments.__table__, rows, ["organisation_id"])
        done += len(rows)
    return done


# --- the transaction hooks ----------------------------------------------------------------------


def settle(session=None) -> None:
    """Recompute the results this transaction has marked (before reading stored results)."""
    session = session or db.session
    for _round in range(3):  # a flush may mark more; it settles in two rounds at most
        if (
            session.info.get(changes.PENDING) is None
            and session.info.get(LATEST_CHANGED) is None
            and not (
                session.new
                or session.dirty
                or session.deleted
                or session.info.get(COMPLETED_CHANGED)
            )
        ):
            return
        session.flush()
        if session.info.pop(COMPLETED_CHANGED, False):
            new_completed_token(session, session.get_bind().dialect.name)
        ids = changes.take(session)
        organisations = session.info.pop(LATEST_CHANGED, None)
        if not ids and not organisations:
            return
        if ids:
            refresh(ids, session)
        if organisations:
            refresh_latest(organisations, session)


def _after_flush(session, _context) -> None:
    """See which assessments an ORM flush changed the inputs of."""
    marked = []
    organisations = []  # whose latest or previous assessment may have changed
    for obj in session.new:
        if isinstance(obj, AnswerRecord):
            marked.append(obj.assessment_id)
        elif isinstance(obj, Assessment):
            marked.append(obj.id)  # a new completed one: its refresh renews the token
            organisations.append(obj.organisation_id)
        elif isinstance(obj, Respondent) and obj.submitted_at is not None:
            marked.append(obj.assessment_id)
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AnswerRecord):
            marked.append(obj.assessment_id)
        elif isinstance(obj, Assessment):
            if any(_changed(obj, name) for name in RESULT_ATTRIBUTES):
                marked.append(obj.id)
            if obj in session.deleted or _moves_latest(obj):
                moved = inspect(obj).attrs.organisation_id.history.deleted
                organisations += [obj.organisation_id, *moved]
            if _touches_completed(obj, obj in session.deleted):
                session.info[COMPLETED_CHANGED] = True
        elif isinstance(obj, Respondent):
            if _changed(obj, "submitted_at") or obj in session.deleted:
                marked.append(obj.assessment_id)
    if marked:
        changes.mark(session, *marked)
    if organisations:
        session.info.setdefault(LATEST_CHANGED, set()).update(i for i in organisations if i)


#: What of an assessment its result depends on besides the answers (the completion date and the
#: evidence age limit decide which evidence is stale).
RESULT_ATTRIBUTES = ("targets", "bank_version", "state", "completed_at", "evidence_max_age_months")
PEER_ATTRIBUTES = ("state", "created_at", "organisation_id", "bank_id", "bank_version")
#: What decides an organisation's latest and previous completed assessment (latest_assessments)
#: besides the state: the state counts only into or out of completed/archived.
LATEST_ATTRIBUTES = ("created_at", "organisation_id", "bank_id")
LATEST_CHANGED = "assessment.results.latest_changed"


def _moves_latest(obj: Assessment) -> bool:
    """Whether this change of an assessment can change its organisation's latest or previous
    completed assessment (a draft starting to be answered cannot)."""
    if any(_changed(obj, name) for name in LATEST_ATTRIBUTES):
        return True
    return _changed(obj, "state") and _is_or_was_completed(obj)


def _is_or_was_completed(obj: Assessment) -> bool:
    """The assessment is completed (or archived), or was before this transaction changed it."""
    return bool({obj.state, *inspect(obj).attrs.state.history.deleted} & set(COMPLETED))


def _touches_completed(obj: Assessment, deleted: bool) -> bool:
    """A completed (or archived) assessment is deleted, or one of what decides who is a peer
    changes on an assessment that is or was completed."""
    if not _is_or_was_completed(obj):
        return False
    return deleted or any(_changed(obj, name) for name in PEER_ATTRIBUTES)


def _changed(obj, attribute: str) -> bool:
    return inspect(obj).attrs[attribute].history.has_changes()


def _before_commit(session) -> None:
    settle(session)


def _after_rollback(session) -> None:
    changes.take(session)
    session.info.pop(COMPLETED_CHANGED, None)
    session.info.pop(LATEST_CHANGED, None)


def install(session=None) -> None:
    """Hook the session class: results recomputed before each commit (idempotent)."""
    target = session or db.session
    for name, fn in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)


# --- reports ------------------------------------------------------------------------------------


def assessment_report(
    assessment: Assessment,
    bank: Bank,
    lang: str,
    action_meta: Mapping[str, Mapping[str, Any]] | None = None,
):
    """The report of an assessment: its result (§5, then §4), the stored result of the
    organisation's previous completed assessment for the trend, and the action plan's meta."""
    from ..reporting.build import build_report

    scores = assessment_scores(assessment, bank)
    result = scores.result
    prev = previous_assessment(assessment)
    consensus = consensus_answers(assessment, bank)
    people = submitted_answers([assessment.id]).get(assessment.id, [])
    word = gettext(lang, M_("respondent"))  # an erased name: its place
    names = [r.name or f"{word} {n}" for n, r in enumerate(people, 1)]
    given = [("", a) for a in consensus.values()] + [
        (name, a) for name, r in zip(names, people, strict=True) for a in r.answers.values()
    ]
    return build_report(
        bank,
        result.answers,
        lang=lang,
        organisation=assessment.organisation.name,
        title=assessment.title,
        date=(assessment.completed_at or assessment.updated_at or dt.datetime.now(dt.UTC)).date(),
        targets=assessment.targets or {},
        previous=stored_result(prev) if prev is not None else None,
        action_meta=action_meta,
        respondents=names,
        disagreements=result.disagreements if result.with_disagreements else None,
        consensus_ids=scores.consensus_ids,
        result=result,
        given=given,
        **freshness(assessment),
        completed_on=(
            assessment.completed_at.date()
            if assessment.completed_at is not None and assessment.state in ("completed", "archived")
            else None
        ),
    )


def file_report(answers_file: AnswersFile, bank: Bank, lang: str):
    """The report of an answers file (§3), respondents consolidated (§5), dated today."""
    from ..reporting.build import build_report

    scores = file_scores(answers_file, bank)
    result = scores.result
    return build_report(
        bank,
        result.answers,
        lang=lang,
        organisation=answers_file.organisation,
        title=answers_file.title,
        date=dt.date.today(),
        targets=answers_file.targets,
        respondents=scores.respondents,
        disagreements=result.disagreements if result.with_disagreements else None,
        consensus_ids=scores.consensus_ids,
        result=result,
        **file_freshness(answers_file),
        given=[("", a) for a in answers_file.answers]
        + [(r.name, a) for r in answers_file.respondents for a in r.answers],
    )


def with_answers(assessment: Assessment, bank: Bank) -> StoredResult | None:
    """The stored result of an assessment with its consolidated answers (for a comparison)."""
    found = stored_result(assessment)
    if found is not None:
        found.answers = consolidated(assessment, bank)[0]
    return found
