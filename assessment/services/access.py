"""Who may see what: one organisation never sees another's data."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Assessment, ConsultantAssignment, Organisation, User
from .errors import Forbidden, NotFound


def visible_organisations(user: User) -> Select:
    """A query of the organisations `user` may see."""
    query = select(Organisation)
    if user.role == "admin":
        return query
    if user.role == "consultant":
        return query.join(ConsultantAssignment,
                          ConsultantAssignment.organisation_id == Organisation.id).where(
            ConsultantAssignment.user_id == user.id)
    return query.where(Organisation.id == (user.organisation_id or -1))


def can_see_organisation(user: User, organisation_id: int) -> bool:
    """Whether `user` may see the organisation with this id."""
    if user.role == "admin":
        return True
    if user.role == "consultant":
        return db.session.get(ConsultantAssignment, (user.id, organisation_id)) is not None
    return user.organisation_id == organisation_id


def get_organisation(user: User, organisation_id: int) -> Organisation:
    """The organisation, or NotFound when it is absent or not the user's to see."""
    org = db.session.get(Organisation, organisation_id)
    if org is None or not can_see_organisation(user, org.id):
        raise NotFound()
    return org


def get_assessment(user: User, assessment_id: int) -> Assessment:
    """The assessment, or NotFound when it is absent or not the user's to see."""
    item = db.session.get(Assessment, assessment_id,
                          options=[joinedload(Assessment.organisation)])
    if item is None or not can_see_organisation(user, item.organisation_id):
        raise NotFound()
    return item


def require_manager(user: User) -> None:
    """Consultants and admins manage (reopen, assign, create organisations)."""
    if user.role not in ("admin", "consultant"):
        raise Forbidden()


def require_admin(user: User) -> None:
    """Only admins manage users and banks."""
    if user.role != "admin":
        raise Forbidden()
