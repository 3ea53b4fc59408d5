"""Assessments: create, answer (all-or-nothing, optimistic locking), complete, export, import."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Row, bindparam, case, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answer_form import FormAnswer
from ..domain.answers import DEFAULT_MAX_AGE, MAX_AGE_RANGE, Answer, content
from ..domain.bank import Bank, Dimension
from ..domain.i18n import DEFAULT_LANGUAGE, languages
from ..domain.scoring import is_unsupported, round_half_up, stale_before
from ..extensions import db
from ..models import (
    AnswerContent,
    AnswerHistory,
    AnswerRecord,
    Assessment,
    Organisation,
    User,
    utcnow,
)
from . import changes
from .answer_rows import answer_from_row, history_content, row_fields
from .errors import Invalid

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def savepoint():
    """`db.session.begin_nested()` (a SAVEPOINT: on an exception inside it only its writes are
    undone and the session stays usable), nested in a real transaction also on SQLite: pysqlite
    opens its transaction only before a write, so a SAVEPOINT before the request's first write
    would start the transaction itself and its RELEASE would commit it."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if not driver.in_transaction:
            driver.execute("BEGIN")
    return db.session.begin_nested()


def create_assessment(
    org: Organisation,
    bank: Bank,
    title: str,
    language: str,
    targets: Mapping[str, int],
    user: User | None,
    evidence_max_age_months: int = DEFAULT_MAX_AGE,
) -> Assessment:
    """A new draft assessment of `org` against `bank`; targets default from the bank."""
    title = title.strip()
    if not title:
        raise Invalid("title")
    if not MAX_AGE_RANGE[0] <= evidence_max_age_months <= MAX_AGE_RANGE[1]:
        raise Invalid("evidence_max_age_months")
    clean_targets = {}
    for dim in bank.dimensions:
        value = int(targets.get(dim.id, dim.target))
        if not 1 <= value <= 4:
            raise Invalid("target")
        clean_targets[dim.id] = value
    item = Assessment(
        organisation_id=org.id,
        bank_id=bank.id,
        bank_version=bank.version,
        title=title[:300],
        language=language if language in languages() else DEFAULT_LANGUAGE,
        targets=clean_targets,
        state="draft",
        evidence_max_age_months=evidence_max_age_months,
        created_by_id=user.id if user else None,
    )
    db.session.add(item)
    db.session.flush()
    return item


def _content_columns():
    """What the questionnaire reads and writes of an answer: its content, id and version (not
    who saved it when, which only a conflict shows; SQLite parses every timestamp in Python)."""
    c = AnswerRecord.__table__.c
    return (
        c.id,
        c.question_id,
        c.version,
        c.level,
        c.not_applicable,
        c.dont_know,
        c.value,
        c.period,
        c.confidence,
        c.flag_note,
        c.comment,
        c.evidence,
    )


@functools.cache
def _answers_query(full: bool, some: bool, page: bool):
    """The SELECT of an assessment's answers, built once (the questionnaire's hot path): every
    column or the content ones, of all questions or of the `question_ids` bound; with `page`,
    comments and evidence only of the `page_ids` bound (the others are NULL)."""
    table = AnswerRecord.__table__
    columns = _content_columns()
    if page:
        c = table.c
        on_page = c.question_id.in_(bindparam("page_ids", expanding=True))
        columns = (
            *columns[:-2],
            case((on_page, c.comment)).label("comment"),
            case((on_page, c.evidence)).label("evidence"),
        )
    query = (select(table) if full else select(*columns)).where(
        table.c.assessment_id == bindparam("assessment_id")
    )
    if some:
        query = query.where(table.c.question_id.in_(bindparam("question_ids", expanding=True)))
    return query


def answer_rows(
    assessment: Assessment,
    question_ids: Collection[str] | None = None,
    full: bool = False,
    content_of: Collection[str] | None = None,
) -> dict[str, Row]:
    """The stored answers (of these questions, when given) as plain rows, without ORM objects:
    the content columns, or every column when `full`. With `content_of` (a page's questions),
    the other rows come without comment and evidence: a page counts every answer for its
    progress but shows the text of its own only, and each evidence list is JSON to decode."""
    params: dict[str, Any] = {"assessment_id": assessment.id}
    if question_ids is not None:
        params["question_ids"] = list(question_ids)
    if content_of is not None:
        params["page_ids"] = list(content_of)
    rows = db.session.execute(
        _answers_query(full, question_ids is not None, content_of is not None and not full), params
    )
    return {row.question_id: row for row in rows}


