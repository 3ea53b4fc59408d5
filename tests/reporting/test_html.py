"""The HTML partial templates/reports/_report_body.html renders the same Report, escaped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from assessment.domain.answers import Answer
from assessment.domain.scoring import score
from assessment.reporting.build import build_report
from assessment.reporting.labels import fmt_date, fmt_num

from .conftest import DATE, MARKUP, ORG, levels_for, mini_answers

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(scope="module")
def env():
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


def render(env, report, **extra) -> str:
    return env.get_template("reports/_report_body.html").render(
        report=report, L=report.L, fmt_num=fmt_num, fmt_date=fmt_date, **extra
    )


def row_of(html: str, dimension_id: str) -> str:
    match = re.search(rf'<tr id="dimension-{dimension_id}".*?</tr>', html, re.S)
    assert match, dimension_id
    return match.group(0)


def test_user_text_is_escaped(env, mini_bank):
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation="<script>alert(1)</script> & Co",
        title="<b>T</b>",
        date=DATE,
        action_meta={"beta.one": {"owner": "<i>me</i>"}},
    )
    html = render(env, report)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;font color=red&gt;x&lt;/font&gt; "
        "&lt;para&gt;" in html
    )  # the comment, in the appendix
    assert "&lt;b&gt;T&lt;/b&gt;" in html and "&lt;i&gt;me&lt;/i&gt;" in html


def test_same_figures_as_assessment_score(env, mini_bank, mini_report):
    html = render(env, mini_report)
    figures = score(mini_bank, mini_answers()).to_dict("lv")
    for dim in figures["dimensions"]:
        row = row_of(html, dim["id"])
        for key in ("maturity", "evidence_backed", "gap"):
            assert f">{fmt_num(dim[key], 'lv')}<" in row, (dim["id"], key)
        assert f">{dim['target']}<" in row and f">{dim['counted']}<" in row
    overall = figures["overall"]
    assert fmt_num(overall["maturity"], "lv") in html  # 1,89
    assert fmt_num(overall["evidence_backed"], "lv") in html
    assert "47,2\u00a0%" in html and overall["label"] in html


def test_semantic_structure_and_language(env, mini_report):
    html = render(env, mini_report)
    assert html.lstrip().startswith('<article class="report report-is-draft" lang="lv">')
    assert html.count("<h2") >= 6 and "<h1" in html
    assert html.count("<caption") >= 3
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count('role="img"') == 2  # radar and gap bars
    assert html.count('class="axis"') == len(mini_report.dimensions)
    assert "Rīcības plāns" in html and "MELNRAKSTS" in html and "Apstiprināja" not in html
    assert "26.11.2026." in html
    import dataclasses

    done = render(env, dataclasses.replace(mini_report, completed_on=DATE))
    assert done.lstrip().startswith('<article class="report" lang="lv">')
    assert "Sagatavoja" in done and "Apstiprināja" in done and "MELNRAKSTS" not in done


def test_action_plan_groups_with_owner_due_status_and_edit_hook(env, mini_bank):
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation=ORG,
        title="",
        date=DATE,
        action_meta={
            "alpha.two": {
                "owner": "Head of client service",
                "due": dt.date(2027, 3, 1),
                "status": "done",
            }
        },
    )
    seen = []

    def action_form_for(action):
        seen.append(action.question_id)
        return Markup(f'<form class="edit" data-q="{action.question_id}"></form>')

    html = render(env, report, action_form_for=action_form_for)
    assert seen == [a.question_id for a in report.actions]
    assert html.count('<form class="edit"') == len(report.actions)
    item = re.search(r'<li class="action status-done" id="action-alpha.two".*?</li>', html, re.S)
    assert item and "Head of client service" in item.group(0)
    assert "1 March 2027" in item.group(0) and "Done" in item.group(0)
    assert "Groups: \u201cNow\u201d — the 5 highest-priority actions" in html
    assert render(env, report).count("<form") == 0  # without the hook, no form


def test_trend_and_unsupported_claims(env, mini_bank):
    previous = score(mini_bank, {"alpha.one": Answer("alpha.one", level=0)})
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation=ORG,
        title="",
        date=DATE,
        previous=previous,
    )
    html = render(env, report)
    assert "Trend since the previous assessment" in html and "+1.33" in html
    assert "Unsupported claims" in html and "alpha.one evidence example" in html
    assert MARKUP not in html


def test_bundled_bank_html(env, bundled_bank):
    report = build_report(
        bundled_bank,
        levels_for(bundled_bank, lambda i, q: i % 4),
        lang="en",
        organisation=ORG,
        title="",
        date=DATE,
    )
    html = render(env, report)
    assert html.count('class="axis"') == 8
    for dim in bundled_bank.dimensions:
        assert f'id="dimension-{dim.id}"' in html


def test_print_stylesheet_is_a4_without_navigation():
    css = (TEMPLATES.parent / "assessment" / "static" / "report.css").read_text("utf-8")
    print_part = css[css.index("@media print") :]
    assert "size: A4" in print_part
    assert "nav" in print_part and ".no-print" in print_part and "header.site" in print_part
    assert ".report-section { break-before: page; }" in print_part
