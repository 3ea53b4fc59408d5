"""The request boundary (assessment/transactions.py): one commit per request below 400, a
rollback from 400 up unless the request kept its writes (4xx only), a rollback after an
exception, and a failed commit answered by its error page — through real requests, of a tiny
blueprint on an app of its own and of the application's own routes."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from assessment import create_app, transactions
from assessment.extensions import db
from assessment.models import AuditEvent, Organisation, User
from tests.conftest import DEFAULT_PASSWORD, csrf_token

#: The tiny blueprint's routes write one organisation named by the address, flush it, and end
#: as asked. GET routes: the test app keeps CSRF on, as the application does.
probe = Blueprint("boundary_probe", __name__, url_prefix="/_boundary")


def add(name: str) -> None:
    db.session.add(Organisation(name=name))
    db.session.flush()


@probe.get("/add/<name>/<int:status>")
def add_and_answer(name: str, status: int):
    add(name)
    return "done", status


@probe.get("/keep/<name>/<int:status>")
def add_keep_and_answer(name: str, status: int):
    add(name)
    transactions.keep_on_error()
    return "refused, kept", status


#: What the probe's after-commit callbacks saw, in order.
DONE_AFTER_COMMIT: list[str] = []


@probe.get("/after/<name>/<int:status>")
def add_with_an_after_commit_step(name: str, status: int):
    add(name)
    transactions.after_commit(lambda: DONE_AFTER_COMMIT.append(name))
    return "done", status


@probe.get("/abort/<name>")
def add_and_abort(name: str):
    add(name)
    abort(403)


@probe.get("/raise/<name>")
def add_and_raise(name: str):
    add(name)
    transactions.keep_on_error()  # a server error rolls back all the same
    raise RuntimeError("a bug in a view")


@probe.get("/unflushed/<name>")
def add_unflushed(name: str):
    """Only the commit's flush sees the clash with an existing name (unique constraint)."""
    db.session.add(Organisation(name=name))
    return "done", 200


@pytest.fixture(scope="module")
def probe_app(app):
    """The application with the probe blueprint, on the test database; exceptions become the
    500 page as in production (not re-raised into the test)."""
    application = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SECRET_KEY": "boundary-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    application.register_blueprint(probe)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def probe_client(probe_app):
    return probe_app.test_client()


def names(flask_app) -> set[str]:
    """The organisations stored, read by a new session (what another request would see)."""
    with flask_app.app_context():
        db.session.remove()
        return set(db.session.scalars(select(Organisation.name)))


def assert_error_page(response, status: int) -> None:
    """The registered error page, with the security headers, never a traceback."""
    body = response.get_data(as_text=True)
    assert response.status_code == status, (response.status_code, body[:500])
    assert response.mimetype == "text/html"
    assert "<h1>" in body
    for leak in ("Traceback", "IntegrityError", "OperationalError", "StaleDataError", "sqlite"):
        assert leak not in body
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


# --- the boundary, through the probe ----------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 302, 303])
def test_a_success_or_a_redirect_commits(probe_app, probe_client, status):
    response = probe_client.get(f"/_boundary/add/Saved/{status}")
    assert response.status_code == status
    assert names(probe_app) == {"Saved"}


@pytest.mark.parametrize("status", [400, 404, 409, 422, 429])
def test_a_refusal_rolls_back_what_the_view_flushed(probe_app, probe_client, status):
    assert probe_client.get(f"/_boundary/add/Refused/{status}").status_code == status
    assert names(probe_app) == set()


def test_an_aborted_request_rolls_back(probe_app, probe_client):
    assert probe_client.get("/_boundary/abort/Forbidden").status_code == 403
    assert names(probe_app) == set()


@pytest.mark.parametrize("status", [400, 409, 429])
def test_keep_on_error_keeps_a_refused_requests_writes(probe_app, probe_client, status):
    assert probe_client.get(f"/_boundary/keep/Kept/{status}").status_code == status
    assert names(probe_app) == {"Kept"}


def test_keep_on_error_keeps_nothing_of_a_server_error(probe_app, probe_client):
    assert probe_client.get("/_boundary/keep/Failed/503").status_code == 503
    assert names(probe_app) == set()


def test_an_exception_rolls_back_and_gets_the_500_page(probe_app, probe_client):
    response = probe_client.get("/_boundary/raise/Broken")
    assert_error_page(response, 500)
    assert "a bug in a view" not in response.get_data(as_text=True)
    assert names(probe_app) == set()


def test_a_commit_that_fails_on_a_unique_key_gets_the_409_page(probe_app, probe_client):
    """The clash is seen by the commit's flush only, after the view answered 200."""
    assert probe_client.get("/_boundary/add/Twice/200").status_code == 200
    response = probe_client.get("/_boundary/unflushed/Twice")
    assert_error_page(response, 409)
    assert names(probe_app) == {"Twice"}
    # The session is usable again: the next request commits.
    assert probe_client.get("/_boundary/add/After/200").status_code == 200
    assert names(probe_app) == {"Twice", "After"}


