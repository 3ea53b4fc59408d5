"""The facilitator's experience in a real browser, in Latvian and English (issue 13 items 1, 2,
3 and 12): several people invited at once with all links shown, copied and downloaded, a fresh
link, a withdrawal confirmed; the respondents' distribution on the facilitator's questionnaire;
the review before completing; Enter in an evidence field saves instead of adding rows.

With E2E_SHOTS=<dir> every changed page is also saved as a PNG at 1280 and 390 px wide."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from .conftest import LANGS, login

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SHOTS")


def shoot(page, name: str) -> None:
    """Full-page screenshots at 1280 and 390 px (only with E2E_SHOTS)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)


def facilitator(page, keys, seed, lang, title):
    org, _email = seed.member()
    user_id, email = seed.consultant(org)
    a = seed.assessment(org, title=seed.unique(title), language=lang)
    login(page, keys, email)
    page.goto(f"/lang/{lang}?next=/")
    return org, a, user_id


@pytest.mark.parametrize("lang", LANGS)
def test_invite_several_copy_download_fresh_link_and_withdraw(page, keys, seed, lang):
    org, a, _uid = facilitator(page, keys, seed, lang, "Uzaicinājumi")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/assessments/{a}/respondents")
    # A bad line is named by its number; nothing is created.
    page.fill("#people", "Anna Bērziņa, anna@example.lv\nBruno Kalns, nav-adrese")
    page.click("main form[action$='/respondents'] button[type=submit]")
    assert re.search(r"2\. rinda|Line 2", page.locator(".field.has-error .error").inner_text())
    shoot(page, f"invite-error-{lang}")
    page.fill(
        "#people", "Anna Bērziņa, anna@example.lv\nBruno Kalns, bruno@example.lv\nCilda Ozola"
    )
    page.click("main form[action$='/respondents'] button[type=submit]")
    page.wait_for_url(re.compile(r"/respondents#new-links$"))
    links = page.locator("#new-links input.link-field")
    assert links.count() == 3
    values = [links.nth(i).input_value() for i in range(3)]
    assert all("/r/" in v for v in values) and len(set(values)) == 3
    # The copy buttons work (the script un-hides them) and say so.
    copy = page.locator("#new-links button[data-copy]").first
    assert copy.is_visible()
    copy.click()
    page.locator("#copy-status").filter(has_text=re.compile(".+")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == values[0]
    page.locator("#new-links .actions button[data-copy]").click()
    assert page.evaluate("navigator.clipboard.readText()").count("/r/") == 3
    # A reload shows the same links and creates nobody twice.
    page.reload()
    assert page.locator("#new-links input.link-field").count() == 3
    assert page.locator("table.respondents:not(.withdrawn) tbody tr").count() == 3
    shoot(page, f"invite-links-{lang}")
    # CSV of the links.
    with page.expect_download() as info:
        page.click("#new-links a[download]")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == values
    # A fresh link for Anna: asked first, then the old link stops working.
    page.locator("table.respondents tbody tr", has_text="Anna Bērziņa").locator(
        "a[href$='/fresh-link']"
    ).click()
    shoot(page, f"fresh-link-{lang}")
    page.click("main form button.primary")
    page.wait_for_url(re.compile(r"#new-links$"))
    fresh = (
        page.locator("#new-links li", has_text="Anna Bērziņa")
        .locator("input.link-field")
        .input_value()
    )
    assert fresh != values[0]
    # Withdrawing Bruno asks first (no script needed), then shows him apart.
    page.locator("table.respondents tbody tr", has_text="Bruno Kalns").locator(
        "a[href$='/revoke']"
    ).click()
    assert page.locator("h1").inner_text().count("Bruno Kalns") == 1
    shoot(page, f"revoke-{lang}")
    page.click("main form button.primary")
    page.wait_for_url(re.compile(r"/respondents$"))
    assert page.locator("table.withdrawn tbody tr", has_text="Bruno Kalns").count() == 1
    assert (
        page.locator("table.respondents:not(.withdrawn) tbody tr", has_text="Bruno Kalns").count()
        == 0
    )
    shoot(page, f"invite-after-{lang}")
    other = page.context.new_page()
    assert other.goto(values[0]).status == 404  # Anna's old link
    assert other.goto(values[1]).status == 410  # Bruno's, withdrawn
    assert other.goto(fresh).status == 200
    other.close()


def test_copy_degrades_to_selectable_text_without_javascript(browser, live, seed):
    context = browser.new_context(java_script_enabled=False, base_url=live.base, locale="lv-LV")
    page = context.new_page()
    org, _ = seed.member()
    _uid, email = seed.consultant(org)
    a = seed.assessment(org, title=seed.unique("Bez skriptiem"))
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", seed.password)
    page.click("form.narrow button[type=submit]")
    page.goto(f"/assessments/{a}/respondents")
    page.fill("#people", "Anna\nBruno")
    page.click("main form[action$='/respondents'] button[type=submit]")
    page.wait_for_url(re.compile(r"#new-links$"))
    assert page.locator("#new-links input.link-field").count() == 2
    assert page.locator("#new-links input.link-field").first.is_visible()
    assert not page.locator("#new-links button[data-copy]").first.is_visible()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_consensus_is_explicit_and_review_before_completing(page, keys, seed, lang):
    org, a, uid = facilitator(page, keys, seed, lang, "Vienošanās")
    for name, choice in (("Anna", "0"), ("Bruno", "2"), ("Cilda", "4")):
        seed.respondent(
            a, name, {"values.mission": (choice, ""), "values.co-created": ("3", "")}, submit=True
        )
    seed.respondent(a, "Dace")  # invited, not submitted
    seed.consensus(a, uid, {"values.co-created": ("3", "")})
    page.goto(f"/assessments/{a}/dimensions/values")
    assert page.locator(".consensus-note").is_visible()
    dist = page.locator('[id="q-values.mission"] .respondent-dist')
    assert dist.locator("li.has-count").count() == 3
    assert dist.locator(".badge.warn").count() == 1
    figure = page.locator(".page-progress .progress-label").inner_text()
    assert re.search(r"1 (no|of) 51", figure)
    shoot(page, f"questionnaire-respondents-{lang}")
    page.goto(f"/assessments/{a}")
    assert page.locator(".progress-figure .progress-label").inner_text() == figure
    shoot(page, f"overview-{lang}")
    page.click(f"main a[href='/assessments/{a}/review']")
    page.wait_for_url(re.compile(r"/review$"))
    assert page.locator("#disagreements li a[href*='/workshop/values.mission']").count() == 1
    assert page.locator("#not_submitted li", has_text="Dace").count() == 1
    assert page.locator("#unsupported li a[href$='#q-values.co-created']").count() == 1
    shoot(page, f"review-{lang}")
    # Complete without confirming: refused, with the reason; then confirmed: completed.
    page.click("#complete button.primary")
    page.wait_for_url(re.compile(r"/review#complete$"))
    assert page.locator(".flash.error").count() == 1
    page.check("#accept_disagreements")
    page.click("#complete button.primary")
    page.wait_for_url(re.compile(rf"/assessments/{a}$"))
    assert page.locator(".flash.success").count() == 1
    # Continue (before completing) opened the first unanswered question: checked elsewhere.


@pytest.mark.parametrize("lang", LANGS)
def test_continue_opens_first_unanswered_and_enter_saves(page, keys, seed, lang):
    org, a, uid = facilitator(page, keys, seed, lang, "Enter")
    seed.consensus(a, uid, {"values.mission": ("2", "")})
    page.goto(f"/assessments/{a}")
    page.click(f"main a[href='/assessments/{a}/resume']")
    page.wait_for_url(re.compile(r"/dimensions/values#q-values.co-created$"))
    question = page.locator('[id="q-values.co-created"]')
    question.locator("details.evidence > summary").click()
    title = question.locator("input[name$='-ev-0-title']")
    title.fill("Klientu apkalpošanas kārtība")
    rows_before = question.locator("input[name$='-title']").count()
    with page.expect_navigation():
        title.press("Enter")
    assert "more=" not in page.url and "saved=1" in page.url
    question = page.locator('[id="q-values.co-created"]')
    # The item saved and the usual one blank row; "add another" would have given two blank.
    assert question.locator("input[name$='-title']").count() == rows_before + 1
    assert (
        question.locator("input[name$='-ev-0-title']").input_value()
        == "Klientu apkalpošanas kārtība"
    )
    shoot(page, f"questionnaire-{lang}")
