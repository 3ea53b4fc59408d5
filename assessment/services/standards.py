"""The customer service standard of an organisation: drafts, suggestions, approval, publication.

Who may do what: everyone who may see the organisation reads its standard; admins, its consultants
and its members (roles in EDITOR_ROLES) edit, approve and publish. A version is edited only while it
is a draft; approving one supersedes the approved version before it (which stays, read-only).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy import select

from ..domain import standard as doc
from ..domain.i18n import languages
from ..extensions import db
from ..models import Assessment, Organisation, Standard, StandardVersion, User, utcnow
from .errors import Forbidden, Invalid, NotFound

EDITOR_ROLES = ("admin", "consultant", "member")


def can_edit(user: User) -> bool:
    """Whether the user's role lets them edit, approve and publish (access to the organisation
    is checked before, by `get_organisation`)."""
    return user.role in EDITOR_ROLES


def require_editor(user: User) -> None:
    """Forbidden unless the user's role edits standards."""
    if not can_edit(user):
        raise Forbidden()


def slug_for(org: Organisation) -> str:
    """A stable public address part: the name in ASCII, and a random tail (names change, and the
    address must not reveal what else exists)."""
    folded = unicodedata.normalize("NFKD", org.name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:50] or "standarts"
    return f"{base}-{secrets.token_hex(4)}"


def get_standard(org: Organisation) -> Standard | None:
    """The organisation's standard, or None."""
    return db.session.scalar(select(Standard).where(Standard.organisation_id == org.id))


def get_version(standard: Standard, number: int) -> StandardVersion:
    """One version by its number, or NotFound."""
    version = db.session.scalar(
        select(StandardVersion).where(
            StandardVersion.standard_id == standard.id, StandardVersion.number == number
        )
    )
    if version is None:
        raise NotFound()
    return version


def latest(standard: Standard) -> StandardVersion | None:
    """The newest version."""
    return standard.versions[-1] if standard.versions else None


def current_approved(standard: Standard) -> StandardVersion | None:
    """The version in force."""
    return next((v for v in standard.versions if v.state == "approved"), None)


def draft_of(standard: Standard) -> StandardVersion | None:
    """The version being drafted, if any (there is at most one)."""
    return next((v for v in standard.versions if v.state == "draft"), None)


def source_assessment(version: StandardVersion) -> Assessment | None:
    """The assessment the version's suggestions came from, if any (and if it still exists)."""
    if version.source_assessment_id is None:
        return None
    return db.session.get(Assessment, version.source_assessment_id)


def organisation_of(standard: Standard) -> Organisation | None:
    """The organisation whose standard it is."""
    return db.session.get(Organisation, standard.organisation_id)


def latest_completed_assessment(org: Organisation) -> Assessment | None:
    """The organisation's most recently completed assessment."""
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.organisation_id == org.id, Assessment.state.in_(("completed", "archived"))
        )
        .order_by(Assessment.completed_at.desc().nulls_last(), Assessment.id.desc())
        .limit(1)
    )


def gap_suggestions(
    org: Organisation, content: dict[str, Any]
) -> tuple[Assessment | None, list[dict[str, Any]]]:
    """Suggestions from the gaps of the latest completed assessment (questions answered below
    their target, most important first), for what `content` does not hold yet."""
    from .banks import get_bank
    from .results import score_assessment

    assessment = latest_completed_assessment(org)
    if assessment is None:
        return None, []
    bank = get_bank(assessment.bank_id, assessment.bank_version)
    if bank is None:
        return assessment, []
    result = score_assessment(assessment, bank)
    gaps = [r.question.id for r in result.recommendations if r.kind == "next_step"]
    return assessment, doc.suggestions_from_gaps(gaps, bank.id, bank.version, content)


def create_standard(org: Organisation, language: str, user: User) -> Standard:
    """The organisation's first draft: the guideline's principles in `language`, its client groups
    in the scope, and suggestions from its latest assessment's gaps waiting for a decision."""
    require_editor(user)
    if language not in languages():
        raise Invalid("language")
    if get_standard(org) is not None:
        raise Invalid("exists")
    standard = Standard(organisation_id=org.id, language=language, public_slug=slug_for(org))
    db.session.add(standard)
    content = doc.initial_content(language, org.segments or [])
    assessment, suggestions = gap_suggestions(org, content)
    standard.versions.append(
        StandardVersion(
            number=1,
            state="draft",
            content=content,
            suggestions=suggestions,
            source_assessment_id=assessment.id if assessment else None,
            created_by_id=user.id,
            updated_by_id=user.id,
        )
    )
    db.session.flush()
    return standard


