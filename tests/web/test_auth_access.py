"""Accounts, roles and access: one organisation never sees another's data."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token


@pytest.fixture()
def two_orgs(factory):
    a = factory.organisation("Valsts ieņēmumu dienests")
    b = factory.organisation("Pilsonības un migrācijas lietu pārvalde")
    factory.user("ilze@example.lv", "member", a)
    factory.user("peteris@example.lv", "member", b)
    factory.user("janis@example.lv", "consultant", a)
    factory.user("admin@example.lv", "admin")
    return a, b, factory.assessment(a), factory.assessment(b)


def test_login_with_wrong_password_is_refused(client, auth, two_orgs):
    response = auth.login("ilze@example.lv", "wrong password!")
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True) or \
        "Nepareizs" in response.get_data(as_text=True)


def test_password_is_hashed_with_argon2(app, two_orgs):
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ilze@example.lv"))
        assert user.password_hash.startswith("$argon2")
        assert "correct horse" not in user.password_hash


def test_member_cannot_see_other_organisation(client, auth, two_orgs):
    a, b, assess_a, assess_b = two_orgs
    auth.login("ilze@example.lv")
    assert client.get(f"/assessments/{assess_a}").status_code == 200
    for url in [f"/organisations/{b}", f"/assessments/{assess_b}",
                f"/assessments/{assess_b}/dimensions/values", f"/assessments/{assess_b}/review",
                f"/assessments/{assess_b}/export.json", f"/assessments/{assess_b}/export.csv",
                f"/assessments/{assess_b}/export.csv?sep=;",
                f"/assessments/{assess_b}/export.xlsx", f"/assessments/{assess_b}/actions.xlsx",
                f"/assessments/{assess_b}/report", f"/assessments/{assess_b}/report.pdf",
                f"/assessments/{assess_b}/report.docx",
                f"/organisations/{b}/assessments/new", f"/organisations/{b}/import"]:
        assert client.get(url).status_code == 404, url
    listing = client.get("/organisations/").get_data(as_text=True)
    assert "Pilsonības" not in listing


def test_member_cannot_write_to_other_organisation(client, auth, two_orgs):
    a, b, assess_a, assess_b = two_orgs
    auth.login("ilze@example.lv")
    token = csrf_token(client, f"/assessments/{assess_a}/dimensions/values")
    response = client.post(f"/assessments/{assess_b}/dimensions/values",
                           data={"csrf_token": token, "q-values.mission-answer": "4"})
    assert response.status_code == 404
    response = client.post(f"/assessments/{assess_b}/state/completed",
                           data={"csrf_token": token})
    assert response.status_code == 404


def test_consultant_sees_only_assigned_organisations(client, auth, two_orgs):
    a, b, assess_a, assess_b = two_orgs
    auth.login("janis@example.lv")
    assert client.get(f"/organisations/{a}").status_code == 200
    assert client.get(f"/organisations/{b}").status_code == 404


def test_admin_sees_everything_and_member_not_admin_pages(client, auth, two_orgs):
    a, b, *_ = two_orgs
    auth.login("admin@example.lv")
    assert client.get(f"/organisations/{b}").status_code == 200
    assert client.get("/admin/users").status_code == 200
    auth.logout()
    auth.login("ilze@example.lv")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/organisations/new").status_code == 403


def test_post_without_csrf_token_is_refused(client, auth, two_orgs):
    a, b, assess_a, _ = two_orgs
    auth.login("ilze@example.lv")
    response = client.post(f"/assessments/{assess_a}/state/completed", data={})
    assert response.status_code == 400


def test_change_password(client, auth, two_orgs):
    auth.login("ilze@example.lv")
    token = csrf_token(client, "/password")
    bad = client.post("/password", data={"csrf_token": token, "current": "nope",
                                         "new": "a new long password", "repeat":
                                         "a new long password"})
    assert bad.status_code == 400
    ok = client.post("/password", data={"csrf_token": token, "current": "correct horse battery",
                                        "new": "a new long password",
                                        "repeat": "a new long password"})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("ilze@example.lv", "a new long password").status_code == 302


def test_login_is_throttled(app, two_orgs):
    """Ten failed logins per account and address in five minutes; the eleventh gets 429."""
    from assessment import create_app
    from tests.conftest import Auth

    # A fresh app: the limiter is bound to the last app initialised, and other tests create
    # apps with throttling switched off.
    throttled = create_app({**{k: app.config[k] for k in ("SECRET_KEY",
                                                           "SQLALCHEMY_DATABASE_URI")},
                            "TESTING": True, "RATELIMIT_ENABLED": True,
                            "RATELIMIT_STORAGE_URI": "memory://",
                            "LOGIN_RATE_LIMIT": "10 per 5 minutes"})
    auth = Auth(throttled.test_client())
    codes = [auth.login("ilze@example.lv", "wrong password!").status_code for _ in range(12)]
    assert codes[0] == 401 and codes[9] == 401 and codes[-1] == 429


def test_open_redirect_is_refused(client, auth, two_orgs):
    token = csrf_token(client, "/login")
    response = client.post("/login?next=https://evil.example/x",
                           data={"email": "ilze@example.lv", "password": "correct horse battery",
                                 "csrf_token": token})
    assert response.status_code == 302 and response.location == "/"


def test_language_switch_is_remembered(client):
    client.get("/lang/en")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    assert client.get("/lang/en?next=//evil.example").location == "/"
