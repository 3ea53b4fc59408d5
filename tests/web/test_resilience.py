"""The database is gone: friendly 503 pages, /healthz says so, never a 500 or a traceback
(issue 6, item 7). The app points at a PostgreSQL port where nothing listens."""

from __future__ import annotations

import pytest

from assessment import create_app
from tests.conftest import csrf_token

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


@pytest.fixture(scope="module")
def dead_app(tmp_path_factory):
    """The production app (no TESTING) whose database cannot be reached."""
    return create_app(
        {
            "SECRET_KEY": "resilience-secret",
            "SQLALCHEMY_DATABASE_URI": DEAD_DATABASE,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )


@pytest.fixture()
def dead(dead_app):
    return dead_app.test_client()


def assert_friendly_503(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, body[:500])
    assert response.mimetype == "text/html"
    assert "<h1>" in body and "Traceback" not in body and "psycopg" not in body
    assert "OperationalError" not in body and "127.0.0.1:1" not in body


def test_healthz_reports_unavailable(dead):
    response = dead.get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    assert response.get_json()["status"] == "unavailable"


def test_pages_without_database_still_render(dead):
    assert dead.get("/login").status_code == 200
    assert dead.get("/accessibility").status_code == 200


def test_login_attempt_gets_friendly_503(dead):
    response = dead.post(
        "/login",
        data={
            "email": "ilze@example.lv",
            "password": "correct horse battery",
            "csrf_token": csrf_token(dead, "/login"),
        },
    )
    assert_friendly_503(response)


def test_anonymous_questionnaire_save_gets_friendly_503(dead, dead_app):
    """The session-ended rescue of answers needs the database too: say so, do not crash."""
    from assessment.services.kept import page_value

    with dead_app.test_request_context():
        keep = page_value(1, 1, "values")  # as the page served to user 1 carried it
    response = dead.post(
        "/assessments/1/dimensions/values",
        data={
            "q-values.mission-answer": "3",
            "action": "save",
            "keep": keep,
            "csrf_token": csrf_token(dead, "/login"),
        },
    )
    assert_friendly_503(response)


@pytest.mark.parametrize(
    "url", ["/", "/organisations/", "/assessments/1", "/assessments/1/dimensions/values"]
)
def test_logged_in_pages_get_friendly_503(dead, url):
    """A signed-in session whose user cannot be loaded: 503 page, not a 500."""
    with dead.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    assert_friendly_503(dead.get(url))


def test_json_export_gets_json_503(dead):
    with dead.session_transaction() as session:
        session["_user_id"] = "1"
    response = dead.get("/assessments/1/export.json")
    assert response.status_code == 503
    assert response.is_json