@pytest.mark.parametrize(
    "error, status",
    [
        (OperationalError("COMMIT", {}, Exception("server closed the connection")), 503),
        (IntegrityError("COMMIT", {}, Exception("duplicate key")), 409),
        (StaleDataError("a row changed meanwhile"), 409),
        (InvalidRequestError("no handler for this one"), 500),
    ],
    ids=["operational-503", "integrity-409", "stale-409", "unhandled-500"],
)
def test_a_commit_that_fails_gets_its_error_page_and_keeps_nothing(
    probe_app, probe_client, monkeypatch, error, status
):
    def failing_commit():
        raise error

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = probe_client.get("/_boundary/add/Lost/200")
    monkeypatch.undo()
    assert_error_page(response, status)
    assert names(probe_app) == set()


def test_after_commit_runs_only_once_the_writes_are_stored(probe_app, probe_client, monkeypatch):
    """E-mailing a new link waits for the commit: nothing is sent for a refused request or a
    commit that fails."""
    DONE_AFTER_COMMIT.clear()
    assert probe_client.get("/_boundary/after/Stored/302").status_code == 302
    assert DONE_AFTER_COMMIT == ["Stored"] and names(probe_app) == {"Stored"}
    assert probe_client.get("/_boundary/after/Refused/400").status_code == 400
    assert DONE_AFTER_COMMIT == ["Stored"]

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = probe_client.get("/_boundary/after/Lost/200")
    monkeypatch.undo()
    assert_error_page(response, 503)
    assert DONE_AFTER_COMMIT == ["Stored"] and names(probe_app) == {"Stored"}


def test_the_health_check_reads_through_a_service_and_answers(probe_client):
    response = probe_client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


# --- the application's own routes ---------------------------------------------------------------


@pytest.fixture()
def admin(factory, auth):
    factory.user("admin@example.lv", "admin")
    assert auth.login("admin@example.lv").status_code == 302
    return "admin@example.lv"


def stored(app, model, *where) -> int:
    with app.app_context():
        db.session.remove()
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_created_organisation_is_committed_by_the_boundary(app, client, admin):
    token = csrf_token(client, "/organisations/new")
    response = client.post("/organisations/new", data={"name": "Jauna", "csrf_token": token})
    assert response.status_code == 302
    assert stored(app, Organisation, Organisation.name == "Jauna") == 1


def test_a_refused_organisation_form_stores_nothing(app, client, admin, factory):
    factory.organisation("Esoša")
    token = csrf_token(client, "/organisations/new")
    response = client.post("/organisations/new", data={"name": "esoša", "csrf_token": token})
    assert response.status_code == 400
    assert stored(app, Organisation) == 1


def test_a_failed_commit_of_a_real_page_gets_the_503_page(app, client, admin, monkeypatch):
    token = csrf_token(client, "/organisations/new")

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post("/organisations/new", data={"name": "Pazudusi", "csrf_token": token})
    monkeypatch.undo()
    assert_error_page(response, 503)
    assert stored(app, Organisation, Organisation.name == "Pazudusi") == 0


def test_the_language_switch_is_committed(app, client, admin):
    assert client.get("/lang/en").status_code == 302
    assert stored(app, User, User.email == admin, User.language == "en") == 1


def test_a_failed_login_answers_401_and_changes_nothing(app, client, factory):
    """A failed login writes nothing to the database, so the rollback of its 401 loses
    nothing (no keep_on_error); its throttling count lives in the limiter's store
    (tests/web/test_throttling.py: the eleventh failure is 429)."""
    factory.user("ilze@example.lv", "member", factory.organisation())
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": "ilze@example.lv", "password": "wrong!", "csrf_token": token}
    )
    assert response.status_code == 401
    assert stored(app, AuditEvent) == 0
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ilze@example.lv"))
        assert user.session_version == 0 and user.language is None


def test_a_refused_password_change_changes_nothing(app, client, factory, auth):
    factory.user("ilze@example.lv", "member", factory.organisation())
    auth.login("ilze@example.lv")
    token = csrf_token(client, "/password")
    response = client.post(
        "/password",
        data={
            "current": "not the password",
            "new": "a brand new long password",
            "repeat": "a brand new long password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert stored(app, User, User.session_version == 0) == 1
    assert client.get("/").status_code == 200  # still logged in under the same version


def test_logout_commits_the_new_session_version(app, client, factory, auth):
    factory.user("ilze@example.lv", "member", factory.organisation())
    auth.login("ilze@example.lv", DEFAULT_PASSWORD)
    assert auth.logout().status_code == 302
    assert stored(app, User, User.session_version == 1) == 1
