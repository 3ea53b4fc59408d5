"""The three users' journeys through the new screens (issue 13, "Done when"), in Latvian and
English, in Chromium: the leader (a viewer), the consultant with several clients and the
institution's member. Links are followed by keyboard where the older journeys do so
(test_journeys.py, test_guided_journeys.py); what those already cover is not repeated here."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from .conftest import LANGS, login
from .test_journeys import choose

pytestmark = pytest.mark.e2e

REPORT_ORDER = [
    "report-summary",
    "report-sure",
    "report-first",
    "report-owners",
    "report-signoff",
]  # where / how sure / what first / who by when / sign-off


def _complete(seed, assessment_id: int) -> None:
    from assessment.extensions import db
    from assessment.models import Assessment

    def run():
        db.session.get(Assessment, assessment_id).state = "completed"
        db.session.commit()

    seed.query(run)


def _in_language(page, lang: str) -> None:
    page.goto(f"/lang/{lang}?next=/")
    assert page.locator("html").get_attribute("lang") == lang


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    return float(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None


# --- the leader -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_leader_dashboard_report_pdf_and_nothing_to_change(page, keys, seed, lang):
    name = seed.unique("Vadītāja iestāde")
    org = seed.organisation(name)
    a = seed.assessment(org, title=seed.unique("Pašnovērtējums"), language=lang)
    seed.answer_all(a)
    _complete(seed, a)
    email = seed.unique("vaditajs") + "@example.lv"
    seed.user(email, "viewer", org)
    login(page, keys, email)
    _in_language(page, lang)

    # The dashboard's card: progress bar, evidence-backed maturity, largest gap, next step.
    card = page.locator("li.card").filter(has_text=name)
    assert card.count() == 1
    assert card.locator("progress").count() == 1
    assert _number(card.locator(".card-figures dd.figure").inner_text().split("/")[0]) is not None
    assert card.locator(".card-figures dd").nth(1).inner_text().strip()
    assert card.locator(".card-next a.button.primary").count() == 1

    # The overview: the one primary action opens the report; nothing to edit.
    keys.activate(f'li.card h3 a[href="/assessments/{a}"]', rf"/assessments/{a}$")
    primary = page.locator(".primary-action a.button.primary")
    assert primary.count() == 1 and primary.get_attribute("href").endswith(f"/{a}/report")
    assert page.locator(f'main form[action$="/assessments/{a}/settings"]').count() == 0
    assert page.locator('main form[action*="/state/"]').count() == 0
    assert page.locator('main a[href$="/resume"]').count() == 0

    # The report: where are we, how sure, what first, who owns it by when, sign-off — in order.
    keys.activate(".primary-action a.button.primary", rf"/assessments/{a}/report$")
    ids = page.locator("main .report-section").evaluate_all("els => els.map(e => e.id)")
    assert ids[:5] == REPORT_ORDER, ids

    # The PDF: named after the organisation, a PDF indeed.
    pdf = page.context.request.get(f"/assessments/{a}/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    disposition = pdf.headers["content-disposition"]
    exact = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name in exact and exact.endswith(".pdf"), disposition

    # A POST is refused: the settings form, tried by request with a valid CSRF token.
    token = page.locator("input[name=csrf_token]").first.input_value()
    refused = page.context.request.post(
        f"/assessments/{a}/settings",
        form={"csrf_token": token, "evidence_max_age_months": "12"},
        max_redirects=0,
    )
    assert refused.status == 403
    refused = page.context.request.post(
        f"/assessments/{a}/state/archived", form={"csrf_token": token}, max_redirects=0
    )
    assert refused.status == 403
    assert seed.query(lambda: _state(a)) == "completed"


def _state(assessment_id: int) -> str:
    from assessment.extensions import db
    from assessment.models import Assessment

    return db.session.get(Assessment, assessment_id).state


# --- the consultant ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_consultant_portfolio_benchmark_matrix_and_workshop(page, keys, seed, lang):
    kind = seed.unique("Valsts aģentūra")
    clients = []
    for n in range(6):
        org = seed.organisation(seed.unique(f"Klients {n}"), kind=kind)
        a = seed.assessment(org, title="Pašnovērtējums 2026", language=lang)
        seed.answer_all(a, evidence=n % 2 == 0)  # evidence-backed maturity differs
        _complete(seed, a)
        clients.append((org, a))
    # A seventh client is still answering, with respondents who disagree.
    busy = seed.organisation(seed.unique("Klients aptaujā"), kind=kind)
    guided = seed.assessment(busy, title="Darbinieku aptauja", language=lang)
    qids = seed.question_ids(guided)
    said = (("0", "4", "2"), ("1", "3", "dk"), ("4", "0", "na"))
    people = ("Anna Bērziņa", "Jānis Ozoliņš", "Līga Kalniņa")
    for person, who in enumerate(people):
        seed.respondent(
            guided, who, {qid: (said[i % 3][person], "") for i, qid in enumerate(qids)}, submit=True
        )
    # Peers for the benchmark: organisations the consultant does not advise (never their own
    # clients), five of the same kind of institution and five of others.
    for n in range(10):
        peer = seed.organisation(
            seed.unique("Salīdzināmā iestāde"), kind=kind if n < 5 else seed.unique("Pašvaldība")
        )
        done = seed.assessment(peer, title="Pašnovērtējums 2025")
        seed.answer_all(done, evidence=n % 3 == 0)
        _complete(seed, done)
    _uid, email = seed.consultant(*(org for org, _a in clients), busy)
    login(page, keys, email)
    _in_language(page, lang)

    # Portfolio: sorted by maturity, filtered to completed assessments (the GET form).
    page.goto("/portfolio")
    page.select_option("#sort", "maturity")
    page.select_option("#dir", "asc")
    page.select_option("#state", "completed")
    keys.activate("form.portfolio-filters button[type=submit]", r"/portfolio\?.*sort=maturity")
    assert "state=completed" in page.url
    rows = page.locator("table.portfolio tbody tr")
    assert rows.count() == 6  # the client still answering is filtered out
    states = rows.locator("span.state").evaluate_all("els => els.map(e => e.className)")
    assert all("completed" in s for s in states)
    figures = [
        _number(t)
        for t in rows.evaluate_all("trs => trs.map(tr => tr.querySelectorAll('td')[2].textContent)")
    ]
    assert None not in figures and figures == sorted(figures), figures
    assert (
        page.locator("table.portfolio thead a[aria-current=true]")
        .get_attribute("href")
        .find("sort=maturity")
        >= 0
    )
    heat = page.locator("table.heat-map")
    assert heat.is_visible() and heat.locator("tbody tr").count() == 6

    # A client's benchmark, from the portfolio by keyboard: a chart per dimension, which peers.
    org, a = clients[0]
    keys.activate(
        f'table.portfolio a[href="/assessments/{a}/benchmark"]', rf"/assessments/{a}/benchmark$"
    )
    charts = page.locator("svg.bench")
    assert charts.count() >= 5
    assert charts.first.get_attribute("role") == "img"
    assert page.locator(".bench-own").count() >= 1
    basis = page.locator("p.peers-basis")
    assert basis.is_visible() and kind in basis.inner_text()  # the same kind of institution

    # The disagreement matrix: respondents × questions.
    page.goto(f"/assessments/{guided}/disagreements")
    matrix = page.locator("table.spread-matrix")
    assert matrix.is_visible()
    names = page.locator("ol.matrix-people li").all_inner_texts()
    assert [n.strip() for n in names] == list(people)

    # The workshop for a projector: no site header, its own bar.
    page.goto(f"/assessments/{guided}/workshop")
    page.wait_for_url(re.compile(rf"/assessments/{guided}/workshop/[^/?#]+"))
    assert page.locator("body.workshop-mode").count() == 1
    assert page.locator("header.site").count() == 0
    assert page.locator("header.workshop-bar").is_visible()
    assert page.locator(".workshop-chart svg").is_visible()


# --- the institution --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_member_continues_answers_reviews_and_exports(page, keys, seed, lang):
    name = seed.unique("Iestāde")
    org = seed.organisation(name)
    a = seed.assessment(org, title=seed.unique("Pašnovērtējums"), language=lang)
    email = seed.unique("member") + "@example.lv"
    user_id = seed.user(email, "member", org)
    qids = seed.question_ids(a)
    seed.consensus(a, user_id, {qid: ("2", "") for qid in qids[:3]})
    login(page, keys, email)
    _in_language(page, lang)

    # The card's next step continues at the first unanswered question.
    card = page.locator("li.card").filter(has_text=name)
    assert card.locator("progress").get_attribute("value") == "3"
    keys.activate(
        f'li.card .card-next a.button.primary[href*="/assessments/{a}/"]',
        rf"/assessments/{a}/dimensions/[\w-]+",
    )
    page.wait_for_url(re.compile(rf"#q-{re.escape(qids[3])}$"))

    # Answer it by keyboard and save.
    choose(page, keys, qids[3], "3")
    keys.activate(
        "form.questionnaire button[name=action][value=next]",
        r"/(dimensions/[\w-]+|review)\?saved=1$",
    )
    assert page.locator(".flashes").count() == 1
    stored = seed.query(lambda: _level(a, qids[3]))
    assert stored == 3

    # Review before completing: what is left, each linked.
    page.goto(f"/assessments/{a}/review")
    left = len(qids) - 4
    assert page.locator("#h-unanswered").inner_text().strip().endswith(f"({left})")
    assert page.locator("#unanswered a").count() >= 1
    assert page.locator(f'#unanswered a[href*="{qids[3]}"]').count() == 0

    # Exports: the answers as XLSX, by keyboard from the overview.
    page.goto(f"/assessments/{a}")
    keys.tab_to(f'main a[href$="/assessments/{a}/export.xlsx"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".xlsx")
    xlsx = page.context.request.get(f"/assessments/{a}/export.xlsx")
    assert xlsx.ok and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx.body()[:2] == b"PK"


def _level(assessment_id: int, qid: str):
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import AnswerRecord

    return db.session.scalars(
        select(AnswerRecord.level).where(
            AnswerRecord.assessment_id == assessment_id, AnswerRecord.question_id == qid
        )
    ).first()
