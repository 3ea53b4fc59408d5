"""Item 1 of issue 13: several people invited at once, all new links shown together (copy, CSV),
a fresh link for anyone later, withdrawal confirmed, invitations e-mailed through a real SMTP
server (aiosmtpd on a free loopback port)."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import csrf_token

LINK = re.compile(r'id="link-(\d+)"[^>]*value="(http[^"]+)"')


@pytest.fixture()
def consultant(client, auth, factory):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    a = factory.assessment(org)
    auth.login("janis@example.lv")
    return org, a


def invite_many(client, a, text, **extra):
    url = f"/assessments/{a}/respondents"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "people": text, **extra})


def respondents(app):
    from assessment.extensions import db
    from assessment.models import Respondent

    with app.app_context():
        return {r.name: r for r in db.session.query(Respondent).order_by(Respondent.id)}


def test_several_people_at_once_all_links_shown_with_copy_buttons(app, client, consultant):
    org, a = consultant
    response = invite_many(
        client,
        a,
        "Anna Bērziņa, anna@example.lv\n\nBruno Kalns; "
        "bruno@example.lv\nCilda Ozola <cilda@example.lv>\nDace",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#new-links")
    rows = respondents(app)
    assert list(rows) == ["Anna Bērziņa", "Bruno Kalns", "Cilda Ozola", "Dace"]
    assert rows["Cilda Ozola"].email == "cilda@example.lv" and rows["Dace"].email is None
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    links = LINK.findall(html)
    assert len(links) == 4
    # Each link opens its own respondent's page.
    for rid, link in links:
        name = next(n for n, r in rows.items() if r.id == int(rid))
        page = app.test_client().get("/" + link.split("/", 3)[3])
        assert page.status_code == 200 and name in page.get_data(as_text=True)
    # Copy buttons come from a static script; without it they stay hidden (the link is text).
    assert 'src="/static/copy.js' in html
    assert (
        len(re.findall(r'<button type="button"[^>]*data-copy="link-[^"]*"[^>]*hidden>', html)) == 5
    )  # one per link, and "copy all"
    # A reload (the GET after the redirect) creates nothing twice.
    client.get(f"/assessments/{a}/respondents")
    assert len(respondents(app)) == 4


def test_csv_of_the_new_links(app, client, consultant):
    org, a = consultant
    invite_many(client, a, "=Anna, anna@example.lv\nBruno")
    response = client.get(f"/assessments/{a}/respondents/new-links.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert rows[1][0] == "'=Anna" and rows[1][1] == "anna@example.lv"  # no formula
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert [link for _rid, link in LINK.findall(html)] == [rows[1][2], rows[2][2]]
    # Hidden: gone from the page and the CSV (the links keep working).
    token = csrf_token(client, f"/assessments/{a}/respondents")
    client.post(f"/assessments/{a}/respondents/new-links/hide", data={"csrf_token": token})
    assert LINK.findall(client.get(f"/assessments/{a}/respondents").get_data(as_text=True)) == []
    assert client.get(f"/assessments/{a}/respondents/new-links.csv").status_code == 302
    assert app.test_client().get("/" + rows[1][2].split("/", 3)[3]).status_code == 200


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        (
            "en",
            "Anna, anna@example.lv\nBruno, not-an-email\n, x@example.lv\nAnna, anna@example.lv",
            [
                "Line 2: the e-mail address is not valid.",
                "Line 3: a name is missing.",
                "Line 4: this person is already on an earlier line.",
            ],
        ),
        ("lv", "Anna\n\nBruno, nav-adrese", ["3. rinda: e-pasta adrese nav derīga."]),
    ],
)
def test_each_line_is_checked_and_nothing_is_created_on_an_error(
    app, client, consultant, lang, text, expected
):
    org, a = consultant
    client.get(f"/lang/{lang}")
    response = invite_many(client, a, text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in expected:
        assert message in html
    assert respondents(app) == {}


def test_too_many_at_once_is_refused_with_the_line(app, client, consultant):
    from assessment.services.respondents import MAX_INVITES

    org, a = consultant
    client.get("/lang/en")
    response = invite_many(client, a, "\n".join(f"Person {n}" for n in range(MAX_INVITES + 1)))
    assert response.status_code == 400
    assert f"Line {MAX_INVITES + 1}: at most {MAX_INVITES} people" in response.get_data(
        as_text=True
    )


def test_fresh_link_replaces_the_old_one(app, client, consultant):
    org, a = consultant
    invite_many(client, a, "Anna")
    old = LINK.findall(client.get(f"/assessments/{a}/respondents").get_data(as_text=True))[0][1]
    rid = respondents(app)["Anna"].id
    url = f"/assessments/{a}/respondents/{rid}/fresh-link"
    page = client.get(url)
    assert page.status_code == 200 and "Anna" in page.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    new = LINK.findall(client.get(f"/assessments/{a}/respondents").get_data(as_text=True))
    assert len(new) == 1 and new[0][1] != old
    other = app.test_client()
    assert other.get("/" + old.split("/", 3)[3]).status_code == 404
    assert other.get("/" + new[0][1].split("/", 3)[3]).status_code == 200
    assert len(respondents(app)) == 1


def test_revoking_asks_first_and_shows_withdrawn_apart(app, client, consultant):
    org, a = consultant
    client.get("/lang/en")
    invite_many(client, a, "Anna\nBruno")
    rid = respondents(app)["Anna"].id
    url = f"/assessments/{a}/respondents/{rid}/revoke"
    page = client.get(url)
    assert page.status_code == 200 and "Withdraw the link of Anna?" in page.get_data(as_text=True)
    assert not respondents(app)["Anna"].revoked  # asking changes nothing
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert respondents(app)["Anna"].revoked
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    active, withdrawn = html.split("Withdrawn links", 1)
    assert "Bruno" in active and ">Anna<" not in active and ">Anna<" in withdrawn
    # A withdrawn respondent gets no fresh link; another assessment's respondent is a 404.
    assert client.get(f"/assessments/{a}/respondents/{rid}/fresh-link").status_code == 403
    assert client.get(f"/assessments/{a}/respondents/99999/revoke").status_code == 404


def test_other_organisation_cannot_touch_links(app, client, auth, factory, consultant):
    org, a = consultant
    invite_many(client, a, "Anna")
    rid = respondents(app)["Anna"].id
    other_org = factory.organisation("Cita iestāde")
    factory.user("eva@example.lv", "member", other_org)
    stranger = app.test_client()
    from tests.conftest import Auth

    Auth(stranger).login("eva@example.lv")
    for url in (
        f"/assessments/{a}/respondents/{rid}/fresh-link",
        f"/assessments/{a}/respondents/{rid}/revoke",
        f"/assessments/{a}/respondents/new-links.csv",
    ):
        assert stranger.get(url).status_code in (403, 404), url


# --- e-mail through a real SMTP server ------------------------------------------------------------


class Collector:
    """aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp(app):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_DEFAULT_SENDER")}
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_DEFAULT_SENDER="pasnovertejums@example.lv",
    )
    _reinit_mail(app)
    yield handler
    controller.stop()
    app.config.update(saved)
    _reinit_mail(app)


