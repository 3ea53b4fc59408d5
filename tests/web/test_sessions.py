"""Sessions that end: logout and a password change end every copy of the session cookie."""

from __future__ import annotations

import pytest

from tests.conftest import DEFAULT_PASSWORD, csrf_token


@pytest.fixture()
def member(factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    return org, factory.assessment(org)


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def with_cookie(app, value: str):
    """Another browser holding a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_cookie_copied_before_logout_is_refused_after_it(app, client, auth, member):
    org, assessment = member
    auth.login("ilze@example.lv")
    stolen = session_cookie(client)
    thief = with_cookie(app, stolen)
    assert thief.get(f"/assessments/{assessment}").status_code == 200  # the copy works...
    auth.logout()
    response = thief.get(f"/assessments/{assessment}")  # ...until the owner logs out
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = thief.get(f"/assessments/{assessment}/dimensions/values")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert with_cookie(app, stolen).get("/").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, auth, member):
    org, assessment = member
    other = app.test_client()
    from tests.conftest import Auth

    Auth(other).login("ilze@example.lv")
    assert other.get(f"/assessments/{assessment}").status_code == 200
    auth.login("ilze@example.lv")
    token = csrf_token(client, "/password")
    response = client.post(
        "/password",
        data={
            "csrf_token": token,
            "current": DEFAULT_PASSWORD,
            "new": "a much longer passphrase 42",
            "repeat": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert client.get(f"/assessments/{assessment}").status_code == 200
    response = other.get(f"/assessments/{assessment}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_csrf_token_changes_at_login(client, auth, member):
    before = csrf_token(client, "/login")
    auth.login("ilze@example.lv")
    after = csrf_token(client, "/password")
    assert before != after
    # The token read before the login no longer passes.
    response = client.post(
        "/password", data={"csrf_token": before, "current": "x", "new": "y", "repeat": "y"}
    )
    assert response.status_code == 400


def test_session_id_without_version_is_refused(app, member):
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    assert other.get("/").status_code == 302


def test_session_cookie_is_secure_by_default(monkeypatch, tmp_path):
    from assessment.config import from_environment

    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    assert from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


def test_secure_flag_is_sent(app, client, auth, member):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        import re

        page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={"email": "ilze@example.lv", "password": DEFAULT_PASSWORD, "csrf_token": token},
            base_url="https://localhost",
            headers={"Referer": "https://localhost/login"},
        )
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        assert any(c.startswith("session=") and "Secure" in c for c in cookies), cookies
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
