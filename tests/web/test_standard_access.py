"""Route × role access for the standard builder: every address, every kind of user.

Another organisation's standard is 404 (its existence is not revealed); a role that may read but
not edit (a read-only "viewer", as the README foresees) gets 403 on every change; anonymous
users are sent to the login page; only the public address answers without login.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from assessment.extensions import db
from assessment.models import Organisation, Standard, StandardVersion, User
from tests.conftest import csrf_token

GET_ROUTES = [
    "/organisations/{org}/standard",
    "/organisations/{org}/standard/versions/1",
    "/organisations/{org}/standard/versions/2/sections/norms",
    "/organisations/{org}/standard/diff?from=1&to=2",
    "/organisations/{org}/standard.docx",
    "/organisations/{org}/standard.pdf",
]
POST_ROUTES = [
    "/organisations/{org}/standard",
    "/organisations/{org}/standard/versions",
    "/organisations/{org}/standard/versions/2/sections/norms",
    "/organisations/{org}/standard/versions/2/suggestions/1",
    "/organisations/{org}/standard/versions/2/suggestions/refresh",
    "/organisations/{org}/standard/versions/2/approve",
    "/organisations/{org}/standard/publish",
]
READ_ONLY = {"/organisations/{org}/standard/versions/2/sections/norms"}  # an edit form

USERS = {
    "member": "ilze@example.lv",
    "consultant": "janis@example.lv",
    "admin": "admin@example.lv",
    "viewer": "vera@example.lv",
    "other-member": "peteris@example.lv",
    "other-consultant": "anna@example.lv",
}


@pytest.fixture()
def world(app, factory):
    """Organisation A with a standard (v1 approved and published, v2 a draft with one
    suggestion), organisation B, and users of every kind."""
    a = factory.organisation("Valsts ieņēmumu dienests")
    b = factory.organisation("Pilsonības un migrācijas lietu pārvalde")
    factory.user(USERS["member"], "member", a)
    factory.user(USERS["viewer"], "viewer", a)
    factory.user(USERS["consultant"], "consultant", a)
    factory.user(USERS["admin"], "admin")
    factory.user(USERS["other-member"], "member", b)
    factory.user(USERS["other-consultant"], "consultant", b)
    with app.app_context():
        from assessment.services import standards as service

        admin = db.session.scalar(select(User).where(User.email == USERS["admin"]))
        org = db.session.get(Organisation, a)
        standard = service.create_standard(org, "lv", admin)
        v1 = standard.versions[0]
        v1.content = {
            **v1.content,
            "scope": {"kind": "institution", "names": [], "clients": [], "note": ""},
            "norms": [{"text": "Laipni sveicināt.", "key": ""}],
            "channels": [{"kind": "in_person", "name": "Centrs", "hours": "8:00"}],
            "indicators": [
                {
                    "channel": "Visi",
                    "indicator": "Apmierinātība",
                    "target": "4",
                    "unit": "",
                    "data_source": "",
                }
            ],
        }
        service.approve(v1, "Direktors", "1-1/1", dt.date(2026, 12, 1), admin)
        service.publish(standard, admin, True)
        v2 = service.new_version(standard, admin)
        v2.suggestions = [
            {
                "id": 1,
                "key": "2.2.4-privacy",
                "section": "norms",
                "clause": "2.2.4",
                "questions": ["procedures.privacy"],
                "status": "pending",
            }
        ]
        # A read-only role, as the README lists it ("viewer"): the role column is a string.
        db.session.execute(update(User).where(User.email == USERS["viewer"]).values(role="viewer"))
        db.session.commit()
        slug = standard.public_slug
    return a, b, slug


def snapshot(app):
    with app.app_context():
        return repr(
            [
                (v.number, v.state, v.content, v.suggestions, v.published)
                for v in db.session.scalars(select(StandardVersion).order_by(StandardVersion.id))
            ]
            + [s.organisation_id for s in db.session.scalars(select(Standard))]
        )


def login(client, auth, who):
    if who != "anonymous":
        assert auth.login(USERS[who]).status_code in (302, 303)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("member", 200),
        ("consultant", 200),
        ("admin", 200),
        ("viewer", 200),
        ("other-member", 404),
        ("other-consultant", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("route", GET_ROUTES)
def test_get_routes(app, client, auth, world, who, expected, route):
    a, b, slug = world
    login(client, auth, who)
    if who == "viewer" and route in READ_ONLY:
        expected = 403
    response = client.get(route.format(org=a))
    assert response.status_code == expected, (who, route)
    if expected == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("member", True),
        ("consultant", True),
        ("admin", True),
        ("viewer", 403),
        ("other-member", 404),
        ("other-consultant", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("route", POST_ROUTES)
def test_post_routes(app, client, auth, world, who, allowed, route):
    a, b, slug = world
    login(client, auth, who)
    token = csrf_token(client, "/login" if who == "anonymous" else "/")
    before = snapshot(app)
    response = client.post(
        route.format(org=a),
        data={
            "csrf_token": token,
            "action": "discard" if "suggestions/1" in route else "unpublish",
            "c-0-text": "Jauna norma.",
            "approved_by": "Direktors",
            "decision_number": "2",
            "approved_on": "2026-12-02",
        },
    )
    if allowed is True:
        assert response.status_code in (200, 302, 400), (who, route, response.status_code)
        return
    assert response.status_code == allowed, (who, route)
    assert snapshot(app) == before, "a refused request wrote something"


def test_other_organisations_standard_is_not_found_by_number_either(app, client, auth, world):
    a, b, slug = world
    login(client, auth, "other-member")
    for url in ("/organisations/{org}/standard/versions/9", "/organisations/{org}/standard"):
        assert client.get(url.format(org=a)).status_code == 404
    # B has no standard: its own member sees the start page, not A's.
    html = client.get(f"/organisations/{b}/standard").get_data(as_text=True)
    assert "Laipni sveicināt" not in html


def test_only_the_public_address_answers_without_login(app, client, world):
    a, b, slug = world
    assert client.get(f"/standards/{slug}").status_code == 200
    html = client.get(f"/standards/{slug}").get_data(as_text=True)
    assert "Laipni sveicināt" in html
    assert "/versions/2" not in html and 'name="csrf_token"' not in html
