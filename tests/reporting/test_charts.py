"""The SVG charts (web) and the ReportLab radar (PDF)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reportlab.graphics.shapes import Drawing

from assessment.domain.answers import Answer
from assessment.domain.scoring import score
from assessment.reporting.build import build_report
from assessment.reporting.charts import gap_bars_svg, radar_drawing, radar_svg, wrap_label

from .conftest import DATE, levels_for, mini_answers

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_radar_has_one_axis_per_dimension_and_a_text_alternative(mini_report):
    root = parse(radar_svg(mini_report))
    axes = [e for e in root.iter(f"{SVG}line") if e.get("class") == "axis"]
    assert len(axes) == len(mini_report.dimensions) == 2
    assert [a.get("data-dimension") for a in axes] == ["alpha", "beta"]
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert "Valsts ieņēmumu dienests" in title.text
    assert "Alpha (lv ā) 1,33" in desc.text and "Beta (lv ā) 2,00" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    series = [
        e.get("class") for e in root.iter(f"{SVG}polygon") if "series" in (e.get("class") or "")
    ]
    assert series == ["series target", "series backed"]


def test_radar_of_the_bundled_bank_has_eight_axes(bundled_bank):
    report = build_report(
        bundled_bank,
        levels_for(bundled_bank, lambda i, q: i % 5),
        lang="lv",
        organisation="Iestāde",
        title="",
        date=DATE,
    )
    svg = radar_svg(report)
    root = parse(svg)
    assert len([e for e in root.iter(f"{SVG}line") if e.get("class") == "axis"]) == 8
    for dim in bundled_bank.dimensions:
        assert dim.title.lv.split()[0] in svg


def test_radar_shows_the_previous_assessment_dashed(mini_bank):
    previous = score(mini_bank, {"alpha.one": Answer("alpha.one", level=1)})
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation="O",
        title="",
        date=DATE,
        previous=previous,
    )
    root = parse(radar_svg(report))
    prev = [e for e in root.iter(f"{SVG}polygon") if e.get("class") == "series previous"]
    assert len(prev) == 1 and prev[0].get("stroke-dasharray")
    assert "Previous assessment" in root.find(f"{SVG}desc").text


def test_svg_text_is_escaped(mini_bank):
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation="<script>alert(1)</script> & Co",
        title="",
        date=DATE,
    )
    svg = radar_svg(report)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    parse(svg)


def test_gap_bars_one_bar_per_dimension(mini_report_en):
    root = parse(gap_bars_svg(mini_report_en))
    bars = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    assert [b.get("data-dimension") for b in bars] == ["alpha", "beta"]
    assert root.find(f"{SVG}title").text == "Gap to target by dimension"
    assert "Alpha 1.67" in root.find(f"{SVG}desc").text


def test_radar_drawing_for_the_pdf(mini_report):
    drawing = radar_drawing(mini_report, 400, 250)
    assert isinstance(drawing, Drawing) and (drawing.width, drawing.height) == (400, 250)


def test_wrap_label_keeps_lines_short():
    lines = wrap_label("Darbinieku apmācība, motivācija un uz klientu orientēta kultūra", 22)
    assert len(lines) <= 3 and all(len(line) <= 23 for line in lines)
    assert wrap_label("x" * 60, 20, 2)[-1].endswith("…")