def users_by_id(ids: Collection[int]) -> dict[int, User]:
    """The users with these ids (who saved the answers a conflict shows)."""
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(ids))))}


def answered_ids(rows: Mapping[str, Row | AnswerRecord], bank: Bank) -> set[str]:
    """Questions of `bank` with an answer (a level, not applicable or don't know)."""
    return {
        qid
        for qid, row in rows.items()
        if (row.level is not None or row.not_applicable or row.dont_know)
        and bank.question(qid) is not None
    }


def answer_records(assessment: Assessment) -> dict[str, AnswerRecord]:
    """The assessment's stored answers by question id, in one query."""
    rows = db.session.scalars(
        select(AnswerRecord).where(AnswerRecord.assessment_id == assessment.id)
    )
    return {row.question_id: row for row in rows}


def freshness(assessment: Assessment) -> dict[str, Any]:
    """The evidence freshness of an assessment (§4): as of its completion date (today while in
    progress), with its evidence age limit; keyword arguments of `score`."""
    return {
        "as_of": assessment.as_of,
        "evidence_max_age_months": assessment.evidence_max_age_months or DEFAULT_MAX_AGE,
    }


def stale_cutoff(assessment: Assessment) -> dt.date | None:
    """Dated evidence older than this is stale for the assessment."""
    return stale_before(assessment.as_of, assessment.evidence_max_age_months or DEFAULT_MAX_AGE)


def stale_titles(evidence: list[dict[str, str]], cutoff: dt.date | None) -> list[str]:
    """Titles of the evidence items (as the form holds them) dated before `cutoff`."""
    if cutoff is None:
        return []
    limit = cutoff.isoformat()
    out = []
    for item in evidence:
        date = item.get("date") or ""
        if len(date) == 10 and date < limit:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                continue
            out.append(item.get("title") or "")
    return out


@dataclass
class DimensionProgress:
    """How many of a dimension's questions have an answer."""

    dimension: Dimension
    answered: int
    total: int

    @property
    def percent(self) -> int:
        """Share answered, in whole percent."""
        if not self.total:
            return 100
        return int(round_half_up(Fraction(100 * self.answered, self.total), 0))


def progress(bank: Bank, answers: Collection[str]) -> list[DimensionProgress]:
    """Per dimension, answered of total."""
    return [
        DimensionProgress(d, sum(q.id in answers for q in d.questions), len(d.questions))
        for d in bank.dimensions
    ]


@dataclass
class Progress:
    """The one figure of progress shown everywhere (overview, questionnaire, dashboard,
    portfolio): the agreed answers — the assessment's own answers, which are the consensus when
    respondents exist — of all questions; beside it, how many questions the submitted
    respondents' answers cover."""

    agreed: int
    total: int
    dimensions: list[DimensionProgress]
    respondents: int = 0  # respondents who have submitted
    covered: int = 0  # questions at least one of them answered
    first_open: Any = None  # the first question without an agreed answer (bank order)

    @property
    def percent(self) -> int:
        """Agreed answers, in whole percent."""
        if not self.total:
            return 100
        return int(round_half_up(Fraction(100 * self.agreed, self.total), 0))

    @property
    def complete(self) -> bool:
        """Every question has an agreed answer."""
        return self.agreed >= self.total


def assessment_progress(
    bank: Bank, agreed: Collection[str], respondents: Collection[Any] = ()
) -> Progress:
    """Progress of an assessment: `agreed` the ids of questions with an answer of its own,
    `respondents` its submitted respondents (services.respondents.RespondentAnswers)."""
    covered = set()
    for item in respondents:
        covered.update(item.answers)
    return Progress(
        agreed=sum(q.id in agreed for q in bank.questions),
        total=len(bank),
        dimensions=progress(bank, agreed),
        respondents=len(respondents),
        covered=sum(q.id in covered for q in bank.questions),
        first_open=next((q for q in bank.questions if q.id not in agreed), None),
    )


# --- saving answers ---------------------------------------------------------------------------


@dataclass
class Conflict:
    """Someone else saved this question after the user opened the page."""

    question_id: str
    mine: FormAnswer
    theirs: AnswerRecord | Row


def stored_content(row: AnswerContent | Row | None) -> tuple[Any, ...]:
    """The content of a stored row (none: the empty answer), to compare with what a form says."""
    return content(answer_from_row(row))


