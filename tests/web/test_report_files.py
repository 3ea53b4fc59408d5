"""The report as DOCX over the web, and who may download it (the rules of report.pdf)."""

from __future__ import annotations

import io

import pytest
from docx import Document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ORG_A = "Valsts ieņēmumu dienests <b>&\"'"
ORG_B = "Pilsonības un migrācijas lietu pārvalde"


@pytest.fixture()
def orgs(factory):
    a = factory.organisation(ORG_A)
    b = factory.organisation(ORG_B)
    factory.user("ilze@example.lv", "member", a)
    factory.user("peteris@example.lv", "member", b)
    factory.user("janis@example.lv", "consultant", a)
    factory.user("anna@example.lv", "consultant")
    factory.user("admin@example.lv", "admin")
    return a, b, factory.assessment(a), factory.assessment(b, language="en")


def docx_of(response):
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment; filename=report-")
    return Document(io.BytesIO(response.data))


@pytest.mark.parametrize("email,own,other", [
    ("ilze@example.lv", 200, 404),      # member: own organisation only
    ("janis@example.lv", 200, 404),     # consultant: assigned organisations only
    ("anna@example.lv", 404, 404),      # consultant assigned to none
    ("admin@example.lv", 200, 200),     # admin: every organisation
])
def test_report_docx_by_role(client, auth, orgs, email, own, other):
    a, b, assess_a, assess_b = orgs
    auth.login(email)
    for url, expected in ((f"/assessments/{assess_a}/report.docx", own),
                          (f"/assessments/{assess_b}/report.docx", other)):
        pdf = client.get(url.replace(".docx", ".pdf"))
        response = client.get(url)
        assert response.status_code == expected == pdf.status_code, url
        if expected == 200:
            assert response.mimetype == DOCX


def test_report_docx_needs_a_login(client, orgs):
    response = client.get(f"/assessments/{orgs[2]}/report.docx")
    assert response.status_code == 302 and "/login" in response.location


def test_report_docx_content_and_language(client, auth, orgs):
    a, b, assess_a, assess_b = orgs
    auth.login("admin@example.lv")
    doc = docx_of(client.get(f"/assessments/{assess_a}/report.docx"))
    assert ORG_A in doc.sections[0].header.paragraphs[0].text  # escaped, not markup
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Kopsavilkums"
    en = docx_of(client.get(f"/assessments/{assess_a}/report.docx?lang=en"))
    assert [p.text for p in en.paragraphs if p.style.name == "Heading 1"][0] == \
        "Executive summary"
    # the assessment's own language is the default
    assert docx_of(client.get(f"/assessments/{assess_b}/report.docx")).core_properties \
        .language == "en-GB"
    # an unknown language falls back to the assessment's, as for the PDF
    assert docx_of(client.get(f"/assessments/{assess_a}/report.docx?lang=xx")).core_properties \
        .language == "lv-LV"


def test_report_pages_link_to_the_docx(client, auth, orgs):
    assess_a = orgs[2]
    auth.login("ilze@example.lv")
    overview = client.get(f"/assessments/{assess_a}").get_data(as_text=True)
    assert f'href="/assessments/{assess_a}/report.docx"' in overview
    report = client.get(f"/assessments/{assess_a}/report?lang=en").get_data(as_text=True)
    assert f'href="/assessments/{assess_a}/report.docx?lang=en"' in report
