"""Organisations: create, edit, assign consultants and members."""

from __future__ import annotations

from sqlalchemy import Row, func, or_, select

from ..extensions import db
from ..models import Assessment, ConsultantAssignment, Organisation, User
from .access import visible_organisations
from .errors import Invalid


def clean_segments(text: str) -> list[str]:
    """One client segment a line, blanks dropped, at most 50."""
    return [line.strip()[:200] for line in text.splitlines() if line.strip()][:50]


def same_name(name: str):
    """The name, ignoring case — or exactly: SQLite's (and PostgreSQL's C locale's) lower()
    folds only ASCII, so "ÄB" would otherwise pass the check and fail the unique constraint."""
    return or_(func.lower(Organisation.name) == name.lower(), Organisation.name == name)


def create_organisation(
    name: str,
    kind: str = "",
    branches: int = 0,
    segments: list[str] | None = None,
    consultant: User | None = None,
) -> Organisation:
    """A new organisation; a consultant who creates one is assigned to it."""
    name = name.strip()
    if not name:
        raise Invalid("name")
    if db.session.scalar(select(Organisation.id).where(same_name(name))) is not None:
        raise Invalid("exists")
    org = Organisation(
        name=name, kind=kind.strip(), branches=branches or 0, segments=segments or []
    )
    db.session.add(org)
    db.session.flush()
    if consultant is not None and consultant.role == "consultant":
        assign_consultant(org, consultant)
    return org


def find_organisation(name: str) -> Organisation | None:
    """The organisation with this name (ignoring case, as the uniqueness check does), or None."""
    return db.session.scalar(select(Organisation).where(same_name(name.strip())).limit(1))


def find_or_create_organisation(name: str) -> Organisation:
    """The organisation with this name (ignoring case), created when absent."""
    return find_organisation(name) or create_organisation(name)


def update_organisation(
    org: Organisation, name: str, kind: str, branches: int, segments: list[str]
) -> Organisation:
    """Change an organisation's details; the name stays unique."""
    name = name.strip()
    clash = db.session.scalar(
        select(Organisation.id).where(same_name(name), Organisation.id != org.id)
    )
    if clash is not None:
        raise Invalid("exists")
    org.name, org.kind, org.branches, org.segments = name, kind.strip(), branches or 0, segments
    db.session.flush()
    return org


def assign_consultant(org: Organisation, user: User) -> None:
    """Let a consultant manage this organisation."""
    if user.role != "consultant":
        raise Invalid("not a consultant")
    if db.session.get(ConsultantAssignment, (user.id, org.id)) is None:
        db.session.add(ConsultantAssignment(user_id=user.id, organisation_id=org.id))
        db.session.flush()


def set_member(org: Organisation, user: User) -> None:
    """Make a member belong to this organisation."""
    if user.role != "member":
        raise Invalid("not a member")
    user.organisation_id = org.id
    db.session.flush()


def all_organisations() -> list[Organisation]:
    """Every organisation, by name (the administrators' choices)."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_by_id(organisation_id: int | None) -> Organisation | None:
    """The organisation with this id, or None (also for no id)."""
    return db.session.get(Organisation, organisation_id) if organisation_id else None


def visible_list(user: User, limit: int = 200) -> list[Organisation]:
    """The organisations `user` may see, by name, at most `limit`."""
    return list(
        db.session.scalars(visible_organisations(user).order_by(Organisation.name).limit(limit))
    )


def visible_page(user: User, search: str, page: int, size: int) -> tuple[list[Row], int]:
    """One page of the organisations `user` may see whose name contains `search` (any case),
    by name, and how many there are in all. The page's lines are plain rows of what the list
    shows (id, name, kind, branches), not ORM objects: a full page is 50 lines."""
    query = visible_organisations(user)
    if search:
        # autoescape: % and _ are letters here, not LIKE wildcards.
        query = query.where(func.lower(Organisation.name).contains(search.lower(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.with_only_columns(
            Organisation.id, Organisation.name, Organisation.kind, Organisation.branches
        )
        .order_by(Organisation.name)
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return list(rows), total


def assessments_of(org: Organisation) -> list[Assessment]:
    """The organisation's assessments, newest first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == org.id)
            .order_by(Assessment.created_at.desc())
        )
    )
