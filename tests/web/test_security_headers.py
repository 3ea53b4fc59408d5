"""Security headers on every response: every route × every role × GET and POST, errors too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[2]

REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def csp_of(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = " ".join(words[1:])
    return out


def check_headers(response, path: str, https: bool = False) -> None:
    where = f"{response.status_code} {path}"
    csp = csp_of(response)
    for directive, value in REQUIRED_CSP.items():
        assert csp.get(directive) == value, (where, directive, csp)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    expected_referrer = "no-referrer" if path.startswith("/r/") else "same-origin"
    assert response.headers.get("Referrer-Policy") == expected_referrer, where
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions, (where, permissions)
    if https:
        assert response.headers.get("Strict-Transport-Security", "").startswith("max-age="), where
    else:
        assert "Strict-Transport-Security" not in response.headers, where
    if not path.startswith("/static/"):
        assert response.headers.get("Cache-Control") == "no-store", where


@pytest.fixture()
def world(app, client, auth, factory):
    """One organisation with an assessment, a respondent link and users of every role."""
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    factory.user("janis@example.lv", "consultant", org)
    factory.user("admin@example.lv", "admin")
    factory.user("vera@example.lv", "viewer", org)
    assessment = factory.assessment(org)
    auth.login("janis@example.lv")
    url = f"/assessments/{assessment}/respondents"
    client.post(url, data={"csrf_token": csrf_token(client, url), "people": "Anna"})
    token = re.search(
        r'id="link-\d+"[^>]*value="http[^"]+/r/([^/"]+)/"', client.get(url).get_data(as_text=True)
    ).group(1)
    auth.logout()
    from assessment.extensions import db
    from assessment.models import Respondent

    with app.app_context():
        respondent_id = db.session.query(Respondent.id).scalar()
        from assessment.models import KpiIndicator

        indicator = KpiIndicator(organisation_id=org, name="Apmierinātība", target=85.0)
        db.session.add(indicator)
        db.session.commit()
        indicator_id = indicator.id
        from assessment.models import User
        from assessment.services.tokens import create_token

        api_token, _text = create_token(
            db.session.query(User).filter_by(email="ilze@example.lv").one(), "headers"
        )
        db.session.commit()
        token_id = api_token.id
    return {
        "org_id": org,
        "assessment_id": assessment,
        "token": token,
        "respondent_id": respondent_id,
        "dimension_id": "values",
        "question_id": "values.mission",
        "state": "completed",
        "code": "en",
        "filename": "app.css",
        "number": 1,
        "section": "scope",
        "sid": 1,
        "slug": "no-such-standard",
        "indicator_id": indicator_id,
        "token_id": token_id,
        "kind": "csv",
        "bank_id": "lv-customer-service-2013",
        "version": "1.0.0",
    }


def addresses(app, values):
    """Every registered route with its arguments filled in, and the methods it takes (several
    rules may share one address, each with its own methods)."""
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(r"<(?:[a-z]+:)?" + name + ">", str(values[name]), path)
        methods.setdefault(path, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    for path, taken in methods.items():
        yield path, sorted(taken)


@pytest.mark.parametrize(
    "role", [None, "ilze@example.lv", "janis@example.lv", "admin@example.lv", "vera@example.lv"]
)
def test_every_route_sends_the_security_headers(app, client, auth, world, role):
    if role:
        auth.login(role)
    statuses = set()
    for path, methods in addresses(app, world):
        for method in ("GET", "POST"):
            # POST without a CSRF token (400), GET on a POST-only route (405), and so on.
            response = client.open(path, method=method)
            statuses.add(response.status_code)
            check_headers(response, path)
            if method not in methods:
                assert response.status_code == 405, (method, path)
    for path in (
        "/no-such-page",
        "/assessments/999999",
        "/r/not-a-token/",
        "/r/not-a-token/values",
    ):
        response = client.get(path)
        statuses.add(response.status_code)
        check_headers(response, path)
    expected = {200, 302, 400, 404, 405} | (
        {403} if role in ("ilze@example.lv", "vera@example.lv") else set()
    )
    assert expected <= statuses, statuses


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_pdf_csv_and_json_carry_the_headers(client, auth, world):
    auth.login("ilze@example.lv")
    a = world["assessment_id"]
    for path, kind in (
        (f"/assessments/{a}/report.pdf", "application/pdf"),
        (f"/assessments/{a}/export.csv", "text/csv"),
        (f"/assessments/{a}/export.csv?sep=;", "text/csv"),
        (f"/assessments/{a}/export.json", "application/json"),
        (f"/assessments/{a}/export.xlsx", XLSX),
        (f"/assessments/{a}/actions.xlsx", XLSX),
        ("/healthz", "application/json"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == kind
        check_headers(response, path)


def test_hsts_only_over_https(client, world):
    check_headers(client.get("/login", base_url="https://localhost"), "/login", https=True)
    check_headers(client.get("/login"), "/login")


def test_static_files_may_be_cached(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in (response.headers.get("Cache-Control") or "")
    check_headers(response, "/static/app.css")


def test_templates_have_no_inline_script_or_style():
    """The policy forbids inline script and style: templates link static files instead."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text("utf-8")
        if (
            re.search(r"\sstyle\s*=", text)
            or re.search(r"<style\b", text)
            or re.search(r"\son[a-z]+\s*=", text)
            or "javascript:" in text
        ):
            offenders.append(path.name)
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(path.name)
    assert offenders == []


def test_behind_a_trusted_proxy_hsts_follows_the_forwarded_scheme(app):
    from assessment import create_app

    proxied = create_app(
        {
            "SECRET_KEY": "x",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TRUSTED_PROXY_HOPS": 1,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    from flask import request

    proxied.add_url_rule("/_seen", "seen", lambda: f"{request.scheme} {request.remote_addr}")
    client = proxied.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
    response = client.get("/login", headers=headers)
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    assert client.get("/_seen", headers=headers).get_data(as_text=True) == "https 203.0.113.5"
    # Without the setting, the forwarded address is not believed.
    plain = create_app(
        {
            "SECRET_KEY": "x",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    plain.add_url_rule("/_seen", "seen", lambda: f"{request.scheme} {request.remote_addr}")
    assert (
        plain.test_client().get("/_seen", headers=headers).get_data(as_text=True)
        == "http 127.0.0.1"
    )
