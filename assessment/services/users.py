"""Accounts: creating users, checking passwords (argon2), changing them."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from ..extensions import db
from ..models import ROLES, Organisation, User
from .errors import Invalid
from .passwords import ENGLISH, MIN_PASSWORD, password_problem  # noqa: F401 - MIN_PASSWORD

_hasher = PasswordHasher()  # argon2id


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """Whether `password` is the user's, in constant time."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = None


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same work either way)."""
    global _DUMMY_HASH
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not-a-password")
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None
    return user if check_password(user, password) else None


def create_user(
    email: str, password: str, role: str, organisation: Organisation | None = None, name: str = ""
) -> User:
    """A new user; the email must be new and the password long enough."""
    email = email.strip().lower()
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise Invalid("not an email address")
    problem = password_problem(password, email)
    if problem:
        raise Invalid(ENGLISH[problem])
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Invalid(f"a user with the email {email} exists already")
    if role in ("member", "viewer") and organisation is None:
        raise Invalid(f"a {role} belongs to an organisation: give --organisation")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=role,
        organisation_id=organisation.id if organisation else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def email_taken(email: str) -> bool:
    """Whether a user with this e-mail address (any case) exists."""
    email = (email or "").strip().lower()
    return db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one."""
    if not check_password(user, current):
        raise Invalid("current")
    problem = password_problem(new, user.email)
    if problem:
        raise Invalid(problem)
    user.password_hash = hash_password(new)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session cookie issued to `user` so far stops working (logout, password change)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def get_user(user_id: int | None) -> User | None:
    """The user with this id, or None (also for no id)."""
    return db.session.get(User, user_id) if user_id else None


def all_users() -> list[User]:
    """Every user, by e-mail address."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def members_of(org: Organisation) -> list[User]:
    """The organisation's members (and viewers), by e-mail address."""
    return list(
        db.session.scalars(select(User).where(User.organisation_id == org.id).order_by(User.email))
    )


def assignable_users() -> list[User]:
    """Consultants and members, by e-mail address: whom an admin may assign to an
    organisation."""
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(("consultant", "member"))).order_by(User.email)
        )
    )


def set_language(user: User, code: str) -> None:
    """Remember the user's UI language ("lv" or "en")."""
    user.language = code
    db.session.flush()