def _reinit_mail(app):
    from assessment.mail import mail

    mail.init_app(app)


@pytest.mark.parametrize(
    "lang, subject, greeting",
    [
        ("lv", "Aicinājums atbildēt", "Labdien, Anna Bērziņa!"),
        ("en", "Invitation to answer", "Hello, Anna Bērziņa,"),
    ],
)
def test_invitations_are_emailed(app, client, consultant, smtp, lang, subject, greeting):
    org, a = consultant
    response = invite_many(
        client, a, "Anna Bērziņa, anna@example.lv\nBruno", send_email="y", mail_lang=lang
    )
    assert response.status_code == 302
    assert len(smtp.messages) == 1  # Bruno has no address
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["anna@example.lv"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert subject in message["Subject"]
    body = message.get_content()
    assert greeting in body
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    anna_link = LINK.findall(html)[0][1]
    assert anna_link in body
    assert app.test_client().get("/" + anna_link.split("/", 3)[3]).status_code == 200


def test_fresh_link_is_emailed(app, client, consultant, smtp):
    org, a = consultant
    invite_many(client, a, "Anna, anna@example.lv")
    rid = respondents(app)["Anna"].id
    url = f"/assessments/{a}/respondents/{rid}/fresh-link"
    assert "send_email" in client.get(url).get_data(as_text=True)
    client.post(
        url, data={"csrf_token": csrf_token(client, url), "send_email": "y", "mail_lang": "en"}
    )
    assert len(smtp.messages) == 1
    body = email.message_from_bytes(
        smtp.messages[0].content, policy=email.policy.default
    ).get_content()
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert LINK.findall(html)[0][1] in body


def test_mail_server_down_is_a_message_not_a_500(app, client, consultant):
    org, a = consultant
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    _reinit_mail(app)
    try:
        client.get("/lang/en")
        response = invite_many(client, a, "Anna, anna@example.lv", send_email="y")
        assert response.status_code == 302
        html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
        assert "could not be e-mailed: Anna" in html
        assert len(LINK.findall(html)) == 1
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=25)
        _reinit_mail(app)


def test_without_mail_server_the_page_says_so(client, consultant):
    org, a = consultant
    client.get("/lang/en")
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert "E-mail is not set up on this server" in html and 'name="send_email"' not in html


def test_the_most_people_at_once_fit_in_the_session_cookie(app, client, consultant):
    """MAX_INVITES new links travel in the session cookie: it stays under browsers' 4 KB."""
    from assessment.services.respondents import MAX_INVITES

    org, a = consultant
    text = "\n".join(f"Persona Nr. {n}, persona{n}@example.lv" for n in range(MAX_INVITES))
    response = invite_many(client, a, text)
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert len(cookie.split(";", 1)[0]) < 4000
    html = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert len(LINK.findall(html)) == MAX_INVITES


def test_a_title_with_a_line_break_is_no_500(app, client, consultant, smtp):
    from assessment.extensions import db
    from assessment.models import Assessment

    org, a = consultant
    with app.app_context():
        db.session.get(Assessment, a).title = "Pašnovērtējums\nBcc: x@example.lv"
        db.session.commit()
    response = invite_many(client, a, "Anna, anna@example.lv", send_email="y")
    assert response.status_code == 302
    assert all("x@example.lv" not in m.rcpt_tos for m in smtp.messages)
