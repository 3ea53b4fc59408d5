"""Shared fixtures: the mini test bank, answers-file builders, and (later) the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.domain.bank import BankRegistry, bundled_registry, load_bank

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini_bank():
    """A five-question bank with weights, for exact scoring tests."""
    return load_bank(DATA / "mini-bank.yaml")


@pytest.fixture(scope="session")
def registry(mini_bank):
    """The bundled banks plus the mini bank."""
    reg = BankRegistry(bundled_registry())
    reg.add(mini_bank)
    return reg


def answers_doc(answers=None, bank=("mini", "0.1.0"), **extra):
    """A §3 answers document as a dict."""
    doc = {
        "format": "assessment-answers/1",
        "bank": {"id": bank[0], "version": bank[1]},
        "organisation": "Valsts ieņēmumu dienests",
        "title": "Test",
        "language": "en",
        "targets": {},
        "answers": answers or [],
    }
    doc.update(extra)
    return doc


def dump(doc) -> bytes:
    """UTF-8 JSON bytes of a document."""
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


# --- the web application ------------------------------------------------------------------------

import os  # noqa: E402

# Every app the tests build (here, in test modules and the e2e server) speaks plain http://:
# a Secure-only session cookie would never come back. Production keeps the Secure default.
os.environ["SESSION_COOKIE_SECURE"] = "0"

from assessment import create_app  # noqa: E402
from assessment.extensions import db as _db  # noqa: E402

DEFAULT_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Cheap argon2 parameters in tests: the hash format and checks stay the same."""
    from argon2 import PasswordHasher

    from assessment.services import users

    original = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = original


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app for the session, its database migrated once (SQLite file, or TEST_DATABASE_URL)."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    )
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            # The test client speaks plain http://localhost: a Secure cookie would not come back.
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with application.app_context():
        from assessment.commands import init_database

        _reset_schema(url)
        init_database()
    yield application


def _reset_schema(url: str) -> None:
    """Start from an empty database (a PostgreSQL test database may hold an earlier run)."""
    if url.startswith("postgresql"):
        from sqlalchemy import text

        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Each test that uses the app starts with no rows but the bundled banks."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name != "banks":
                    conn.execute(table.delete())
            conn.execute(
                _db.metadata.tables["banks"]
                .delete()
                .where(_db.metadata.tables["banks"].c.origin != "bundled")
            )


@pytest.fixture()
def client(app):
    """A test client (CSRF on, as in production: use `csrf_token(client, url)`)."""
    return app.test_client()


@pytest.fixture()
def runner(app):
    """The CLI runner bound to the app."""
    return app.test_cli_runner()


@pytest.fixture()
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield
        _db.session.rollback()


def csrf_token(client, url: str) -> str:
    """Fetch a page and read its CSRF token."""
    import re

    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


class Factory:
    """Builds organisations, users and assessments through the service layer."""

    def __init__(self, app):
        self.app = app

    def organisation(self, name="Valsts ieņēmumu dienests", **kw):
        from assessment.services.organisations import create_organisation

        with self.app.app_context():
            org = create_organisation(name, **kw)
            _db.session.commit()
            return org.id

    def user(self, email, role="member", org_id=None, password=DEFAULT_PASSWORD):
        from assessment.models import Organisation
        from assessment.services.organisations import assign_consultant
        from assessment.services.users import create_user

        with self.app.app_context():
            org = _db.session.get(Organisation, org_id) if org_id else None
            user = create_user(email, password, role, org if role in ("member", "viewer") else None)
            if role == "consultant" and org is not None:
                assign_consultant(org, user)
            _db.session.commit()
            return user.id

    def assessment(
        self,
        org_id,
        title="Pašnovērtējums 2026",
        language="lv",
        bank=("lv-customer-service-2013", "1.0.0"),
    ):
        from assessment.models import Organisation
        from assessment.services.assessments import create_assessment
        from assessment.services.banks import get_bank

        with self.app.app_context():
            org = _db.session.get(Organisation, org_id)
            item = create_assessment(org, get_bank(*bank), title, language, {}, None)
            _db.session.commit()
            return item.id


@pytest.fixture()
def factory(app):
    """Factories for test data."""
    return Factory(app)


class Auth:
    """Log a client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=DEFAULT_PASSWORD):
        token = csrf_token(self.client, "/login")
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture()
def auth(client):
    """Login helper for `client`."""
    return Auth(client)
