"""The report as DOCX: Word headings, tables, header, language, and safe user text."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from assessment.domain.answers import Answer
from assessment.domain.scoring import score
from assessment.reporting.build import build_report
from assessment.reporting.docx import clean, render_docx
from assessment.reporting.labels import fmt_num, labels

from .conftest import DATE, MARKUP, ORG, levels_for, mini_answers

NASTY = "<b>&\"' \x01\x0b\x1f ]]> &amp; <w:t>"
LV_LETTERS = "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ"


def open_docx(data: bytes):
    assert data.startswith(b"PK")  # a zip package
    return Document(io.BytesIO(data))


def headings(doc) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_with(doc, text: str, *more: str):
    for table in doc.tables:
        heads = [cell.text for cell in table.rows[0].cells]
        if all(h in heads for h in (text, *more)):
            return table
    raise AssertionError(f"no table headed {text!r}")


@pytest.fixture
def lv_doc(mini_report):
    return open_docx(render_docx(mini_report))


def test_sections_are_word_headings_in_the_pdf_order(lv_doc, mini_report):
    t = labels("lv")
    found = headings(lv_doc)
    level1 = [text for style, text in found if style == "Heading 1"]
    assert level1 == [
        t["where_heading"],
        t["sure_heading"],
        t["first_heading"],
        t["owners_heading"],
        f"1. pielikums. {t['radar_heading']}",
        f"2. pielikums. {t['action_plan_heading']}",
        f"3. pielikums. {t['appendix_heading']}",
        f"4. pielikums. {t['flagged_heading']}",
    ]
    level2 = [text for style, text in found if style == "Heading 2"]
    assert t["gaps_heading"] in level2 and t["unsupported_heading"] in level2
    assert t["signoff_heading"] in level2
    assert "Alpha (lv ā)" in level2 and "Beta (lv ā)" in level2  # appendix sections
    assert any(style == "Title" and text == ORG for style, text in found)
    questions = [text for style, text in found if style == "Heading 3"]
    assert questions == [row.question_text for s in mini_report.appendix for row in s.rows]


def test_dimension_table_holds_the_reports_figures(lv_doc, mini_report, mini_bank):
    t = labels("lv")
    table = table_with(lv_doc, t["col_dimension"], t["col_target"])
    assert [c.text for c in table.rows[0].cells] == [
        t[h]
        for h in (
            "col_dimension",
            "col_maturity",
            "col_backed",
            "col_target",
            "col_gap",
            "col_counted",
            "col_na",
            "col_dk",
            "col_unsupported",
        )
    ]
    figures = score(mini_bank, mini_answers()).to_dict("lv")
    for row, dim in zip(table.rows[1:], figures["dimensions"], strict=False):
        cells = [c.text for c in row.cells]
        assert cells[1:5] == [
            fmt_num(dim["maturity"], "lv"),
            fmt_num(dim["evidence_backed"], "lv"),
            str(dim["target"]),
            fmt_num(dim["gap"], "lv"),
        ]
    assert table.rows[-1].cells[0].text == t["overall"]
    assert table.rows[-1].cells[2].text == fmt_num(mini_report.evidence_backed, "lv")
    # the header row repeats on every page
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )


def test_action_plan_and_recommendations_are_tables(mini_bank):
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="lv",
        organisation=ORG,
        title="T",
        date=DATE,
        action_meta={
            "beta.one": {"owner": "Ilze Bērziņa", "due": "2027-03-01", "status": "in_progress"}
        },
        completed_on=DATE,
    )
    doc = open_docx(render_docx(report))
    t = labels("lv")
    owners = table_with(doc, t["col_action"])  # page 3: who owns the first actions, by when
    assert [c.text for c in owners.rows[1].cells] == [
        "1.",
        report.actions[0].next_step,
        "Ilze Bērziņa",
        "01.03.2027.",
        t["status_in_progress"],
    ]
    assert len(owners.rows) - 1 == len(report.top_actions)
    plan = [tb for tb in doc.tables if tb.rows[0].cells[1].text == t["col_action"]][1]
    first = [c.text for c in plan.rows[1].cells]
    assert first[0] == "1."
    assert report.actions[0].next_step in first[1] and report.actions[0].question_text in first[1]
    assert first[2:] == ["Ilze Bērziņa", "01.03.2027.", t["status_in_progress"]]
    assert len(plan.rows) - 1 == len(report.actions)
    claims = table_with(doc, t["claimed_level"])
    assert len(claims.rows) - 1 == len(report.unsupported_claims)
    signoff = table_with(doc, t["prepared_by"])
    assert signoff.rows[0].cells[1].text == t["approved_by"]


def test_header_names_the_institution_and_footer_numbers_pages(lv_doc):
    section = lv_doc.sections[0]
    assert ORG in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p.xml
    assert "> PAGE </w:instrText>" in footer and "> NUMPAGES </w:instrText>" in footer
    assert "lapa no" in footer
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_language_and_properties(lv_doc, mini_report_en):
    assert lv_doc.core_properties.language == "lv-LV"
    assert ORG in lv_doc.core_properties.title
    styles_xml = lv_doc.styles.element.xml
    assert 'w:val="lv-LV"' in styles_xml
    en = open_docx(render_docx(mini_report_en))
    assert en.core_properties.language == "en-GB"
    assert [text for style, text in headings(en) if style == "Heading 1"][0] == "Where we are"
    assert "(lv ā)" not in all_text(en)


def test_the_gap_chart_is_a_picture_with_its_figures_as_alternative_text(lv_doc, mini_report):
    assert len(lv_doc.inline_shapes) == 1
    descr = lv_doc.inline_shapes[0]._inline.docPr.get("descr")
    for d in mini_report.dimensions:
        assert f"{d.title} {fmt_num(d.gap, 'lv')}" in descr
    blob = lv_doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    part = lv_doc.part.related_parts[blob]
    assert part.blob.startswith(b"\x89PNG")


def test_markup_and_control_characters_in_user_text(mini_bank):
    answers = dict(mini_answers())
    # (a vertical tab would start a new paragraph of the comment, as in the PDF)
    answers["alpha.two"] = Answer(
        "alpha.two", level=1, comment=f"<b>&\"' ctl\x01x\x1f {LV_LETTERS}"
    )
    report = build_report(
        mini_bank,
        answers,
        lang="en",
        organisation=f"{ORG} {NASTY}",
        title=NASTY,
        date=DATE,
        respondents=[NASTY],
        prepared_by=NASTY,
        action_meta={"beta.one": {"owner": NASTY}},
    )
    data = render_docx(report)
    doc = open_docx(data)
    text = all_text(doc)
    safe = clean(NASTY)
    assert safe == "<b>&\"'  ]]> &amp; <w:t>"
    assert f"Comment: <b>&\"' ctlx {LV_LETTERS}" in text  # printed literally
    assert MARKUP in text
    assert f"{ORG} {safe}" in doc.sections[0].header.paragraphs[0].text
    assert table_with(doc, "Action").rows[1].cells[2].text == safe
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "<b>" not in body and "&lt;b&gt;&amp;" in body  # escaped, not markup
    assert "\x01" not in body and "\x0b" not in body


def test_clean_drops_only_what_xml_cannot_hold():
    assert clean(None) == ""
    assert clean("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"
    assert clean("x\x00\x08\x0c\x7f\ufffey") == "xy"
    assert clean(LV_LETTERS) == LV_LETTERS


def test_bundled_bank_with_trend(bundled_bank):
    previous = score(bundled_bank, levels_for(bundled_bank, lambda i, q: i % 3))
    report = build_report(
        bundled_bank,
        levels_for(bundled_bank, lambda i, q: (i * 7) % 5),
        lang="lv",
        organisation=ORG,
        title="2026",
        date=DATE,
        previous=previous,
    )
    doc = open_docx(render_docx(report))
    t = labels("lv")
    trend = table_with(doc, t["col_previous"])
    assert len(trend.rows) == len(report.dimensions) + 2
    assert t["trend_heading"] in [text for _, text in headings(doc)]
    assert sum(len(s.rows) for s in report.appendix) == len(bundled_bank)
    assert len([1 for style, _ in headings(doc) if style == "Heading 3"]) == len(bundled_bank)


def test_the_radar_is_a_picture_from_three_dimensions_on(bundled_bank, lv_doc):
    previous = score(bundled_bank, levels_for(bundled_bank, lambda i, q: i % 3))
    report = build_report(
        bundled_bank,
        levels_for(bundled_bank, lambda i, q: (i * 7) % 5),
        lang="lv",
        organisation=ORG,
        title="2026",
        date=DATE,
        previous=previous,
    )
    doc = open_docx(render_docx(report))
    assert len(doc.inline_shapes) == 2  # the gap bars and the radar
    radar = doc.inline_shapes[1]._inline.docPr
    assert radar.get("title") == f"Brieduma diagramma: {ORG}"
    descr = radar.get("descr")
    for d in report.dimensions:
        assert f"{d.title} {fmt_num(d.evidence_backed, 'lv')}" in descr
        assert f"{d.title} {fmt_num(d.previous, 'lv')}" in descr
    # the mini bank's two dimensions make no polygon: no radar, as in the PDF
    assert len(lv_doc.inline_shapes) == 1
