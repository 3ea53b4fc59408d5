"""Respondents' personal data (GDPR, issue 16): erase on request and after a number of months,
and everything the application holds about one e-mail address.

A respondent's name and e-mail are kept in `respondents` only: answer history and audit
entries hold the respondent's id, and show the name read from there. Erasing blanks both
fields; the answers stay and are shown as "Respondent 3" (their place in the assessment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import AnswerHistory, Assessment, AuditEvent, Respondent, User, utcnow
from .errors import NotFound


def respondent_of(assessment: Assessment, respondent_id: int) -> Respondent:
    """The assessment's respondent with this id; NotFound for any other id."""
    item = db.session.get(Respondent, respondent_id)
    if item is None or item.assessment_id != assessment.id:
        raise NotFound()
    return item


def erase_respondent(item: Respondent) -> None:
    """Blank the name and e-mail; the answers stay."""
    item.name = ""
    item.email = None
    item.erased_at = item.erased_at or utcnow()
    db.session.flush()


def months_before(now: dt.datetime, months: int) -> dt.datetime:
    """The same moment `months` calendar months earlier (the day clamped to the month)."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    import calendar

    day = min(now.day, calendar.monthrange(year, month)[1])
    return now.replace(year=year, month=month, day=day)


def purge(months: int, now: dt.datetime | None = None) -> int:
    """Erase the respondents of assessments completed more than `months` months ago; the
    number erased."""
    cutoff = months_before(now or utcnow(), months)
    rows = db.session.scalars(
        select(Respondent)
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .where(
            Assessment.completed_at.is_not(None),
            Assessment.completed_at < cutoff,
            Assessment.state.in_(("completed", "archived")),
            Respondent.erased_at.is_(None),
        )
    )
    count = 0
    for item in rows:
        erase_respondent(item)
        count += 1
    return count


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def export(email: str) -> dict[str, Any]:
    """Everything held about one e-mail address: the user account, respondents invited with
    it, their answers' history, and the audit entries about or by them."""
    email = email.strip()
    users = list(db.session.scalars(select(User).where(func.lower(User.email) == email.lower())))
    respondents = list(
        db.session.scalars(select(Respondent).where(func.lower(Respondent.email) == email.lower()))
    )
    user_ids = [u.id for u in users]
    respondent_ids = [r.id for r in respondents]
    history = (
        list(
            db.session.scalars(
                select(AnswerHistory)
                .where(
                    AnswerHistory.user_id.in_(user_ids)
                    | AnswerHistory.respondent_id.in_(respondent_ids)
                )
                .order_by(AnswerHistory.id)
            )
        )
        if (user_ids or respondent_ids)
        else []
    )
    events = (
        list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.user_id.in_(user_ids)).order_by(AuditEvent.id)
            )
        )
        if user_ids
        else []
    )
    if respondent_ids:
        about = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.assessment_id.in_([r.assessment_id for r in respondents]))
            .order_by(AuditEvent.id)
        )
        seen = {e.id for e in events}
        events += [
            e
            for e in about
            if e.id not in seen and (e.detail or {}).get("respondent") in respondent_ids
        ]
    return {
        "email": email,
        "users": [
            {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "organisation_id": u.organisation_id,
                "language": u.language,
                "active": u.active,
                "created_at": _iso(u.created_at),
            }
            for u in users
        ],
        "respondents": [
            {
                "id": r.id,
                "assessment_id": r.assessment_id,
                "name": r.name,
                "email": r.email,
                "created_at": _iso(r.created_at),
                "started_at": _iso(r.started_at),
                "submitted_at": _iso(r.submitted_at),
            }
            for r in respondents
        ],
        "answer_history": [
            {
                "id": h.id,
                "assessment_id": h.assessment_id,
                "question_id": h.question_id,
                "source": h.source,
                "changed_at": _iso(h.changed_at),
                "before": h.before,
                "after": h.after,
            }
            for h in history
        ],
        "audit": [
            {
                "id": e.id,
                "assessment_id": e.assessment_id,
                "action": e.action,
                "detail": e.detail,
                "address": e.address,
                "at": _iso(e.at),
            }
            for e in events
        ],
    }
