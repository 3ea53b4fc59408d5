"""Browser journey of the standard builder (issue 14), in Latvian and in English, by keyboard:
assess → draft the standard from the gaps → approve → publish → read the public page.

The questionnaire itself is driven key by key in test_journeys.py; here the answers are stored
through the service layer and the member completes the assessment on its review page.
"""

from __future__ import annotations

import re

import pytest

from .conftest import LANGS, Keys, login

pytestmark = pytest.mark.e2e

TEXT = {
    "lv": {
        "channel": "Klientu apkalpošanas centrs",
        "hours": "P.–Pk. 8:30–17:00",
        "approver": "Ģenerāldirektore Ilze Ķēniņa",
        "title": "Klientu apkalpošanas standarts",
        "hours_error": "neeksistē",
    },
    "en": {
        "channel": "Customer service centre",
        "hours": "Mon–Fri 8:30–17:00",
        "approver": "Director General Ilze Ķēniņa",
        "title": "Customer service standard",
        "hours_error": "does not exist",
    },
}


def go(keys: Keys, selector: str, url_pattern: str):
    """Tab to a link or button and press Enter (Keys.activate: it waits for the navigation
    itself, so a redirect back to the same address — the standard's page, with an anchor — is
    not taken for the old page)."""
    return keys.activate(selector, url_pattern)


def save_section(page, keys: Keys, org: int, section: str) -> None:
    """Open a section's form from the standard's page (Tab, Enter)."""
    go(keys, f'main a[href$="/sections/{section}"]', rf"/sections/{section}$")


def submit_form(keys: Keys, org: int) -> None:
    """Save the section (Tab to the primary button, Enter); back on the standard's page."""
    go(keys, "main form.standard-form button.primary", rf"/organisations/{org}/standard")


@pytest.mark.parametrize("lang", LANGS)
def test_assess_draft_approve_publish_read(page, keys, live, seed, browser, lang):
    t = TEXT[lang]
    org, email = seed.member()
    assessment = seed.assessment(org, title=f"Pašnovērtējums {lang}", language=lang)
    seed.answer_all(assessment)  # levels 0–4 in turn: many answers below target

    page.goto(f"/lang/{lang}?next=/login")
    login(page, keys, email)

    # Assess: complete the assessment on its review page.
    page.goto(f"/assessments/{assessment}/review")
    keys.activate(
        'main form[action$="/state/completed"] button[type=submit]', rf"/assessments/{assessment}$"
    )

    # The organisation's page links to the standard; draft it.
    page.goto(f"/organisations/{org}")
    keys.activate(f'main a[href="/organisations/{org}/standard"]', rf"/{org}/standard$")
    keys.activate("main form button[type=submit]", rf"/organisations/{org}/standard$")
    assert page.locator("html").get_attribute("lang") == lang

    # Suggestions from the gaps, each traced to a clause and a question; accept the first.
    offered = page.locator("li.suggestion").count()
    assert offered >= 3
    first = page.locator("li.suggestion").first.inner_text()
    assert re.search(r"2\.2\.\d", first) and re.search(r"[a-z]+\.[a-z-]+", first)
    go(keys, "li.suggestion button[value=accept]", rf"/organisations/{org}/standard")
    assert page.locator("li.suggestion").count() == offered - 1
    decided = seed.query(lambda: _suggestions(org))
    assert [s["status"] for s in decided].count("accepted") == 1

    # Scope: the whole institution (a radio, by Space).
    save_section(page, keys, org, "scope")
    keys.tab_to("#kind")
    page.keyboard.press("Space")
    submit_form(keys, org)

    # Channels: a wrong time is refused with a message; then corrected.
    save_section(page, keys, org, "channels")
    keys.tab_to("#ch-0-kind")
    page.keyboard.press("ArrowDown")  # in person
    keys.type_into("#ch-0-name", t["channel"])
    keys.type_into("#ch-0-hours", "8:30–25:00")
    keys.tab_to("main form.standard-form button.primary")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.keyboard.press("Enter")
    assert info.value.status == 400
    page.wait_for_load_state("domcontentloaded")
    assert t["hours_error"] in page.locator(".error-summary").inner_text()
    keys.tab_to("#ch-0-hours")
    page.keyboard.press("Control+A")
    page.keyboard.type(t["hours"])
    submit_form(keys, org)

    # Service norms and indicators: tick the guideline's first offer in each.
    for section in ("norms", "indicators"):
        save_section(page, keys, org, section)
        keys.tab_to('main input[type=checkbox][name$="-add"]')
        page.keyboard.press("Space")
        submit_form(keys, org)
    content = seed.query(lambda: _content(org))
    assert content["scope"]["kind"] == "institution"
    assert content["channels"][0]["hours"] == t["hours"]
    assert content["norms"] and content["indicators"]
    assert all(i["target"] for i in content["indicators"])

    # Approve: by whom, which order, when.
    keys.type_into("#approved_by", t["approver"])
    keys.type_into("#decision_number", "1-1/42")
    keys.tab_to("#approved_on")
    page.locator("#approved_on").fill("2026-12-01")
    go(keys, "main form[action$='/approve'] button[type=submit]", rf"/organisations/{org}/standard")
    assert seed.query(lambda: _state(org)) == "approved"

    # Publish, then follow the public address.
    go(
        keys,
        "main form[action$='/publish'] button[value=publish]",
        rf"/organisations/{org}/standard$",
    )
    keys.activate('main a[href^="/standards/"]', r"/standards/[\w-]+$")
    public_url = page.url

    # Read the public page without logging in.
    context = browser.new_context(base_url=live.base, locale="lv-LV")
    try:
        anonymous = context.new_page()
        response = anonymous.goto(public_url)
        assert response.status == 200
        assert anonymous.locator("h1").inner_text().startswith(t["title"])
        article = anonymous.locator("article.public-standard")
        assert article.get_attribute("lang") == lang
        body = article.inner_text()
        assert t["channel"] in body and t["hours"] in body
        assert anonymous.locator("article h2").count() == 7  # every component, a heading each
        assert anonymous.locator("article table").count() == 2  # channels and indicators
        assert anonymous.locator("form").count() <= 1  # only the header's (empty) menu
        # Nothing unpublished: another address is not found.
        assert anonymous.goto(live.url("/standards/nav-publicets")).status == 404
    finally:
        context.close()


def _version(org_id: int):
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import Standard, StandardVersion

    return db.session.scalar(
        select(StandardVersion)
        .join(Standard)
        .where(Standard.organisation_id == org_id)
        .order_by(StandardVersion.number.desc())
        .limit(1)
    )


def _suggestions(org_id: int):
    return list(_version(org_id).suggestions)


def _content(org_id: int):
    return dict(_version(org_id).content)


def _state(org_id: int):
    return _version(org_id).state