def save_dimension(
    assessment: Assessment,
    submitted: list[FormAnswer],
    user: User | None,
    records: Mapping[str, AnswerRecord | Row] | None = None,
    dimension_id: str | None = None,
    source: str = "staff",
) -> list[Conflict]:
    """Store a dimension's answers, all or nothing.

    Questions the user sends back as the page showed them are left alone (whatever someone
    else saved meanwhile stays). The others are written in at most two statements, each row
    matched on the version the user saw: one INSERT of the new answers and one UPDATE
    (executemany) of the changed ones, neither in a SAVEPOINT nor raising: the new answers skip
    a row stored meanwhile (ON CONFLICT DO NOTHING) and the counts tell when a row did not
    match (someone saved it since the page was shown). Then the rows are read: an answer
    changed by someone else and different from what the user sends is a conflict, and the
    conflicts are returned so the page can show both values; the caller refuses the request
    (409), whose rollback undoes the rows of this save that were written. Callers that read the
    rows already pass them as `records` and go straight to that check; a row someone inserts or
    changes between their read and the write raises IntegrityError or StaleDataError, after
    its SAVEPOINT is rolled back (the session stays usable: the caller shows a conflict page,
    and the request's boundary rolls the rest back). Nothing here commits.

    Every answer written gets an entry in its history (`source`: staff or consensus), all of
    them in one more statement (an executemany INSERT).
    """
    if assessment.locked:
        raise Invalid("locked")
    changed = [item for item in submitted if not item.unchanged()]
    now = utcnow()
    if not changed:
        touch_assessment(assessment, now, dimension_id)
        db.session.flush()
        return []
    user_id = user.id if user else None
    if records is None:
        if _write_unread(assessment.id, changed, user_id, now):
            return _written_unread(assessment, changed, user_id, now, dimension_id, source)
        return _settle_unread(assessment, changed, user_id, now, dimension_id, source)
    conflicts = []
    for item in changed:
        row = records.get(item.question_id)
        current_version = row.version if row else 0
        if current_version != item.version and stored_content(row) != content(item.answer):
            conflicts.append(Conflict(item.question_id, item, row))
    if conflicts:  # shown with who saved them and when: read those rows whole
        theirs = answer_rows(assessment, [c.question_id for c in conflicts], full=True)
        return [
            Conflict(c.question_id, c.mine, theirs.get(c.question_id, c.theirs)) for c in conflicts
        ]
    inserts, updates, history = [], [], []
    for item in changed:
        row = records.get(item.question_id)
        before = answer_from_row(row, item.question_id)
        if content(before) == content(item.answer):
            continue
        history.append(
            history_entry(
                assessment.id,
                item.question_id,
                source,
                now,
                user_id=user_id,
                before=before,
                after=item.answer,
            )
        )
        if row is None:
            inserts.append(_insert_params(assessment.id, item, user_id, now))
        else:
            updates.append(
                {"b_id": row.id, "b_version": row.version, **_content_params(item, user_id, now)}
            )
    table = AnswerRecord.__table__
    with savepoint():  # on a conflict only this is undone; the session stays usable
        if inserts:
            db.session.execute(insert(table), inserts)
        if updates and db.session.execute(_update_by_id(), updates).rowcount != len(updates):
            raise StaleDataError("an answer changed while it was being saved")
    for row in records.values():  # ORM copies the caller holds are now out of date
        if isinstance(row, AnswerRecord):
            db.session.expire(row)
    return _saved(assessment, history, now, dimension_id)


def _content_params(item: FormAnswer, user_id: int | None, now: dt.datetime) -> dict[str, Any]:
    return {**row_fields(item.answer), "updated_by_id": user_id, "updated_at": now}


def _insert_params(
    assessment_id: int, item: FormAnswer, user_id: int | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "question_id": item.question_id,
        "version": 1,
        **_content_params(item, user_id, now),
    }


@functools.cache
def _update_by_id():
    """UPDATE of one answer (executemany) matched on its id and the version read."""
    table = AnswerRecord.__table__
    return (
        update(table)
        .where(
            table.c.id == bindparam("b_id"),
            table.c.version == bindparam("b_version"),
        )
        .values(version=table.c.version + 1)
    )


@functools.cache
def _update_by_question():
    """UPDATE of one answer (executemany) matched on its question and the version the user saw."""
    table = AnswerRecord.__table__
    return (
        update(table)
        .where(
            table.c.assessment_id == bindparam("b_assessment"),
            table.c.question_id == bindparam("b_question"),
            table.c.version == bindparam("b_version"),
        )
        .values(version=table.c.version + 1)
    )


