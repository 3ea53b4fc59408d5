"""Answers kept when the session ended while someone typed (the expired-session rescue).

A questionnaire page carries a signed, time-limited value naming the user it was served to,
the assessment and the page. Only a post with a valid value is kept, only up to a page's worth
of text, only for `KEPT_DAYS`, and only that user gets it back after logging in again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select

from ..domain.answer_form import FIELD
from ..extensions import db
from ..models import PendingSubmission, utcnow

#: How long a served page's value proves where a post came from (a session lasts 8 hours; a
#: page left open overnight still keeps its answers).
KEEP_MAX_AGE = 24 * 3600
#: Kept answers older than this are deleted (`assessment purge-kept-answers`, and at start).
KEPT_DAYS = 7
#: A questionnaire page's worth: its comments (20,000 characters each) and evidence, not more.
MAX_KEPT_CHARS = 200_000
MAX_KEPT_FIELDS = 1_500

_SALT = "kept-answers"


def _serializer() -> URLSafeTimedSerializer:
    serializer = current_app.extensions.get("kept_answers_serializer")
    if serializer is None:
        serializer = current_app.extensions["kept_answers_serializer"] = URLSafeTimedSerializer(
            current_app.secret_key, salt=_SALT
        )
    return serializer


def page_value(user_id: int, assessment_id: int, dimension_id: str) -> str:
    """The signed value a questionnaire page carries in its form."""
    return _serializer().dumps([user_id, assessment_id, dimension_id])


def claimed_user(value: str | None, assessment_id: int, dimension_id: str) -> int | None:
    """The user a post's value was signed for, when it is genuine, fresh and names this
    assessment and page; else None."""
    if not value or len(value) > 500:
        return None
    try:
        user_id, signed_assessment, signed_dimension = _serializer().loads(
            value, max_age=KEEP_MAX_AGE
        )
    except (BadSignature, ValueError, TypeError):
        return None
    if (
        signed_assessment != assessment_id
        or signed_dimension != dimension_id
        or not isinstance(user_id, int)
    ):
        return None
    return user_id


def fields_to_keep(items: Iterable[tuple[str, str]]) -> dict[str, str] | None:
    """The questionnaire fields of a post (and its action); None when it is more than a page's
    worth."""
    data: dict[str, str] = {}
    size = 0
    for key, value in items:
        if key != "action" and not FIELD.fullmatch(key):
            continue
        if key in data:
            continue
        size += len(key) + len(value)
        data[key] = value
        if size > MAX_KEPT_CHARS or len(data) > MAX_KEPT_FIELDS:
            return None
    return data


def keep(
    token_hash: str, user_id: int, assessment_id: int, dimension_id: str, data: dict[str, str]
) -> None:
    """Store the answers for the user (and drop the ones past their time)."""
    purge()
    db.session.add(
        PendingSubmission(
            token_hash=token_hash,
            user_id=user_id,
            assessment_id=assessment_id,
            dimension_id=dimension_id[:64],
            data=data,
        )
    )
    db.session.flush()


def take(token_hash: str, user_id: int, assessment_id: int) -> PendingSubmission | None:
    """The user's kept answers of this assessment under `token_hash`, removed from the store
    (they are shown once, to confirm); None when there are none."""
    pending = db.session.scalar(
        select(PendingSubmission).where(
            PendingSubmission.token_hash == token_hash,
            PendingSubmission.assessment_id == assessment_id,
            PendingSubmission.user_id == user_id,
        )
    )
    if pending is not None:
        db.session.execute(delete(PendingSubmission).where(PendingSubmission.id == pending.id))
    return pending


def purge(now: dt.datetime | None = None) -> int:
    """Delete kept answers older than KEPT_DAYS; the number deleted."""
    cutoff = (now or utcnow()) - dt.timedelta(days=KEPT_DAYS)
    result = db.session.execute(
        delete(PendingSubmission).where(PendingSubmission.created_at < cutoff)
    )
    return result.rowcount or 0
