"""The PDF: Latvian letters, escaping, A4, page footer, metadata, long content."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from assessment.domain.answers import Answer, Evidence
from assessment.domain.scoring import score
from assessment.reporting import pdf as pdf_module
from assessment.reporting.build import build_report
from assessment.reporting.labels import fmt_num
from assessment.reporting.pdf import CONTENT_W, render_pdf, styles

from .conftest import DATE, MARKUP, ORG, levels_for, mini_answers


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    """All text, whitespace runs collapsed (line breaks fall where spaces were)."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def lv_pdf(mini_report):
    return read(render_pdf(mini_report))


def test_latvian_letters_extract_exactly(lv_pdf):
    text = text_of(lv_pdf)
    assert ORG in text
    assert "Klientu apkalpošanas standarta gatavības pārskats" in text
    assert "Rīcības plāns" in text and "Atbildīgais" in text and "Termiņš" in text


def test_dimension_titles_in_the_report_language(lv_pdf, mini_report_en):
    lv = text_of(lv_pdf)
    assert "Alpha (lv ā)" in lv and "Beta (lv ā)" in lv
    en = text_of(read(render_pdf(mini_report_en)))
    assert "Alpha" in en and "(lv ā)" not in en
    assert "Customer service standard readiness report" in en


def test_top_recommendation_is_printed(lv_pdf, mini_report):
    assert mini_report.actions[0].next_step == "beta.one step 0->1 (lv ā)"
    assert "beta.one step 0->1 (lv ā)" in text_of(lv_pdf)


def test_markup_in_user_text_prints_literally(mini_bank):
    answers = dict(mini_answers())
    report = build_report(
        mini_bank,
        answers,
        lang="en",
        organisation=f"{ORG} & <b>Co</b>",
        title="<para>Title</para>",
        date=DATE,
        action_meta={"beta.one": {"owner": "<font size=40>Boss</font> & Co"}},
    )
    text = text_of(read(render_pdf(report)))
    assert MARKUP in text
    assert f"{ORG} & <b>Co</b>" in text
    assert "<para>Title</para>" in text
    assert "<fontsize=40>Boss</font>&Co" in re.sub(r"\s+", "", text)  # a narrow column


def test_a4_pages_and_several_of_them(lv_pdf):
    assert len(lv_pdf.pages) > 1
    for page in lv_pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(595.27, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.01)


def test_footer_says_page_x_of_y(lv_pdf, mini_report_en):
    total = len(lv_pdf.pages)
    assert f"{total}. lapa no {total}" in lv_pdf.pages[-1].extract_text()
    assert f"1. lapa no {total}" in lv_pdf.pages[0].extract_text()
    en = read(render_pdf(mini_report_en))
    last = en.pages[-1].extract_text()
    assert f"Page {len(en.pages)} of {len(en.pages)}" in last
    assert "26 November 2026" in last and "mini 0.1.0" in last and ORG in last


def test_metadata_title_author_subject_language(lv_pdf):
    meta = lv_pdf.metadata
    assert ORG in meta.title and "gatavības pārskats" in meta.title
    assert meta.author == ORG
    assert "pašnovērtējums" in meta.subject
    assert lv_pdf.trailer["/Root"]["/Lang"] == "lv-LV"


def test_outline_has_the_sections(lv_pdf):
    titles = [item.title for item in lv_pdf.outline if not isinstance(item, list)]
    assert titles[:3] == ["Kur mēs esam", "Cik esam pārliecināti", "Kas atbild un līdz kad"]
    assert "2. pielikums. Rīcības plāns" in titles


def test_long_comment_many_evidence_items_and_long_url_do_not_break_layout(mini_bank):
    url = "https://example.lv/" + "a" * 300
    long_comment = ("Ļoti gara piezīme par klientu apkalpošanu. " * 120)[:5000]
    answers = dict(mini_answers())
    answers["alpha.two"] = Answer(
        "alpha.two",
        level=4,
        comment=long_comment + "\n" + "x" * 3000,
        evidence=tuple(Evidence(f"Pierādījums Nr. {i}", url, "2026-01-31") for i in range(30)),
    )
    report = build_report(mini_bank, answers, lang="lv", organisation=ORG, title="t", date=DATE)
    reader = read(render_pdf(report))
    text = text_of(reader)
    assert "Pierādījums Nr. 29" in text
    assert url in re.sub(r"\s+", "", text)  # split over lines, every character printed
    assert len(reader.pages) > 3


