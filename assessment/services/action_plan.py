"""The action plan's stored details: owner, due date and status of each question's action."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..extensions import db
from ..models import ActionItem, Assessment


def action_meta(assessment: Assessment) -> dict[str, dict]:
    """Stored owner / due date / status per question."""
    rows = db.session.scalars(select(ActionItem).where(ActionItem.assessment_id == assessment.id))
    return {r.question_id: {"owner": r.owner, "due": r.due, "status": r.status} for r in rows}


def store_action(
    assessment: Assessment, question_id: str, owner: str, due: dt.date | None, status: str
) -> ActionItem:
    """Store the owner, due date and status of one action (a row made on first use)."""
    row = db.session.scalar(
        select(ActionItem).where(
            ActionItem.assessment_id == assessment.id, ActionItem.question_id == question_id
        )
    )
    if row is None:
        row = ActionItem(assessment_id=assessment.id, question_id=question_id)
        db.session.add(row)
    row.owner = owner
    row.due = due
    row.status = status
    db.session.flush()
    return row