def _write_unread(
    assessment_id: int, changed: list[FormAnswer], user_id: int | None, now: dt.datetime
) -> bool:
    """Write the changed answers without reading them first, each matched on the version the
    user saw (none: an INSERT that skips a row someone else stored meanwhile). No SAVEPOINT and
    no exception: the counts tell whether every row matched. False when one did not; the rows
    that did match are then written (with `now` and `user_id`) and `_settle_unread` decides."""
    inserts = [
        _insert_params(assessment_id, item, user_id, now) for item in changed if item.version == 0
    ]
    updates = [
        {
            "b_assessment": assessment_id,
            "b_question": item.question_id,
            "b_version": item.version,
            **_content_params(item, user_id, now),
        }
        for item in changed
        if item.version != 0
    ]
    written = 0
    if inserts:
        written += len(db.session.execute(_insert_new(_dialect()), inserts).all())
    if updates:
        written += db.session.execute(_update_by_question(), updates).rowcount
    return written == len(changed)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@functools.cache
def _insert_new(dialect: str):
    """INSERT of new answers (executemany) that skips, without an error, a question someone
    else has stored an answer to meanwhile (ON CONFLICT DO NOTHING): the ids it returns are
    the rows it wrote (a count that holds also for psycopg's batched executemany)."""
    table = AnswerRecord.__table__
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing().returning(table.c.id)
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing().returning(table.c.id)
    raise NotImplementedError(dialect)


def _written_by(row: Row, user_id: int | None, now: dt.datetime) -> bool:
    """The row holds what this save wrote (its user and its instant, to the microsecond)."""
    at = row.updated_at
    if at is not None and at.tzinfo is None:  # SQLite returns naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return row.updated_by_id == user_id and at == now


def _settle_unread(
    assessment: Assessment,
    changed: list[FormAnswer],
    user_id: int | None,
    now: dt.datetime,
    dimension_id: str | None,
    source: str,
) -> list[Conflict]:
    """After `_write_unread` found a row not as the page showed it: read the rows (whole, as a
    conflict shows them). A row changed by someone else to something other than what the user
    sends is a conflict: they are returned, and the caller answers 409, whose rollback undoes
    the rows this save did write. With no conflict (someone stored the same), the save is
    complete: every changed answer holds what the user sent; the rows this save wrote get their
    history. A row neither written nor equal (a race past the read) raises StaleDataError."""
    rows = answer_rows(assessment, [item.question_id for item in changed], full=True)
    conflicts, written = [], []
    for item in changed:
        row = rows.get(item.question_id)
        if row is not None and _written_by(row, user_id, now):
            written.append(item)
        elif stored_content(row) != content(item.answer):
            if row is None or row.version == item.version:
                raise StaleDataError("an answer changed while it was being saved")
            conflicts.append(Conflict(item.question_id, item, row))
    if conflicts:
        return conflicts
    return _written_unread(assessment, written, user_id, now, dimension_id, source)


def _written_unread(
    assessment: Assessment,
    written: list[FormAnswer],
    user_id: int | None,
    now: dt.datetime,
    dimension_id: str | None,
    source: str,
) -> list[Conflict]:
    """The end of a save written without reading first: the answers' history has the previous
    answer only where it is known without a read (the empty one for a new row, else None)."""
    history = [
        history_entry(
            assessment.id,
            item.question_id,
            source,
            now,
            user_id=user_id,
            before=Answer(item.question_id) if item.version == 0 else None,
            after=item.answer,
        )
        for item in written
    ]
    return _saved(assessment, history, now, dimension_id)


def _saved(
    assessment: Assessment,
    history: list[dict[str, Any]],
    now: dt.datetime,
    dimension_id: str | None,
) -> list[Conflict]:
    """The end of every save that wrote: the answers' history, the stored results marked for
    recomputing at commit, the assessment touched. No conflicts."""
    record_history(history)
    changes.mark(db.session, assessment.id)  # stored results: recomputed at commit
    touch_assessment(assessment, now, dimension_id)
    db.session.flush()
    return []


def history_entry(
    assessment_id: int,
    question_id: str,
    source: str,
    now: dt.datetime,
    *,
    after: Answer,
    before: Answer | None,
    user_id: int | None = None,
    respondent_id: int | None = None,
) -> dict[str, Any]:
    """The parameters of one answer history row (`before` None: not read, the previous
    entry's `after`; the empty answer: there was none)."""
    return {
        "assessment_id": assessment_id,
        "question_id": question_id,
        "source": source,
        "user_id": user_id,
        "respondent_id": respondent_id,
        "changed_at": now,
        "before": history_content(before) if before is not None else None,
        "after": history_content(after),
    }