def test_a_long_url_wraps_within_the_column():
    url = "https://example.lv/" + "b" * 300
    para = Paragraph(
        pdf_module._evidence_line(Evidence("Doc", url)), styles()["a_evidence"], bulletText="•"
    )
    width = CONTENT_W - 20
    para.wrap(width, 1000)
    assert len(para.blPara.lines) > 1
    assert all(getattr(line, "extraSpace", 0) >= -0.01 for line in para.blPara.lines)


def test_bundled_bank_report_in_latvian(bundled_bank):
    answers = levels_for(bundled_bank, lambda i, q: None if i % 11 == 10 else i % 4)
    previous = score(bundled_bank, levels_for(bundled_bank, lambda i, q: 1))
    report = build_report(
        bundled_bank,
        answers,
        lang="lv",
        organisation=ORG,
        title="2026",
        date=DATE,
        previous=previous,
        prepared_by="Ilze Bērziņa",
        completed_on=DATE,
    )
    reader = read(render_pdf(report))
    text = text_of(reader)
    for dim in bundled_bank.dimensions:
        assert dim.title.lv in text
    assert report.actions[0].next_step in text
    assert "Izmaiņas kopš iepriekšējā novērtējuma" in text
    assert "Sagatavoja" in text and "Apstiprināja" in text and "Ilze Bērziņa" in text
    total = len(reader.pages)
    assert f"{total}. lapa no {total}" in reader.pages[-1].extract_text()


def test_fonts_are_registered_once(mini_report):
    render_pdf(mini_report)
    info = pdf_module.register_fonts.cache_info()
    render_pdf(mini_report)
    assert pdf_module.register_fonts.cache_info().misses == info.misses


def test_a_bank_text_taller_than_a_page_still_renders():
    import yaml

    from assessment.domain.bank import parse_bank

    from ..conftest import DATA

    data = yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))
    question = data["dimensions"][0]["questions"][1]  # alpha.two
    question["levels"][1] = {"lv": "Ļoti garš apraksts. " * 400, "en": "A very long text. " * 400}
    bank = parse_bank(data, "big-bank")
    report = build_report(bank, mini_answers(), lang="lv", organisation=ORG, title="", date=DATE)
    reader = read(render_pdf(report))
    assert "alpha.two step 1->2 (lv ā)" in text_of(reader)


# --- the first three pages (issue 13) ---------------------------------------------------------


def _three_pages(report) -> tuple[PdfReader, list[str]]:
    reader = read(render_pdf(report))
    return reader, [reader.pages[i].extract_text() for i in range(3)]


def test_first_three_pages_answer_in_order(mini_bank):
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="lv",
        organisation=ORG,
        title="2026. gada pašnovērtējums",
        date=DATE,
        prepared_by="Ilze Bērziņa",
        completed_on=DATE,
        action_meta={"beta.one": {"owner": "Jānis Kalniņš", "due": "2027-03-01"}},
    )
    reader, (one, two, three) = _three_pages(report)
    # page 1: where are we — who, the figures and the chart, not a near-empty cover
    assert ORG in one and "Kur mēs esam" in one
    assert fmt_num(report.evidence_backed, "lv") in one and "Atšķirība līdz mērķim" in one
    assert "Pabeigts: 26.11.2026." in one and "Sagatavoja: Ilze Bērziņa" in one
    # page 2: how sure are we, what we do first
    assert "Cik esam pārliecināti" in two and "Ko darām vispirms" in two
    assert "vērtējuma" in two and "Pierādīts" in two  # as claimed vs evidence-backed
    assert report.actions[0].next_step in two
    # page 3: who owns it and by when, and the sign-off block with the completion date
    assert "Kas atbild un līdz kad" in three
    assert "Jānis Kalniņš" in three and "01.03.2027." in three and "nav norīkots" in three
    assert "Apstiprināja" in three and "Paraksts" in three and "26.11.2026." in three
    # the rest follows as annexes, and no page is marked a draft
    assert "1. pielikums" in reader.pages[3].extract_text()
    assert not any("MELNRAKSTS" in page.extract_text() for page in reader.pages)


def test_a_draft_is_marked_on_every_page_and_has_no_signature_lines(mini_report, mini_report_en):
    assert mini_report.draft
    reader, (_one, _two, three) = _three_pages(mini_report)
    assert all("MELNRAKSTS" in page.extract_text() for page in reader.pages)
    assert "Paraksts" not in three and "pabeigts" in three
    en = read(render_pdf(mini_report_en))
    assert all("DRAFT" in page.extract_text() for page in en.pages)
    assert "Signature" not in en.pages[2].extract_text()