def new_version(standard: Standard, user: User) -> StandardVersion:
    """The next draft, a copy of the newest version, with fresh suggestions from the gaps."""
    require_editor(user)
    if draft_of(standard) is not None:
        raise Invalid("draft_exists")
    base = latest(standard)
    content = copy.deepcopy(base.content) if base else doc.initial_content(standard.language)
    assessment, suggestions = gap_suggestions(standard.organisation, content)
    version = StandardVersion(
        number=(base.number + 1) if base else 1,
        state="draft",
        content=content,
        suggestions=suggestions,
        source_assessment_id=assessment.id if assessment else None,
        created_by_id=user.id,
        updated_by_id=user.id,
    )
    standard.versions.append(version)
    db.session.flush()
    return version


def require_draft(version: StandardVersion) -> None:
    """Approved and superseded versions are kept as they were."""
    if version.state != "draft":
        raise Invalid("not_draft")


def save_section(version: StandardVersion, section: str, value: Any, user: User) -> None:
    """Store one component's new value (validated by the caller with domain.standard)."""
    require_editor(user)
    require_draft(version)
    if section not in doc.SECTIONS:
        raise NotFound()
    version.content = {**version.content, section: value}
    version.updated_by_id = user.id
    db.session.flush()


def refresh_suggestions(version: StandardVersion, user: User) -> int:
    """Suggestions from the latest completed assessment again; decisions already taken on an item
    are kept. Returns how many wait for a decision."""
    require_editor(user)
    require_draft(version)
    assessment, fresh = gap_suggestions(version.standard.organisation, version.content)
    decided = {s["key"]: s for s in version.suggestions if s["status"] != "pending"}
    merged = [decided.get(s["key"], s) for s in fresh]
    merged += [s for key, s in decided.items() if key not in {f["key"] for f in fresh}]
    for n, s in enumerate(merged, start=1):
        s["id"] = n
    version.suggestions = merged
    version.source_assessment_id = assessment.id if assessment else None
    version.updated_by_id = user.id
    db.session.flush()
    return sum(s["status"] == "pending" for s in merged)


def decide_suggestion(
    version: StandardVersion, suggestion_id: int, accept: bool, user: User, lang: str
) -> dict[str, Any]:
    """Accept (the item is added to its component, in the standard's language) or discard."""
    require_editor(user)
    require_draft(version)
    suggestions = copy.deepcopy(version.suggestions)
    found = next((s for s in suggestions if s["id"] == suggestion_id), None)
    if found is None:
        raise NotFound()
    if found["status"] != "pending":
        raise Invalid("decided")
    found["status"] = "accepted" if accept else "discarded"
    if accept:
        version.content = doc.apply_suggestion(version.content, found["key"], lang)
    version.suggestions = suggestions
    version.updated_by_id = user.id
    db.session.flush()
    return found


def approve(
    version: StandardVersion,
    approved_by: str,
    decision_number: str,
    approved_on: dt.date,
    user: User,
) -> StandardVersion | None:
    """Record the approval; the version approved before is superseded (and, when it was the
    published one, the public page moves to this version). Returns the superseded version."""
    require_editor(user)
    require_draft(version)
    if doc.completeness(version.content):
        raise Invalid("incomplete")
    previous = current_approved(version.standard)
    now = utcnow()
    if previous is not None:
        previous.state = "superseded"
        previous.superseded_at = now
        if previous.published:
            previous.published = False
            version.published = True
            version.published_at = now
    version.state = "approved"
    version.approved_by = approved_by
    version.decision_number = decision_number
    version.approved_on = approved_on
    version.approval_recorded_by_id = user.id
    version.approval_recorded_at = now
    db.session.flush()
    return previous


def publish(standard: Standard, user: User, on: bool) -> StandardVersion:
    """Show the approved version on the public page, or take it off."""
    require_editor(user)
    version = current_approved(standard)
    if version is None:
        raise Invalid("nothing_approved")
    for v in standard.versions:
        v.published = False
    if on:
        version.published = True
        version.published_at = utcnow()
    db.session.flush()
    return version


def public_version(slug: str) -> tuple[Standard, StandardVersion] | None:
    """What the public address shows: the published version, only while it is approved."""
    found = db.session.execute(
        select(Standard, StandardVersion)
        .join(StandardVersion, StandardVersion.standard_id == Standard.id)
        .where(
            Standard.public_slug == slug,
            StandardVersion.published.is_(True),
            StandardVersion.state == "approved",
        )
        .limit(1)
    ).first()
    return (found[0], found[1]) if found else None
