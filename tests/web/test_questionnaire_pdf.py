"""/banks/<bank>/<version>/questionnaire.pdf: any logged-in user; clear 404/400 otherwise."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from ..conftest import DATA

URL = "/banks/lv-customer-service-2013/1.0.0/questionnaire.pdf"


@pytest.fixture()
def people(app, factory):
    """Two organisations; the mini bank installed as a variant of the first only."""
    from assessment.extensions import db
    from assessment.services.banks import install_bank

    a = factory.organisation("Valsts ieņēmumu dienests")
    b = factory.organisation("Pilsonības un migrācijas lietu pārvalde")
    factory.user("ilze@example.lv", "member", a)
    factory.user("peteris@example.lv", "member", b)
    factory.user("janis@example.lv", "consultant", a)
    factory.user("anna@example.lv", "consultant", b)
    factory.user("admin@example.lv", "admin")
    with app.app_context():
        install_bank((DATA / "mini-bank.yaml").read_bytes(), "mini-bank.yaml", organisation_id=a)
        db.session.commit()
    return a, b


def text_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_any_logged_in_user_gets_a_bundled_banks_questionnaire(client, auth, people):
    auth.login("peteris@example.lv")
    lv = text_of(client.get(URL + "?lang=lv"))
    assert "Pašnovērtējuma anketa" in lv and "values.mission" in lv
    en = text_of(client.get(URL + "?lang=en"))
    assert "Self-assessment questionnaire" in en
    # no ?lang: the UI language
    client.get("/lang/en")
    assert "Self-assessment questionnaire" in text_of(client.get(URL))
    client.get("/lang/lv")
    assert "Pašnovērtējuma anketa" in text_of(client.get(URL))


def test_a_login_is_needed(client, people):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize(
    "email,status",
    [
        ("ilze@example.lv", 200),
        ("janis@example.lv", 200),
        ("admin@example.lv", 200),
        ("peteris@example.lv", 404),
        ("anna@example.lv", 404),
    ],
)
def test_an_organisations_own_bank_only_for_those_who_see_the_organisation(
    client, auth, people, email, status
):
    client.get("/lang/en")
    auth.login(email)
    response = client.get("/banks/mini/0.1.0/questionnaire.pdf?lang=en")
    assert response.status_code == status
    if status == 200:
        assert "Question alpha.one?" in text_of(response)
    else:  # the same answer as for a bank that does not exist
        assert "No question bank mini version 0.1.0 is installed." in response.get_data(
            as_text=True
        )


@pytest.mark.parametrize(
    "url,status,message",
    [
        (
            "/banks/nope/1.0.0/questionnaire.pdf",
            404,
            "No question bank nope version 1.0.0 is installed.",
        ),
        (
            "/banks/lv-customer-service-2013/9.9.9/questionnaire.pdf",
            404,
            "No question bank lv-customer-service-2013 version 9.9.9 is installed.",
        ),
        (f"/banks/{'x' * 5000}/1/questionnaire.pdf", 404, "No question bank x"),
        (URL + "?lang=de", 400, "Unknown language \u201cde\u201d: choose lv or en."),
        (URL + "?lang=", 400, "choose lv or en"),
        (URL + "?lang=%3Cscript%3E", 400, "&lt;script&gt;"),
    ],
)
def test_bad_addresses_get_a_clear_message(client, auth, people, url, status, message):
    client.get("/lang/en")
    auth.login("ilze@example.lv")
    response = client.get(url)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert message in body and "<script>" not in body


def test_latvian_messages(client, auth, people):
    auth.login("ilze@example.lv")
    client.get("/lang/lv")
    body = client.get("/banks/nope/1/questionnaire.pdf").get_data(as_text=True)
    assert "Jautājumu banka nope, versija 1, nav uzstādīta." in body
    body = client.get(URL + "?lang=ru").get_data(as_text=True)
    assert "Nezināma valoda „ru”: izvēlieties lv vai en." in body


def test_linked_from_the_bank_list_and_the_assessment(client, auth, factory, people):
    a, _b = people
    auth.login("admin@example.lv")
    page = client.get("/admin/banks").get_data(as_text=True)
    assert f'href="{URL}?lang=lv"' in page and f'href="{URL}?lang=en"' in page
    assert 'href="/banks/mini/0.1.0/questionnaire.pdf?lang=lv"' in page
    assessment = factory.assessment(a, language="en")
    page = client.get(f"/assessments/{assessment}").get_data(as_text=True)
    assert f'href="{URL}?lang=en"' in page
