"""The audit trail (issue 16): state changes, invitations, link re-issues and revocations,
imports, exports of the report, approvals — who, when, from which address.

`detail` holds ids and codes, never a respondent's name (looked up when shown), so that an
erasure leaves no name behind here."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, AuditEvent, User, utcnow

ACTIONS = (
    "state",
    "invite",
    "reissue",
    "revoke",
    "import",
    "export",
    "approve",
    "erase",
    "personal_data_export",
)


def record(
    action: str,
    *,
    assessment: Assessment | None = None,
    organisation_id: int | None = None,
    user: User | None = None,
    **detail: Any,
) -> None:
    """Append one event (the caller's transaction commits it). The address is the request's
    client (behind ProxyFix, the one the proxy reports); none outside a request (CLI)."""
    address = (request.remote_addr or "")[:45] if has_request_context() else ""
    if user is not None and not getattr(user, "is_authenticated", True):
        user = None
    db.session.add(
        AuditEvent(
            organisation_id=organisation_id
            if organisation_id is not None
            else (assessment.organisation_id if assessment is not None else None),
            assessment_id=assessment.id if assessment is not None else None,
            user_id=user.id if user is not None else None,
            action=action,
            detail=dict(detail),
            address=address,
            at=utcnow(),
        )
    )


def events(assessment: Assessment) -> list[tuple[AuditEvent, User | None]]:
    """The assessment's events, newest first, with their users."""
    return [
        (event, user)
        for event, user in db.session.execute(
            select(AuditEvent, User)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.assessment_id == assessment.id)
            .order_by(AuditEvent.id.desc())
        )
    ]


def organisation_events(
    organisation_id: int, limit: int = 500
) -> list[tuple[AuditEvent, User | None, Assessment | None]]:
    """The organisation's events (its assessments' and its own, such as approvals of its
    standard), newest first, at most `limit`."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(AuditEvent, User, Assessment)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .outerjoin(Assessment, Assessment.id == AuditEvent.assessment_id)
            .where(AuditEvent.organisation_id == organisation_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    ]


def as_list(assessment: Assessment) -> list[dict[str, Any]]:
    """The events for the JSON export, oldest first."""
    out = []
    for event, user in reversed(events(assessment)):
        at = event.at.isoformat(timespec="seconds")
        out.append(
            {
                "at": at,
                "action": event.action,
                "user": user.email if user else None,
                "address": event.address,
                "detail": event.detail or {},
            }
        )
    return out
