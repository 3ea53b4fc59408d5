"""The blank printable questionnaire: every question with its tick boxes, lv letters, A4, pages."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from pypdf import PdfReader

from assessment.domain.bank import parse_bank
from assessment.reporting.questionnaire import (
    QLABELS,
    TickBox,
    WriteLines,
    questionnaire_pdf,
    render_questionnaire,
    story_of,
)

from ..conftest import DATA

LV_LETTERS = "āčēģīķļņšūž"


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def flat(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def lv_pdf(bundled_bank):
    return read(render_questionnaire(bundled_bank, "lv"))


def test_every_question_and_descriptor_of_the_bank_is_printed(lv_pdf, bundled_bank):
    text = flat(lv_pdf)
    for question in bundled_bank.questions:
        assert question.id in text
        assert question.text.lv in text, question.id
        for level, descriptor in enumerate(question.levels):
            assert descriptor.lv in text, (question.id, level)
    for label in bundled_bank.scale:
        assert label.lv in text
    for dimension in bundled_bank.dimensions:
        assert dimension.title.lv in text


def test_latvian_letters_extract_exactly(lv_pdf, bundled_bank):
    text = flat(lv_pdf)
    assert set(LV_LETTERS) <= set(text)
    assert bundled_bank.title.lv in text  # "Gatavība dzīvot pēc …"
    t = QLABELS["lv"]
    for key in (
        "kind",
        "how_heading",
        "scale_heading",
        "not_applicable",
        "dont_know",
        "comment",
        "evidence",
        "institution",
    ):
        assert t[key] in text, key


def test_one_page_per_question_after_the_title_pages(lv_pdf, bundled_bank):
    pages = len(lv_pdf.pages)
    assert pages == 2 + len(bundled_bank)
    for page in lv_pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(595.27, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.01)
    assert f"1. lapa no {pages}" in lv_pdf.pages[0].extract_text()
    assert f"{pages}. lapa no {pages}" in lv_pdf.pages[-1].extract_text()
    # the title page: the bank, its version, fields to fill in, the instructions
    first = re.sub(r"\s+", " ", lv_pdf.pages[0].extract_text())
    assert "lv-customer-service-2013" in first and "versija 1.0.0" in first
    assert "Aizpildītājs (vārds, uzvārds, amats)" in first and "Kā aizpildīt anketu" in first
    # each question page names one question
    ids = [q.id for q in bundled_bank.questions]
    for page, qid in zip(lv_pdf.pages[2:], ids, strict=True):
        text = page.extract_text()
        assert f"{qid} ·" in text, qid
        assert sum(f"{other} ·" in text for other in ids) == 1


def test_seven_tick_boxes_and_lines_to_write_per_question(bundled_bank):
    def walk(flowables):
        for f in flowables:
            yield f
            yield from walk(getattr(f, "_content", []))
            for row in getattr(f, "_cellvalues", []):
                for cell in row:
                    yield from walk(cell if isinstance(cell, list) else [cell])

    found = list(walk(story_of(bundled_bank, "en")))
    assert sum(isinstance(f, TickBox) for f in found) == 7 * len(bundled_bank)
    assert sum(isinstance(f, WriteLines) for f in found) == 2 * len(bundled_bank)


def test_english_questionnaire(bundled_bank):
    text = flat(read(render_questionnaire(bundled_bank, "en")))
    assert "How to fill in the questionnaire" in text and "Don't know" in text
    first = next(bundled_bank.questions)
    assert first.text.en in text and first.text.lv not in text
    assert re.search(r"Page 1 of \d+", text)


def test_bank_text_with_markup_prints_literally():
    raw = yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))
    question = raw["dimensions"][0]["questions"][0]
    question["text"]["en"] = "Is <b>bold</b> & <font size=40>big</font> shown? \"'"
    question["levels"][2]["en"] = "<para>level & two</para>"
    bank = parse_bank(raw, "markup")
    text = flat(read(render_questionnaire(bank, "en")))
    assert "Is <b>bold</b> & <font size=40>big</font> shown? \"'" in text
    assert "<para>level & two</para>" in text


def test_rendered_once_per_bank_version_and_language(mini_bank):
    first = questionnaire_pdf(mini_bank, "lv")
    assert questionnaire_pdf(mini_bank, "lv") is first
    assert questionnaire_pdf(mini_bank, "en") is not first


def test_a_description_longer_than_a_page_splits_instead_of_failing():
    raw = yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))
    question = raw["dimensions"][0]["questions"][0]
    question["levels"][1]["en"] = "lorem ipsum dolor " * 3000 + "ENDMARK"
    question["text"]["en"] = "long question " * 1000
    question["help"]["en"] = "help " * 3000
    reader = read(render_questionnaire(parse_bank(raw, "long"), "en"))
    text = flat(reader)
    assert "ENDMARK" in text and "alpha.two" in text
    assert len(reader.pages) > 10


def test_very_long_bank_texts_everywhere_still_make_a_questionnaire():
    from assessment.reporting.questionnaire import _canvas_maker

    raw = yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))
    big = "word " * 4000
    raw["title"]["en"] = raw["source"]["en"] = raw["scale"][2]["en"] = big
    raw["dimensions"][0]["title"]["en"] = big
    raw["dimensions"][0]["description"] = {"lv": "apraksts", "en": big}
    raw["dimensions"][0]["questions"][0]["evidence_examples"][0]["en"] = big
    bank = parse_bank(raw, "long")
    # the running footer is cut before it is fitted to the line (fitting is quadratic)
    assert len(_canvas_maker(bank, "en").footer_left) <= 160
    reader = read(render_questionnaire(bank, "en"))
    assert len(reader.pages) > 20 and "beta.three" in flat(reader)


def test_an_indicator_question_asks_for_its_figure_period_and_shows_its_bands():
    """Bank 2.0.0's 2.2.7 indicators: a value line with the unit, a period line, the five bands
    (decimal comma in Latvian) with their descriptions, no level boxes — only N/A and don't know."""
    from assessment.domain.bank import bundled_registry

    bank = bundled_registry().get("lv-customer-service-2013", "2.0.0")
    question = bank.question("targets.kpi-satisfaction")
    reader = read(render_questionnaire(bank, "lv"))
    page = next(
        re.sub(r"\s+", " ", p.extract_text())
        for p in reader.pages
        if "targets.kpi-satisfaction ·" in p.extract_text()
    )
    t = QLABELS["lv"]
    assert t["value"] in page and question.details.unit.lv in page
    assert t["period"] in page and "2026-Q3" in page and t["bands"] in page
    for band in ("0 · < 3", "1 · ≥ 3, < 3,5", "3 · ≥ 4, < 4,5", "4 · ≥ 4,5"):
        assert band in page, band
    for descriptor in question.levels:
        assert descriptor.lv in page
    assert bank.scale[0].lv not in page  # the maturity labels belong to maturity questions
    assert "Rādītāja jautājumā ierakstiet" in re.sub(r"\s+", " ", reader.pages[0].extract_text())

    def walk(flowables):
        for f in flowables:
            yield f
            yield from walk(getattr(f, "_content", []))
            for row in getattr(f, "_cellvalues", []):
                for cell in row:
                    yield from walk(cell if isinstance(cell, list) else [cell])

    boxes = sum(isinstance(f, TickBox) for f in walk(story_of(bank, "en")))
    indicators = sum(q.type == "indicator" for q in bank.questions)
    assert indicators == 5
    assert boxes == 7 * (len(bank) - indicators) + 2 * indicators
