"""Respondents: private links, their own answers, and what they said (the disagreement view).

A respondent's answers enter the consolidation once they have submitted (a revoked link keeps
the answers already submitted). The assessment's own AnswerRecords are the facilitator's
consensus answers. The §5 consolidation itself is services.results' (domain.consolidation's rules).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import Answer, content
from ..domain.answers import Respondent as DomainRespondent
from ..domain.bank import Bank
from ..domain.qtypes.indicator import format_value
from ..extensions import db
from ..models import Assessment, Respondent, RespondentAnswer, utcnow
from .answer_rows import answer_from_row, answers_of, apply_to_row
from .assessments import (
    Conflict,
    answer_rows,
    history_entry,
    record_history,
    savepoint,
    stored_content,
)
from .errors import Invalid

TOKEN_BYTES = 24  # 192 bits of randomness
#: A new link expires after this many days unless the facilitator sets another date.
DEFAULT_LINK_DAYS = 60


def hash_token(token: str) -> str:
    """The stored form of a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back: they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


# --- links ---------------------------------------------------------------------------------------


def create_respondent(
    assessment: Assessment,
    name: str,
    email: str | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[Respondent, str]:
    """A new respondent and the token of their private link (shown once, stored hashed)."""
    name = (name or "").strip()
    if not name:
        raise Invalid("name")
    if expires_at is None:
        expires_at = utcnow() + dt.timedelta(days=DEFAULT_LINK_DAYS)
    elif aware(expires_at) <= utcnow():
        raise Invalid("expires")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    item = Respondent(
        assessment_id=assessment.id,
        name=name[:200],
        email=(email or "").strip()[:254] or None,
        token_hash=hash_token(token),
        revoked=False,
        expires_at=expires_at,
    )
    db.session.add(item)
    db.session.flush()
    return item, token


class LinkGone(Exception):
    """The link existed but may no longer be used (`reason`: 'revoked' or 'expired')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def respondent_for_token(token: str) -> Respondent | None:
    """The respondent of a live link; None for an unknown token; LinkGone when revoked/expired."""
    if not token or len(token) > 200:
        return None
    item = db.session.scalar(select(Respondent).where(Respondent.token_hash == hash_token(token)))
    if item is None:
        return None
    if item.revoked:
        raise LinkGone("revoked")
    expires = aware(item.expires_at)
    if expires is not None and expires <= utcnow():
        raise LinkGone("expired")
    return item


#: At most this many people are invited in one go (their links travel in the session cookie).
MAX_INVITES = 40


@dataclass
class InviteLine:
    """One person to invite, from a line of the invite box."""

    line: int
    name: str
    email: str | None


def parse_invite_lines(text: str) -> tuple[list[InviteLine], list[tuple[int, str]]]:
    """Lines of "name, e-mail" (or "name <e-mail>", or a name alone; a tab or ";" also separates)
    → the people, and the problems as (line number, code): 'name', 'email', 'long', 'duplicate',
    'too_many'. Blank lines are skipped; line numbers count every line."""
    from email_validator import EmailNotValidError, validate_email

    people: list[InviteLine] = []
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, email = line, ""
        if "<" in line and line.endswith(">"):
            name, _lt, email = line[:-1].rpartition("<")
        else:
            for sep in ("\t", ";", ","):
                if sep in line:
                    name, _sep, email = line.rpartition(sep)
                    break
        name, email = name.strip().strip(",;").strip(), email.strip()
        if not name:
            problems.append((number, "name"))
            continue
        if len(name) > 200 or len(email) > 254:
            problems.append((number, "long"))
            continue
        if email:
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                problems.append((number, "email"))
                continue
        key = (email or name).casefold()
        if key in seen:
            problems.append((number, "duplicate"))
            continue
        seen.add(key)
        people.append(InviteLine(number, name, email or None))
    if len(people) > MAX_INVITES:
        problems.append((people[MAX_INVITES].line, "too_many"))
    return people, problems


def issue_fresh_link(respondent: Respondent) -> str:
    """A new token for the respondent: the old link stops working at once. An expired link's
    date moves DEFAULT_LINK_DAYS ahead. A withdrawn respondent gets no new link."""
    if respondent.revoked:
        raise Invalid("revoked")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    respondent.token_hash = hash_token(token)
    expires = aware(respondent.expires_at)
    if expires is not None and expires <= utcnow():
        respondent.expires_at = utcnow() + dt.timedelta(days=DEFAULT_LINK_DAYS)
    db.session.flush()
    return token


def revoke(respondent: Respondent) -> None:
    """The link stops working; answers already submitted still count."""
    respondent.revoked = True
    db.session.flush()


def respondent_of(assessment: Assessment, respondent_id: int) -> Respondent | None:
    """A respondent of this assessment by id; None when there is none (or of another)."""
    item = db.session.get(Respondent, respondent_id)
    if item is None or item.assessment_id != assessment.id:
        return None
    return item


def list_respondents(assessment: Assessment) -> list[Respondent]:
    """The assessment's respondents in invitation order."""
    return list(
        db.session.scalars(
            select(Respondent)
            .where(Respondent.assessment_id == assessment.id)
            .order_by(Respondent.id)
        )
    )


# --- a respondent's own answers ------------------------------------------------------------------


def respondent_records(respondent: Respondent) -> dict[str, RespondentAnswer]:
    """The respondent's stored answers by question id."""
    rows = db.session.scalars(
        select(RespondentAnswer).where(RespondentAnswer.respondent_id == respondent.id)
    )
    return {row.question_id: row for row in rows}


def own_answers(respondent: Respondent, bank: Bank) -> dict[str, Answer]:
    """The respondent's given answers to the bank's questions (as the scoring engine sees
    them: an indicator's level from its figure)."""
    return answers_of(respondent_records(respondent), bank)


def save_respondent_answers(respondent: Respondent, submitted: Iterable) -> list[Conflict]:
    """Store a page of the respondent's answers (domain.answer_form.FormAnswer items), with the
    check the assessment's questionnaire makes: questions sent back as the page showed them are
    left alone; a changed one whose stored answer was changed since the page showed it (another
    tab) is a conflict, and then nothing is written and the conflicts are returned. Each row is
    written matched on its version, in a SAVEPOINT: when a row moved meanwhile (another tab
    saved in the same instant) the SAVEPOINT is rolled back and the conflicts are read again
    and returned (IntegrityError/StaleDataError only when there is none to show). Nothing here
    commits: the request's boundary does, or rolls back when the page refuses."""
    if respondent.submitted_at is not None or respondent.assessment.locked:
        raise Invalid("locked")
    records = respondent_records(respondent)
    changed = [item for item in submitted if not item.unchanged()]
    conflicts = _conflicts(records, changed)
    if conflicts:
        return conflicts
    try:
        with savepoint():
            _write_respondent_answers(respondent, records, changed)
    except (IntegrityError, StaleDataError):
        conflicts = _conflicts(respondent_records(respondent), changed)
        if not conflicts:
            raise
    return conflicts


def _conflicts(records: dict[str, RespondentAnswer], changed: list) -> list[Conflict]:
    """The changed answers whose stored row moved since the page showed it, to another content."""
    out = []
    for item in changed:
        row = records.get(item.question_id)
        if (row.version if row else 0) != item.version and stored_content(row) != content(
            item.answer
        ):
            out.append(Conflict(item.question_id, item, row))
    return out


def _write_respondent_answers(
    respondent: Respondent, records: dict[str, RespondentAnswer], changed: list
) -> None:
    now = utcnow()
    history = []
    for item in changed:
        row = records.get(item.question_id)
        before = answer_from_row(row, item.question_id)
        if content(before) == content(item.answer):
            continue
        history.append(
            history_entry(
                respondent.assessment_id,
                item.question_id,
                "respondent",
                now,
                respondent_id=respondent.id,
                before=before,
                after=item.answer,
            )
        )
        if row is None:
            row = RespondentAnswer(respondent_id=respondent.id, question_id=item.question_id)
            db.session.add(row)
            records[item.question_id] = row
        apply_to_row(item.answer, row)
        row.updated_at = now
    record_history(history)
    if respondent.started_at is None:
        respondent.started_at = utcnow()
    touch(respondent.assessment)
    db.session.flush()


def touch(assessment: Assessment) -> None:
    """Respondents' work is activity on the assessment (portfolio, dashboard)."""
    if assessment.state == "draft":
        assessment.state = "in_progress"
    assessment.updated_at = utcnow()


def submit(respondent: Respondent) -> None:
    """Hand in: the respondent's answers are locked and enter the consolidation."""
    if respondent.submitted_at is None:
        respondent.submitted_at = utcnow()
        respondent.started_at = respondent.started_at or respondent.submitted_at
        touch(respondent.assessment)
    db.session.flush()


# --- consolidation -------------------------------------------------------------------------------


@dataclass
class RespondentAnswers:
    """A submitted respondent with their answers (for consolidation and the disagreement view)."""

    id: int
    name: str
    answers: dict[str, Answer] = field(default_factory=dict)

    def domain(self, bank: Bank) -> DomainRespondent:
        """The domain respondent, answers in bank order."""
        return DomainRespondent(
            name=self.name or f"respondent {self.id}",
            answers=tuple(self.answers[q.id] for q in bank.questions if q.id in self.answers),
        )


def submitted_answers(assessment_ids: Sequence[int]) -> dict[int, list[RespondentAnswers]]:
    """Per assessment, its submitted respondents and their answers — in ONE query."""
    out: dict[int, list[RespondentAnswers]] = {}
    if not assessment_ids:
        return out
    rows = db.session.execute(
        select(Respondent.assessment_id, Respondent.id, Respondent.name, RespondentAnswer)
        .outerjoin(RespondentAnswer, RespondentAnswer.respondent_id == Respondent.id)
        .where(
            Respondent.assessment_id.in_(list(assessment_ids)), Respondent.submitted_at.is_not(None)
        )
        .order_by(Respondent.assessment_id, Respondent.id)
    ).all()
    seen: dict[int, RespondentAnswers] = {}
    for assessment_id, rid, name, answer_row in rows:
        item = seen.get(rid)
        if item is None:
            item = seen[rid] = RespondentAnswers(rid, name)
            out.setdefault(assessment_id, []).append(item)
        if answer_row is not None:
            answer = answer_from_row(answer_row)
            if answer.given:
                item.answers[answer.question] = answer
    return out


def consensus_answers(assessment: Assessment, bank: Bank) -> dict[str, Answer]:
    """The assessment's own answers (the facilitator's consensus when there are respondents)."""
    return answers_of(answer_rows(assessment), bank)


# --- the disagreement view -----------------------------------------------------------------------


@dataclass
class QuestionSpread:
    """What respondents said about one question."""

    question: object
    counts: dict[str, int]  # "0".."4", "na", "dk"
    answered: int
    spread: int | None
    comments: list[tuple[str, str]]  # (who, comment)
    consensus: Answer | None
    values: list[str] = field(default_factory=list)  # an indicator's values given ("87.5 (2026)")
    #: How many answers were given with low, medium, high confidence (not part of the score).
    confidence: dict[str, int] = field(default_factory=dict)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (who, note): marked for review

    @property
    def disagreement(self) -> bool:
        """Spread of 2 or more (§5)."""
        return self.spread is not None and self.spread >= 2

    @property
    def unanimous(self) -> bool:
        """Everyone who answered gave the same answer."""
        return self.answered > 0 and sum(1 for v in self.counts.values() if v) == 1

    @property
    def agreed(self) -> bool:
        """A consensus answer is set, or the respondents were unanimous."""
        return self.consensus is not None or self.unanimous


def choice_of(answer: Answer) -> str:
    """'0'–'4', 'na' or 'dk'."""
    if answer.level is not None:
        return str(answer.level)
    return "na" if answer.not_applicable else "dk"


def spreads(
    assessment: Assessment, bank: Bank, anonymous_label: str = "Respondent %(n)s"
) -> list[QuestionSpread]:
    """Per question of the bank (bank order): distribution, spread, comments, consensus."""
    respondents = submitted_answers([assessment.id]).get(assessment.id, [])
    consensus = consensus_answers(assessment, bank)
    labels = {
        r.id: (
            anonymous_label % {"n": i + 1}
            if assessment.anonymous_comments or not r.name
            else r.name
        )
        for i, r in enumerate(respondents)
    }
    out = []
    for q in bank.questions:
        counts = {c: 0 for c in ("0", "1", "2", "3", "4", "na", "dk")}
        comments = []
        levels = []
        values = []
        confidence = {"low": 0, "medium": 0, "high": 0}
        flags = []
        for r in respondents:
            a = r.answers.get(q.id)
            if a is None:
                continue
            counts[choice_of(a)] += 1
            if a.confidence in confidence:
                confidence[a.confidence] += 1
            if a.flag is not None:
                flags.append((labels[r.id], a.flag))
            if a.level is not None:
                levels.append(a.level)
            if a.value is not None:
                values.append(format_value(a.value) + (f" ({a.period})" if a.period else ""))
            if a.comment:
                comments.append((labels[r.id], a.comment))
        out.append(
            QuestionSpread(
                q,
                counts,
                sum(counts.values()),
                max(levels) - min(levels) if levels else None,
                comments,
                consensus.get(q.id),
                values,
                confidence,
                flags,
            )
        )
    return out


def import_respondents(
    assessment: Assessment, respondents: Iterable[DomainRespondent], user=None
) -> list[dict]:
    """Recreate a file's respondents as submitted, with revoked links nobody holds; returns
    the answer history entries of their answers (for the caller to record)."""
    now = utcnow()
    history = []
    for source in respondents:
        item = Respondent(
            assessment_id=assessment.id,
            name=(source.name or "?")[:200],
            token_hash=hash_token(secrets.token_urlsafe(TOKEN_BYTES)),
            revoked=True,
            started_at=now,
            submitted_at=now,
        )
        db.session.add(item)
        db.session.flush()
        for answer in source.answers:
            row = RespondentAnswer(respondent_id=item.id, question_id=answer.question)
            apply_to_row(answer, row)
            db.session.add(row)
            history.append(
                history_entry(
                    assessment.id,
                    answer.question,
                    "import",
                    now,
                    user_id=user.id if user else None,
                    respondent_id=item.id,
                    before=Answer(answer.question),
                    after=answer,
                )
            )
    db.session.flush()
    return history
