"""Personal API tokens: created (shown once), stored hashed, looked up, revoked.

A token reads `kas_<public id>_<secret>`: the public id (12 characters) finds the row, the
secret (32 random bytes) is kept only as its SHA-256, compared in constant time. The token
acts as its user, with exactly that user's access (services.access); a `read` token cannot
write. A revoked token, or one of a deactivated user, authenticates nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, User, utcnow
from .errors import Invalid, NotFound

PREFIX = "kas"
SCOPES = ("read", "write")
MAX_NAME = 100
MAX_TOKENS = 20  # per user, not revoked
TOKEN_SHAPE = re.compile(r"kas_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create_token(user: User, name: str = "", scope: str = "write") -> tuple[ApiToken, str]:
    """A new token of `user`; returns the row and the token text (shown this once only)."""
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise Invalid("token_name")
    if scope not in SCOPES:
        raise Invalid("token_scope")
    if len(active_tokens(user)) >= MAX_TOKENS:
        raise Invalid("token_many")
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    public_id = "".join(secrets.choice(alphabet) for _ in range(12))
    secret = secrets.token_urlsafe(32)  # 43 characters
    row = ApiToken(
        user_id=user.id, public_id=public_id, secret_hash=_hash(secret), name=name, scope=scope
    )
    db.session.add(row)
    db.session.flush()
    return row, f"{PREFIX}_{public_id}_{secret}"


def public_id_of(text: str | None) -> str | None:
    """The public id of a token as sent (not yet checked), or None when it is not one."""
    match = TOKEN_SHAPE.fullmatch(text or "")
    return match.group(1) if match else None


def authenticate(text: str | None) -> ApiToken | None:
    """The live token `text` names (its user loaded), or None: unknown, wrong secret, revoked,
    or its user deactivated."""
    match = TOKEN_SHAPE.fullmatch(text or "")
    if match is None:
        return None
    public_id, secret = match.groups()
    row = db.session.scalar(select(ApiToken).where(ApiToken.public_id == public_id))
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    if row.revoked_at is not None or row.user is None or not row.user.active:
        return None
    return row


def mark_used(row: ApiToken) -> None:
    """Remember when the token was last used (to the minute; saves a write per request)."""
    now = utcnow()
    last = row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite gives naive UTC
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or (now - last).total_seconds() >= 60:
        row.last_used_at = now


def active_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that are not revoked, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (another's, or none: NotFound)."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.flush()
    return row
