"""Configuration from the environment, with safe defaults for one machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .domain.i18n import DEFAULT_LANGUAGE, languages


def instance_secret(instance_path: str) -> str:
    """The SECRET_KEY kept in instance/, generated once when absent."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _months(raw: str | None, default: int) -> int:
    """A whole number of months from the environment (1–1200); the default when unset or bad."""
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if 1 <= value <= 1200 else default


def from_environment(instance_path: str) -> dict:
    """Settings read from the environment; everything has a default."""
    storage_uri = (
        os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    )
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "assessment.db")
    )
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # A server can restart under a pooled connection: test it before use. An SQLite file
        # cannot go away like that, and the test would be a statement on every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "RATELIMIT_STORAGE_URI": storage_uri,
        # A Redis that does not answer must not hold a login up: give up quickly and count in
        # memory meanwhile (Flask-Limiter's fallback).
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}
        if storage_uri.startswith(("redis://", "rediss://"))
        else {},
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "assessment"),
        "RATELIMIT_SWALLOW_ERRORS": True,  # a store failing mid-request: logged, never a 500
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        # Respondents' names and e-mails are erased this many months after the assessment
        # is completed (privacy notice; `assessment purge-personal-data`, also run at start).
        "PERSONAL_DATA_MONTHS": _months(os.environ.get("PERSONAL_DATA_MONTHS"), 24),
        # Requests per API token (README "JSON API").
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300 per minute"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure (HTTPS only) unless SESSION_COOKIE_SECURE=0: `make run` on plain
        # http://127.0.0.1 turns it off explicitly.
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "1").strip().lower()
        not in ("0", "false", "no", "off"),
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME", 8 * 3600)),
        # CSRF tokens live as long as the session; an expired one never loses answers (see
        # questionnaire views), it only asks the user to confirm.
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("CSRF_TIME_LIMIT", 8 * 3600)),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        # Behind a TLS proxy: how many proxies' X-Forwarded-For/-Proto to trust (ProxyFix).
        "TRUSTED_PROXY_HOPS": int(os.environ.get("TRUSTED_PROXY_HOPS", "0") or 0),
        # Invitations by e-mail (Flask-Mailman) when MAIL_SERVER is set; without it the
        # facilitator hands the links on (copy, CSV).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25") or 25),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "").strip().lower()
        in ("1", "true", "yes", "on"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or "noreply@localhost",
        "MAIL_TIMEOUT": 10,
        # Always SMTP (Flask-Mailman would keep mail in memory under TESTING; the tests talk
        # to a real local SMTP server instead).
        "MAIL_BACKEND": "smtp",
        # The interface's languages: those with catalogues in assessment/translations/
        # (domain.i18n.languages(), docs/i18n.md), the default first.
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "LANGUAGES": languages(),
    }
