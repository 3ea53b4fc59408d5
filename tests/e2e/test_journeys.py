"""Browser journeys, each in Latvian and in English (issue 6, item 1).

(a) An institution member does a whole self-assessment with the keyboard alone.
Journeys (b) a respondent through a private link and (c) the consensus workshop live in
test_guided_journeys.py.
"""

from __future__ import annotations

import re

import pytest

from .conftest import LANGS, Keys, login

pytestmark = pytest.mark.e2e

# The answer given to the n-th question of the assessment: every choice, levels most often.
CHOICES = ("3", "2", "4", "1", "0", "na", "2", "dk", "3", "1")
ORDER = ("0", "1", "2", "3", "4", "na", "dk")  # the radios' order on the page
INDICATOR_ORDER = ("v", "na", "dk")  # an indicator question's radios: the value, N/A, don't know
COMMENT = {
    "lv": "Kārtība apstiprināta ar rīkojumu; filiālēs ieviešana turpinās.",
    "en": "Approved by order; roll-out in the branches continues.",
}
EVIDENCE_TITLE = "Iekšējie noteikumi Nr. 12 „Klientu apkalpošanas standarts”"
EVIDENCE_URL = "https://example.lv/standarts"


def byid(element_id: str) -> str:
    """A CSS selector for an id (question ids hold dots, which `#id` would read as classes)."""
    return f'[id="{element_id}"]'


def choose(page, keys: Keys, qid: str, value: str) -> None:
    """Tab into the question's radio group, pick `value` with Space and the arrow keys. An
    indicator question (bank 2.0.0's 2.2.7 KPIs) gets a typed figure and period for a level, or
    its N/A / don't know radio."""
    name = f"q-{qid}-answer"
    order = ORDER
    if page.locator(byid(f"q-{qid}-value")).count():
        if value not in ("na", "dk"):
            keys.type_into(byid(f"q-{qid}-value"), "4,5" if "satisfaction" in qid else "95")
            keys.type_into(byid(f"q-{qid}-period"), "2026")
            return
        order = INDICATOR_ORDER
    keys.tab_to(f'input[name="{name}"]')
    current = page.evaluate("n => document.activeElement.value", name)
    if current != order[0] or page.evaluate("() => document.activeElement.checked"):
        # A checked radio gets the focus: move back to the first one.
        for _ in range(order.index(current)):
            page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    for _ in range(order.index(value)):
        page.keyboard.press("ArrowDown")
    checked = page.evaluate(
        "n => (document.querySelector(`input[name='${n}']:checked`) || {}).value", name
    )
    assert checked == value, f"{qid}: keyboard chose {checked!r}, wanted {value!r}"


def add_comment_and_evidence(page, keys: Keys, qid: str, lang: str) -> None:
    """The question's comment, then open Evidence (Enter on its summary) and fill one item."""
    keys.type_into(byid(f"q-{qid}-comment"), COMMENT[lang])
    keys.tab_to(f"{byid(f'q-{qid}')} details.evidence > summary")
    if not page.evaluate("() => document.activeElement.parentElement.open"):
        page.keyboard.press("Enter")
    keys.type_into(byid(f"q-{qid}-ev-0-title"), EVIDENCE_TITLE)
    keys.type_into(byid(f"q-{qid}-ev-0-url"), EVIDENCE_URL)


@pytest.mark.parametrize("lang", LANGS)
def test_member_completes_assessment_by_keyboard(page, keys, live, seed, lang):
    org, email = seed.member()
    page.goto(f"/lang/{lang}?next=/login")
    assert page.locator("html").get_attribute("lang") == lang
    login(page, keys, email)
    assert page.locator("html").get_attribute("lang") == lang

    # Dashboard → organisation → new assessment, following links by Tab and Enter.
    keys.activate(f'main a[href="/organisations/{org}"]', rf"/organisations/{org}$")
    keys.activate(f'main a[href="/organisations/{org}/assessments/new"]', r"/assessments/new$")
    title = f"E2E {lang} " + seed.unique("pašnovērtējums")
    keys.type_into("#title", title)
    response = keys.activate("main form button[type=submit]", r"/assessments/\d+$")
    assessment_id = int(re.search(r"/assessments/(\d+)$", response.url).group(1))

    # Start answering: the first dimension's page.
    keys.activate('main a[href$="/resume"]', r"/dimensions/[\w-]+$")
    n = 0
    pages = 0
    while True:
        pages += 1
        assert pages <= 20, "the questionnaire never reached the review"
        qids = page.locator("form.questionnaire fieldset.question").evaluate_all(
            "els => els.map(e => e.id.slice(2))"
        )
        assert qids, f"no questions on {page.url}"
        for qid in qids:
            choose(page, keys, qid, CHOICES[n % len(CHOICES)])
            if n == 0:
                add_comment_and_evidence(page, keys, qid, lang)
            n += 1
        # "Save and continue" (on the last page "Save and review"), by keyboard.
        response = keys.activate(
            "form.questionnaire button[name=action][value=next]",
            r"/(dimensions/[\w-]+|review)\?saved=1$",
        )
        assert page.locator(".flashes").count() == 1  # "Saved."
        if response.url.endswith("/review?saved=1"):
            break

    stored = seed.query(lambda: _stored(assessment_id))
    assert stored["count"] == n, f"{stored['count']} answers stored, {n} given"
    assert stored["values"] >= 3  # bank 2.0.0's indicators: typed figures, their levels follow
    first = stored["first"]
    assert first.comment == COMMENT[lang]
    assert first.evidence == [{"title": EVIDENCE_TITLE, "url": EVIDENCE_URL}]

    # Review: nothing unanswered; complete.
    assert page.locator("main h2").first.inner_text().endswith("(0)")
    keys.activate(
        'main form[action$="/state/completed"] button[type=submit]',
        rf"/assessments/{assessment_id}$",
    )
    assert seed.query(lambda: _state(assessment_id)) == "completed"

    # The report, then the PDF from the report page.
    response = keys.activate('main a[href$="/report"]', rf"/assessments/{assessment_id}/report$")
    assert response.status == 200
    assert title in page.locator("main .report").first.inner_text()  # the report body
    keys.tab_to('main a[href*="/report.pdf"]')
    with page.expect_response(lambda r: "/report.pdf" in r.url) as info:
        page.keyboard.press("Enter")
    opened = info.value
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    # Chromium shows an inline PDF in its viewer (Playwright then sees the viewer's page), so
    # the bytes are fetched again with the browser's cookies to check that they are a PDF.
    pdf = page.context.request.get(opened.url)
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"


def _stored(assessment_id: int) -> dict:
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import AnswerRecord

    rows = db.session.scalars(
        select(AnswerRecord)
        .where(AnswerRecord.assessment_id == assessment_id)
        .order_by(AnswerRecord.id)
    ).all()
    for row in rows:
        db.session.expunge(row)
    return {
        "count": len(rows),
        "first": rows[0] if rows else None,
        "values": sum(row.value is not None and row.level is not None for row in rows),
    }


def _state(assessment_id: int) -> str:
    from assessment.extensions import db
    from assessment.models import Assessment

    return db.session.get(Assessment, assessment_id).state
