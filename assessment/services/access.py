"""Who may see what: one organisation never sees another's data."""

from __future__ import annotations

import functools

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, undefer

from ..extensions import db
from ..models import Assessment, ConsultantAssignment, Organisation, User
from .errors import Forbidden, NotFound


def visible_organisations(user: User) -> Select:
    """A query of the organisations `user` may see."""
    query = select(Organisation)
    if user.role == "admin":
        return query
    if user.role == "consultant":
        return query.join(
            ConsultantAssignment, ConsultantAssignment.organisation_id == Organisation.id
        ).where(ConsultantAssignment.user_id == user.id)
    return query.where(Organisation.id == (user.organisation_id or -1))


def organisations_of(user: User) -> list[Organisation]:
    """The organisations `user` may see, by name (the JSON API's list)."""
    return list(db.session.scalars(visible_organisations(user).order_by(Organisation.name)))


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


@functools.cache
def _with_organisation():
    return joinedload(Assessment.organisation)


def get_assessment(user: User, assessment_id: int) -> Assessment:
    """The assessment, or NotFound when it is absent or not the user's to see."""
    item = db.session.get(Assessment, assessment_id, options=[_with_organisation()])
    if item is None or not can_see_organisation(user, item.organisation_id):
        raise NotFound()
    return item


def visible_assessments(user: User, organisation_id: int) -> list[Assessment]:
    """The organisation's assessments, newest first (NotFound unless `user` may see it)."""
    org = get_organisation(user, organisation_id)
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == org.id)
            .order_by(Assessment.id.desc())
        )
    )


@functools.cache
def _user_and_assessment(with_organisation: bool):
    """Built once: the questionnaire's hot path runs it on every request."""
    query = (
        select(User, Assessment)
        .outerjoin(Assessment, Assessment.id == bindparam("assessment_id"))
        .where(User.id == bindparam("user_id"))
        .options(undefer(Assessment.has_submitted_respondents))
    )
    if with_organisation:
        query = query.outerjoin(
            Organisation, Organisation.id == Assessment.organisation_id
        ).options(contains_eager(Assessment.organisation))
    return query


def load_user_and_assessment(
    user_id: int, assessment_id: int, with_organisation: bool = True
) -> tuple[User | None, Assessment | None]:
    """The session's user, read in the same statement as the assessment the address names (and
    its organisation, which pages show and saves do not need). While the caller holds the
    assessment (the session's identity map keeps only weak references), `get_assessment` finds
    it there and checks access as always, without a second query. Used by the login manager on
    every page about one assessment."""
    found = db.session.execute(
        _user_and_assessment(with_organisation),
        {"user_id": user_id, "assessment_id": assessment_id},
    ).first()
    return (found[0], found[1]) if found else (None, None)


def require_manager(user: User) -> None:
    """Consultants and admins manage (reopen, assign, create organisations)."""
    if user.role not in ("admin", "consultant"):
        raise Forbidden()


def require_admin(user: User) -> None:
    """Only admins manage users and banks."""
    if user.role != "admin":
        raise Forbidden()
