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
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    return Document(io.BytesIO(response.data))


@pytest.mark.parametrize(
    "email,own,other",
    [
        ("ilze@example.lv", 200, 404),  # member: own organisation only
        ("janis@example.lv", 200, 404),  # consultant: assigned organisations only
        ("anna@example.lv", 404, 404),  # consultant assigned to none
        ("admin@example.lv", 200, 200),  # admin: every organisation
    ],
)
def test_report_docx_by_role(client, auth, orgs, email, own, other):
    a, b, assess_a, assess_b = orgs
    auth.login(email)
    for url, expected in (
        (f"/assessments/{assess_a}/report.docx", own),
        (f"/assessments/{assess_b}/report.docx", other),
    ):
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
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Kur mēs esam"
    en = docx_of(client.get(f"/assessments/{assess_a}/report.docx?lang=en"))
    assert [p.text for p in en.paragraphs if p.style.name == "Heading 1"][0] == "Where we are"
    # the assessment's own language is the default
    assert (
        docx_of(client.get(f"/assessments/{assess_b}/report.docx")).core_properties.language
        == "en-GB"
    )
    # an unknown language falls back to the assessment's, as for the PDF
    assert (
        docx_of(client.get(f"/assessments/{assess_a}/report.docx?lang=xx")).core_properties.language
        == "lv-LV"
    )


def test_report_pages_link_to_the_docx(client, auth, orgs):
    assess_a = orgs[2]
    auth.login("ilze@example.lv")
    overview = client.get(f"/assessments/{assess_a}").get_data(as_text=True)
    assert f'href="/assessments/{assess_a}/report.docx"' in overview
    report = client.get(f"/assessments/{assess_a}/report?lang=en").get_data(as_text=True)
    assert f'href="/assessments/{assess_a}/report.docx?lang=en"' in report


# --- file names and the draft mark over the web (issue 13) --------------------------------------


def test_downloads_are_named_after_organisation_assessment_and_date(client, auth, orgs):
    from urllib.parse import quote

    a, b, assess_a, assess_b = orgs
    auth.login("ilze@example.lv")
    for ext, kind in (("pdf", "inline"), ("docx", "attachment")):
        response = client.get(f"/assessments/{assess_a}/report.{ext}")
        assert response.status_code == 200
        header = response.headers["Content-Disposition"]
        assert header.startswith(f'{kind}; filename="Valsts-ienemumu-dienests-b-')
        # the exact UTF-8 name: organisation (markup characters dropped), title, date
        stem = "Valsts ieņēmumu dienests b & ' – Pašnovērtējums 2026 – "
        assert f"filename*=UTF-8''{quote(stem, safe='')}" in header
        assert header.endswith(f".{ext}")
        assert "report-" not in header


def test_the_pdf_is_a_draft_until_the_assessment_is_completed(app, client, auth, orgs):
    import datetime as dt

    from pypdf import PdfReader

    from assessment.extensions import db
    from assessment.models import Assessment

    a, b, assess_a, assess_b = orgs
    auth.login("ilze@example.lv")
    draft = PdfReader(io.BytesIO(client.get(f"/assessments/{assess_a}/report.pdf").data))
    assert all("MELNRAKSTS" in page.extract_text() for page in draft.pages)
    assert "Paraksts" not in draft.pages[2].extract_text()
    with app.app_context():
        item = db.session.get(Assessment, assess_a)
        item.state = "completed"
        item.completed_at = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
        db.session.commit()
    done = PdfReader(io.BytesIO(client.get(f"/assessments/{assess_a}/report.pdf").data))
    assert not any("MELNRAKSTS" in page.extract_text() for page in done.pages)
    assert "Pabeigts: 30.11.2026." in done.pages[0].extract_text()
    three = done.pages[2].extract_text()
    assert "Apstiprināja" in three and "Paraksts" in three and "30.11.2026." in three


def test_the_html_report_follows_the_pdfs_order_and_marks_a_draft(app, client, auth, orgs):
    import datetime as dt
    import re

    from assessment.extensions import db
    from assessment.models import Assessment

    a, b, assess_a, assess_b = orgs
    auth.login("ilze@example.lv")
    page = client.get(f"/assessments/{assess_a}/report").get_data(as_text=True)
    order = re.findall(r'<section class="report-section [^"]*" id="(report-[a-z]+)"', page)
    assert order[:6] == [
        "report-summary",
        "report-sure",
        "report-first",
        "report-owners",
        "report-signoff",
        "report-dimensions",
    ]
    assert "MELNRAKSTS" in page and "signoff-signature" not in page
    with app.app_context():
        item = db.session.get(Assessment, assess_a)
        item.state = "completed"
        item.completed_at = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
        db.session.commit()
    page = client.get(f"/assessments/{assess_a}/report").get_data(as_text=True)
    assert "MELNRAKSTS" not in page and "signoff-signature" in page
    assert '<time datetime="2026-11-30">30.11.2026.</time>' in page
