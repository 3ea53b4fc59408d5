"""Typed SQLAlchemy 2.0 models. Models never commit: the request boundary does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    func,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from .extensions import db


def utcnow() -> dt.datetime:
    """Timezone-aware now, as a callable default."""
    return dt.datetime.now(dt.UTC)


ROLES = ("admin", "consultant", "member", "viewer")
#: Confidence an answerer may give beside an answer (it does not change the score).
CONFIDENCE = ("low", "medium", "high")
STATES = ("draft", "in_progress", "completed", "archived")


class User(UserMixin, db.Model):
    """A person with an account: admin, consultant, member or viewer of one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="member")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Raised by logout and a password change: every session cookie that carries an older
    #: value is refused when the user is loaded (on every worker, no shared session store).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id: the user's id and session version ("12.3")."""
        return f"{self.id}.{self.session_version or 0}"


class ConsultantAssignment(db.Model):
    """A consultant assigned to an organisation."""

    __tablename__ = "consultant_assignments"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Organisation(db.Model):
    """An institution that assesses itself."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(200), default="")
    branches: Mapped[int] = mapped_column(Integer, default=0)
    segments: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    consultants: Mapped[list[User]] = relationship(
        secondary="consultant_assignments", viewonly=True, order_by="User.email"
    )


class StoredBank(db.Model):
    """A question bank installed in this database: bundled or uploaded (YAML kept verbatim)."""

    __tablename__ = "banks"
    __table_args__ = (UniqueConstraint("bank_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300), default="")
    origin: Mapped[str] = mapped_column(String(20), default="bundled")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assessment(db.Model):
    """One self-assessment of one organisation against one bank version."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    bank_id: Mapped[str] = mapped_column(String(64))
    bank_version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2), default="lv")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    targets: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    anonymous_comments: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Evidence dated longer ago than this before the completion date (today while in
    #: progress) no longer backs a level 3 or 4 claim (docs/scoring.md).
    evidence_max_age_months: Mapped[int] = mapped_column(Integer, default=36, server_default="36")
    last_dimension: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship()

    @property
    def locked(self) -> bool:
        """Completed and archived assessments accept no answers."""
        return self.state in ("completed", "archived")

    @property
    def as_of(self) -> dt.date:
        """The date the answers speak for: the completion date, today while in progress."""
        if self.completed_at is not None and self.state in ("completed", "archived"):
            return self.completed_at.date()
        return dt.date.today()


# The benchmark's peers at scale (migration 0015): assessments by creator (only those with one),
# organisations by their trimmed kind of institution.
Index(
    "ix_assessments_created_by_id",
    Assessment.created_by_id,
    sqlite_where=Assessment.created_by_id.is_not(None),
    postgresql_where=Assessment.created_by_id.is_not(None),
)
Index("ix_organisations_kind_trim", func.trim(Organisation.kind))


class AnswerContent:
    """What an answer says, shared by the assessment's answers and respondents' answers."""

    question_id: Mapped[str] = mapped_column(String(130))
    level: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: An indicator question's figure (its level is stored in `level`) and its period.
    value: Mapped[float | None] = mapped_column(Float)
    period: Mapped[str | None] = mapped_column(String(7))
    #: How sure the answerer is (low, medium, high; None: not said). Not part of the score.
    confidence: Mapped[str | None] = mapped_column(String(6))
    #: Marked for review with a note (None: not marked; "" marked without a note).
    flag_note: Mapped[str | None] = mapped_column(Text)


class AnswerRecord(AnswerContent, db.Model):
    """The assessment's own (facilitator's or consensus) answer to one question."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ActionItem(db.Model):
    """Owner, due date and status of one action of the report's action plan."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(130))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class PendingSubmission(db.Model):
    """Answers posted after the session ended, kept until the user logs in and confirms them."""

    __tablename__ = "pending_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    dimension_id: Mapped[str] = mapped_column(String(64))
    #: The user the page was served to (from the signed value in the form): only they get the
    #: answers back.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Respondent(db.Model):
    """A person invited to answer an assessment alone, through a private link (no account).

    Only the SHA-256 of the link's token is stored; the token itself is shown once.
    """

    __tablename__ = "respondents"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the name and e-mail were erased (on request or after PERSONAL_DATA_MONTHS).
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    assessment: Mapped[Assessment] = relationship()


class RespondentAnswer(AnswerContent, db.Model):
    """A respondent's own answer to one question."""

    __tablename__ = "respondent_answers"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), index=True
    )
    #: Matched on save, as the assessment's answers are: a page open in two tabs cannot
    #: overwrite what the other tab saved meanwhile.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __mapper_args__ = {"version_id_col": version}


STANDARD_STATES = ("draft", "approved", "superseded")