def record_history(entries: list[dict[str, Any]]) -> None:
    """Append the entries to the answer history: one statement (executemany), none if empty."""
    if entries:
        db.session.execute(insert(AnswerHistory.__table__), entries)


ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


def touch_assessment(
    assessment: Assessment, now: dt.datetime, dimension_id: str | None = None
) -> None:
    """Record activity: state, where the user was, and when (to the minute, so that a burst
    of saves does not rewrite the assessment's row every time)."""
    # Assign only what changes: an attribute set to its own value still makes the ORM flush
    # the row's state, which a save of the same page a second time does not need.
    if assessment.state == "draft":
        assessment.state = "in_progress"
    if dimension_id is not None and assessment.last_dimension != dimension_id:
        assessment.last_dimension = dimension_id
    last = assessment.updated_at
    if last is not None and last.tzinfo is None:  # SQLite returns naive UTC
        last = last.replace(tzinfo=dt.UTC)
    if last is None or now - last >= ACTIVITY_RESOLUTION:
        assessment.updated_at = now


def review(
    bank: Bank, answers: Mapping[str, Answer], cutoff: dt.date | None = None
) -> tuple[list[str], list[str]]:
    """Unanswered questions and unsupported claims (level ≥ 3 without evidence that is not
    older than `cutoff`), bank order."""
    unanswered = [q.id for q in bank.questions if q.id not in answers]
    unsupported = [
        q.id for q in bank.questions if q.id in answers and is_unsupported(answers[q.id], cutoff)
    ]
    return unanswered, unsupported


@dataclass
class Flagged:
    """A question marked for review: by whom ("" the assessment's own answer) and the note."""

    question_id: str
    who: str
    note: str


def flagged(assessment: Assessment, bank: Bank, label: Any = None) -> list[Flagged]:
    """The questions marked for review, bank order: the assessment's own answers' flags and
    those of the respondents (submitted or not). `label(n)` names an erased respondent."""
    from ..models import Respondent, RespondentAnswer

    out: dict[str, list[Flagged]] = {}
    table = AnswerRecord.__table__
    for qid, note in db.session.execute(
        select(table.c.question_id, table.c.flag_note).where(
            table.c.assessment_id == assessment.id, table.c.flag_note.is_not(None)
        )
    ):
        out.setdefault(qid, []).append(Flagged(qid, "", note))
    names = {}
    for n, (rid, name) in enumerate(
        db.session.execute(
            select(Respondent.id, Respondent.name)
            .where(Respondent.assessment_id == assessment.id)
            .order_by(Respondent.id)
        ),
        1,
    ):
        names[rid] = name or (label(n) if label else f"#{n}")
    if names:
        for rid, qid, note in db.session.execute(
            select(
                RespondentAnswer.respondent_id,
                RespondentAnswer.question_id,
                RespondentAnswer.flag_note,
            ).where(
                RespondentAnswer.respondent_id.in_(list(names)),
                RespondentAnswer.flag_note.is_not(None),
            )
        ):
            out.setdefault(qid, []).append(Flagged(qid, names[rid], note))
    return [f for q in bank.questions for f in out.get(q.id, [])]


def set_evidence_max_age(assessment: Assessment, months: int) -> None:
    """Evidence older than `months` (1–120) before the completion date backs no level 3 or 4
    claim; only while the assessment is not completed."""
    if assessment.locked:
        raise Invalid("locked")
    if not MAX_AGE_RANGE[0] <= months <= MAX_AGE_RANGE[1]:
        raise Invalid("evidence_max_age_months")
    if assessment.evidence_max_age_months != months:
        assessment.evidence_max_age_months = months
    db.session.flush()


def set_state(assessment: Assessment, state: str, user: User) -> None:
    """Move through draft → in progress → completed → archived (reopen: back to in progress)."""
    allowed = {
        "completed": ("draft", "in_progress"),
        "in_progress": ("completed", "archived"),  # reopen
        "archived": ("completed", "draft", "in_progress"),
    }
    if assessment.state not in allowed.get(state, ()):
        raise Invalid("state")
    if state == "in_progress" and user.role not in ("admin", "consultant"):
        raise Invalid("reopen")
    assessment.state = state
    assessment.completed_at = utcnow() if state == "completed" else assessment.completed_at
    db.session.flush()
