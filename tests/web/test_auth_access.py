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
    assert "Wrong email or password" in response.get_data(
        as_text=True
    ) or "Nepareizs" in response.get_data(as_text=True)


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
    for url in [
        f"/organisations/{b}",
        f"/assessments/{assess_b}",
        f"/assessments/{assess_b}/dimensions/values",
        f"/assessments/{assess_b}/review",
        f"/assessments/{assess_b}/export.json",
        f"/assessments/{assess_b}/export.csv",
        f"/assessments/{assess_b}/export.csv?sep=;",
        f"/assessments/{assess_b}/export.xlsx",
        f"/assessments/{assess_b}/actions.xlsx",
        f"/assessments/{assess_b}/report",
        f"/assessments/{assess_b}/report.pdf",
        f"/assessments/{assess_b}/report.docx",
        f"/organisations/{b}/assessments/new",
        f"/organisations/{b}/import",
    ]:
        assert client.get(url).status_code == 404, url
    listing = client.get("/organisations/").get_data(as_text=True)
    assert "Pilsonības" not in listing


def test_member_cannot_write_to_other_organisation(client, auth, two_orgs):
    a, b, assess_a, assess_b = two_orgs
    auth.login("ilze@example.lv")
    token = csrf_token(client, f"/assessments/{assess_a}/dimensions/values")
    response = client.post(
        f"/assessments/{assess_b}/dimensions/values",
        data={"csrf_token": token, "q-values.mission-answer": "4"},
    )
    assert response.status_code == 404
    response = client.post(f"/assessments/{assess_b}/state/completed", data={"csrf_token": token})
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
    bad = client.post(
        "/password",
        data={
            "csrf_token": token,
            "current": "nope",
            "new": "a new long password",
            "repeat": "a new long password",
        },
    )
    assert bad.status_code == 400
    ok = client.post(
        "/password",
        data={
            "csrf_token": token,
            "current": "correct horse battery",
            "new": "a new long password",
            "repeat": "a new long password",
        },
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("ilze@example.lv", "a new long password").status_code == 302


def test_login_is_throttled(app, two_orgs):
    """Ten failed logins per account and address in five minutes; the eleventh gets 429."""
    from assessment import create_app
    from tests.conftest import Auth

    # A fresh app: the limiter is bound to the last app initialised, and other tests create
    # apps with throttling switched off.
    throttled = create_app(
        {
            **{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")},
            "TESTING": True,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "10 per 5 minutes",
        }
    )
    auth = Auth(throttled.test_client())
    codes = [auth.login("ilze@example.lv", "wrong password!").status_code for _ in range(12)]
    assert codes[0] == 401 and codes[9] == 401 and codes[-1] == 429


def test_open_redirect_is_refused(client, auth, two_orgs):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": "ilze@example.lv", "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302 and response.location == "/"


def test_language_switch_is_remembered(client):
    client.get("/lang/en")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    assert client.get("/lang/en?next=//evil.example").location == "/"


def test_viewer_route_matrix(app, client, auth, factory, two_orgs):
    """Every GET and POST route × the viewer: reports, the organisation and its standard can be
    read (200/302), everything else is 403; every POST is 403 (but logging out and their own
    password); another organisation's assessment is 404."""
    from tests.web.test_security_headers import addresses

    a, b, assessment_a, assessment_b = two_orgs
    factory.user("vera@example.lv", "viewer", a)
    auth.login("vera@example.lv")
    values = {
        "org_id": a,
        "assessment_id": assessment_a,
        "token": "x",
        "respondent_id": 1,
        "dimension_id": "values",
        "question_id": "values.mission",
        "state": "completed",
        "code": "en",
        "filename": "app.css",
        "number": 1,
        "section": "scope",
        "sid": 1,
        "slug": "x",
        "kind": "csv",
        "bank_id": "lv-customer-service-2013",
        "version": "1.0.0",
        "indicator_id": 1,
        "token_id": 1,
    }
    readable = (
        "/assessments/{a}/report",
        "/assessments/{a}/actions.xlsx",  # the report's plan
        "/organisations",
        "/static/",
        "/lang/",
        "/healthz",
        "/accessibility",
        "/privacy",
        "/password",
        "/login",
        "/standards/",
        "/banks/",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    )
    token = csrf_token(client, "/")
    for path, methods in addresses(app, values):
        if "GET" in methods:
            status = client.get(path).status_code
            assert status != 500, path
            if path.startswith(f"/assessments/{assessment_a}/report"):
                assert status == 200, path
            elif not path.startswith(
                tuple(r.format(a=assessment_a) for r in readable)
            ) and path not in ("/", f"/assessments/{assessment_a}"):
                assert status in (403, 404), path
        if "POST" in methods and not path.startswith(("/r/", "/logout", "/password", "/login")):
            assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert client.get(f"/assessments/{assessment_b}/report").status_code == 404


def _indicator(app, org_id):
    """A KPI register indicator of the organisation, with one figure."""
    from assessment.extensions import db
    from assessment.models import KpiIndicator, KpiValue

    with app.app_context():
        item = KpiIndicator(
            organisation_id=org_id, name="Apmierinātība", target=85.0, period_kind="quarter"
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(KpiValue(indicator_id=item.id, period="2026-Q1", value=80.0))
        db.session.commit()
        return item.id


KPI_GETS = (
    "/organisations/{org}/kpi",
    "/organisations/{org}/kpi/new",
    "/organisations/{org}/kpi/template.csv",
    "/organisations/{org}/kpi/template.xlsx",
    "/kpi/{ind}",
    "/kpi/{ind}/edit",
)
KPI_POSTS = (
    "/organisations/{org}/kpi/new",
    "/organisations/{org}/kpi/from-standard",
    "/organisations/{org}/kpi/upload",
    "/kpi/{ind}/edit",
    "/kpi/{ind}/values",
    "/kpi/{ind}/evidence",
    "/kpi/{ind}/link",
)


@pytest.mark.parametrize(
    "email,sees_b",
    [("ilze@example.lv", False), ("janis@example.lv", False), ("admin@example.lv", True)],
)
def test_kpi_register_access_by_role(app, client, auth, two_orgs, email, sees_b):
    from assessment.extensions import db
    from assessment.models import KpiValue

    a, b, *_ = two_orgs
    ind_a, ind_b = _indicator(app, a), _indicator(app, b)
    auth.login(email)
    for path in KPI_GETS:
        assert client.get(path.format(org=a, ind=ind_a)).status_code == 200, path
        expected = 200 if sees_b else 404
        assert client.get(path.format(org=b, ind=ind_b)).status_code == expected, path
    if sees_b:
        return
    token = csrf_token(client, f"/kpi/{ind_a}")
    for path in KPI_POSTS:
        response = client.post(
            path.format(org=b, ind=ind_b),
            data={
                "csrf_token": token,
                "period": "2026-Q2",
                "value": "1",
                "name": "x",
                "target": "1",
                "key": "all",
                "target_": "1",
            },
        )
        assert response.status_code == 404, path
    with app.app_context():
        assert db.session.query(KpiValue).count() == 2