class Standard(db.Model):
    """An organisation's customer service standard (guideline 2.2): its versions and public address.

    The public page (`/standards/<public_slug>`) shows the version marked published, and only
    while that version is approved."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    language: Mapped[str] = mapped_column(String(2), default="lv")
    public_slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    versions: Mapped[list[StandardVersion]] = relationship(
        back_populates="standard", order_by="StandardVersion.number", cascade="all, delete-orphan"
    )


class StandardVersion(db.Model):
    """One version of a standard: draft → approved → superseded by the next; every one kept."""

    __tablename__ = "standard_versions"
    __table_args__ = (UniqueConstraint("standard_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    approval_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approval_recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    standard: Mapped[Standard] = relationship(back_populates="versions")
    approval_recorded_by: Mapped[User | None] = relationship(foreign_keys=[approval_recorded_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])


class AssessmentResult(db.Model):
    """The assessment's stored result (§4 on its §5-consolidated answers), overall.

    Written only by services.results, in the transaction that changed what it depends on
    (answers, targets, respondents, the consensus); pages read it instead of scoring again.
    Maturities are stored as floats for SQL aggregates (exact fractions are recomputed when a
    single assessment's report needs them)."""

    __tablename__ = "assessment_results"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    maturity: Mapped[float | None] = mapped_column(Float)
    evidence_backed: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    not_applicable: Mapped[int] = mapped_column(Integer, default=0)
    dont_know: Mapped[int] = mapped_column(Integer, default=0)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    unsupported: Mapped[int] = mapped_column(Integer, default=0)
    disagreements: Mapped[int] = mapped_column(Integer, default=0)
    #: The question ids of the recommended actions (next steps), in rank order; None before
    #: migration 0014 filled them.
    actions: Mapped[list[str] | None] = mapped_column(JSON)
    #: The largest gap of its dimensions (what the portfolio sorts by; migration 0016).
    largest_gap: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DimensionResult(db.Model):
    """One dimension's stored result of an assessment (see AssessmentResult)."""

    __tablename__ = "dimension_results"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    maturity: Mapped[float | None] = mapped_column(Float)
    evidence_backed: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[int] = mapped_column(Integer)
    gap: Mapped[float | None] = mapped_column(Float)
    total: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    not_applicable: Mapped[int] = mapped_column(Integer, default=0)
    dont_know: Mapped[int] = mapped_column(Integer, default=0)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    unsupported: Mapped[int] = mapped_column(Integer, default=0)


class LatestAssessments(db.Model):
    """Each organisation's latest assessment and the previous completed (or archived) one on
    the latest's bank: what the portfolio sorts and filters by without ranking every
    organisation's assessments. Written only by services.results, in the transaction that
    creates an assessment or changes its state, bank, date or organisation — not on saves (the
    figures come from the stored results)."""

    __tablename__ = "latest_assessments"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    latest_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )


class CompletedResultsState(db.Model):
    """One row: a token that changes whenever the set or the results of completed (and
    archived) assessments change. Figures aggregated over them (the benchmark) are kept per
    process under this token and computed again only when it changes (services.results)."""

    __tablename__ = "completed_results_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class AnswerHistory(db.Model):
    """One change of one answer, append-only: who (a user or a respondent), when, the content
    before and after (`before` None: the previous entry's `after`, written without reading the
    row first). A respondent's name is never copied here: it is read from `respondents` when
    shown, so that erasing it there erases it everywhere."""

    __tablename__ = "answer_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(130))
    #: staff (the questionnaire), consensus (workshop), respondent, import.
    source: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEvent(db.Model):
    """Something done to an assessment or organisation: who, when, from which address.

    `detail` holds ids and codes only (never a respondent's name: it is looked up when shown)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(45), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


#: Whether anyone has submitted answers through a private link: read in the questionnaire's
#: first statement (services.access undefers it), so that a page without respondents spends no
#: statement on their answers. Deferred: other loads of an assessment do not compute it.
Assessment.has_submitted_respondents = column_property(
    exists()
    .where(Respondent.assessment_id == Assessment.id, Respondent.submitted_at.is_not(None))
    .correlate_except(Respondent),
    deferred=True,
)


KPI_DIRECTIONS = ("higher", "lower")
KPI_PERIOD_KINDS = ("month", "quarter", "year")


class KpiIndicator(db.Model):
    """One key performance indicator of an organisation's register (guideline 2.2.7, 2.3.4):
    what is measured, how, against which target and amber band, by whom and how often."""

    __tablename__ = "kpi_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(200), default="")
    service: Mapped[str] = mapped_column(String(200), default="")
    segment: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    #: How far from the target a figure is still amber (in the indicator's unit, ≥ 0).
    amber: Mapped[float] = mapped_column(Float, default=0.0)
    data_source: Mapped[str] = mapped_column(String(300), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    period_kind: Mapped[str] = mapped_column(String(10), default="month")
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The 2.2.7 row of the standard it was created from ("<version id>:<row key>"), if any.
    source_key: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class KpiValue(db.Model):
    """One figure of one period, append-only: a correction is a new row, the latest row of a
    period wins and the earlier ones are its history."""

    __tablename__ = "kpi_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("kpi_indicators.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: form, upload or api
    source: Mapped[str] = mapped_column(String(10), default="form")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    entered_by: Mapped[User | None] = relationship()


Index("ix_kpi_values_indicator_period", KpiValue.indicator_id, KpiValue.period, KpiValue.id)


class KpiLink(db.Model):
    """A bank indicator question of an assessment that takes its value from a register indicator."""

    __tablename__ = "kpi_links"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(130))
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("kpi_indicators.id", ondelete="CASCADE"), index=True
    )

    indicator: Mapped[KpiIndicator] = relationship()


class ApiToken(db.Model):
    """A personal API token: `<prefix>_<public id>_<secret>`. Only the SHA-256 of the secret is
    stored; the public id finds the row. The token acts as its user, with that user's access;
    a read-only token cannot write. Revoked tokens are refused (the row stays, for the record)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100), default="")
    #: "read" or "write"
    scope: Mapped[str] = mapped_column(String(10), default="write")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
