"""Guided-assessment journeys in a real browser, each in Latvian and in English (issues 5 and 6).

(b) A respondent answers the whole questionnaire through a private link with the keyboard alone,
    submits, and the link opens nothing else.
(c) A consultant runs the consensus workshop with the keyboard alone: agreed answers and notes,
    the navigation links, the n / p / d keys and the "skip agreed" filter.

Data is made through the service layer (conftest `Seed`); the browser uses Tab, Space, the
arrow keys, Enter and typing — never click().
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from .conftest import LANGS, Keys, login, pick, press_for_page

pytestmark = pytest.mark.e2e

ORDER = ("0", "1", "2", "3", "4", "na", "dk")  # a question's radios, in page order
AGREED_ORDER = ("0", "1", "2", "3", "4", "na", "dk", "")  # the workshop's, "" = no agreed answer
# The respondent's answer to the n-th question: every choice, levels most often.
CHOICES = ("2", "3", "1", "na", "4", "0", "2", "dk", "3")
COMMENT = {
    "lv": "Klientu apkalpošanas kārtība ir, bet filiālēs to vēl neievēro.",
    "en": "There is a procedure, but the branches do not follow it yet.",
}
NOTE = {
    "lv": "Vienojāmies: dokuments pieņemts, ieviešana notiek pakāpeniski.",
    "en": "Agreed: the document is adopted, the roll-out is done step by step.",
}
OPEN_DISAGREEMENTS = {
    "lv": r"Neatrisinātas viedokļu atšķirības: (\d+)\.",
    "en": r"Open disagreements: (\d+)\.",
}
REPORT_DISAGREEMENTS = {
    "lv": r"(\d+) jautājumos respondentu vērtējumi atšķiras par 2 un vairāk līmeņiem: "
    r"(\d+) atrisinātas ar vienošanos, (\d+) vēl jāapspriež",
    "en": r"On (\d+) questions the respondents' levels differ by 2 or more: "
    r"(\d+) resolved by consensus, (\d+) still to discuss",
}


def byid(element_id: str) -> str:
    """A CSS selector for an id (question ids hold dots, which `#id` would read as classes)."""
    return f'[id="{element_id}"]'


def open_in(page, lang: str, path: str) -> None:
    """Choose the interface language, landing on `path`."""
    page.goto(f"/lang/{lang}?next={path}")
    assert page.locator("html").get_attribute("lang") == lang


# --- (b) a respondent through a private link -------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_respondent_answers_through_private_link_by_keyboard(page, keys, seed, lang):
    org = seed.organisation(seed.unique("Iestāde „Respondenti”"))
    assessment_id = seed.assessment(org, title=seed.unique(f"Aptauja {lang}"), language=lang)
    respondent_id, token = seed.respondent(assessment_id, "Anna Bērziņa")
    link = f"/r/{token}/"

    open_in(page, lang, link)
    assert urlparse(page.url).path == link
    # The welcome page: "Start answering" by Tab and Enter.
    keys.activate(f'main a.button.primary[href^="{link}"]', rf"{link}[\w-]+$")

    n = 0
    pages = 0
    while True:
        pages += 1
        assert pages <= 20, "the questionnaire never reached the submit page"
        assert page.locator("html").get_attribute("lang") == lang
        qids = page.locator("form.questionnaire fieldset.question").evaluate_all(
            "els => els.map(e => e.id.slice(2))"
        )
        assert qids, f"no questions on {page.url}"
        for qid in qids:
            pick(page, keys, f"q-{qid}-answer", CHOICES[n % len(CHOICES)], ORDER)
            if n in (0, 20):
                keys.type_into(byid(f"q-{qid}-comment"), COMMENT[lang])
            n += 1
        # "Save and continue" (on the last page "Save and review"), by keyboard.
        response = keys.activate(
            "form.questionnaire button[name=action][value=next]", rf"{link}[\w-]+\?saved=1$"
        )
        assert page.locator(".flashes").count() == 1  # "Saved."
        if response.url.endswith("/submit?saved=1"):
            break

    # The submit page: nothing unanswered; hand in.
    assert page.locator("main h2").first.inner_text().endswith("(0)")
    keys.activate(f'main form[action="{link}submit"] button[type=submit]', rf"{link}submit$")
    page.locator(".flashes .flash.success").wait_for()  # the same address: wait for the page
    assert page.locator("main form button[type=submit]").count() == 0  # locked now

    stored = seed.query(lambda: _respondent_stored(respondent_id))
    assert stored["submitted"], "the respondent is not marked as submitted"
    assert stored["count"] == n == 51, f"{stored['count']} answers stored, {n} given"
    assert stored["comments"] == [COMMENT[lang]] * 2

    # The link opens nothing else: other pages want a login, made-up ones do not exist.
    for path in (
        f"/assessments/{assessment_id}",
        f"/assessments/{assessment_id}/report",
        f"/assessments/{assessment_id}/report.pdf",
        f"/assessments/{assessment_id}/respondents",
        f"/assessments/{assessment_id}/disagreements",
        f"/assessments/{assessment_id}/workshop",
        f"/organisations/{org}",
        "/portfolio",
        "/",
        f"{link}../../assessments/{assessment_id}",
    ):
        response = page.goto(path)
        assert response.status == 200 and urlparse(page.url).path == "/login", (
            f"{path} opened {page.url} (HTTP {response.status}) from a respondent's browser"
        )
        assert page.locator("#password").count() == 1
    for path in (
        f"{link}../",
        f"{link}report",
        f"{link}{assessment_id}",
        f"{link}export.json",
        f"/r/{token}x/",
    ):
        response = page.goto(path)
        assert response.status == 404, f"{path}: HTTP {response.status} at {page.url}"
        assert "Anna Bērziņa" not in page.content()
    # …while the link itself still shows the respondent their own, submitted, questionnaire.
    assert page.goto(link).status == 200
    assert page.locator("main .flash.info").count() == 1


def _respondent_stored(respondent_id: int) -> dict:
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import Respondent, RespondentAnswer

    item = db.session.get(Respondent, respondent_id)
    rows = db.session.scalars(
        select(RespondentAnswer)
        .where(RespondentAnswer.respondent_id == respondent_id)
        .order_by(RespondentAnswer.id)
    ).all()
    return {
        "submitted": item.submitted_at is not None,
        "count": len(rows),
        "comments": [r.comment for r in rows if r.comment],
    }


# --- (c) the consensus workshop ----------------------------------------------------------------


# What three respondents said, by question position modulo 4: unanimous, spread 4, spread 1,
# spread 2 — so every fourth question from the second on (and from the fourth on) is a
# disagreement (spread ≥ 2) and every fourth from the first is agreed without discussion.
PATTERN = (("2", "2", "2"), ("0", "2", "4"), ("2", "3", "3"), ("1", "3", "dk"))
PEOPLE = ("Anna", "Bruno", "Cilda")


def seed_workshop(seed, lang: str) -> dict:
    """An organisation, its consultant, and an assessment with three submitted respondents."""
    org = seed.organisation(seed.unique("Iestāde „Darbnīca”"))
    user_id, email = seed.consultant(org)
    assessment_id = seed.assessment(org, title=seed.unique(f"Darbnīca {lang}"), language=lang)
    qids = seed.question_ids(assessment_id)
    for person, name in enumerate(PEOPLE):
        answers = {}
        for i, qid in enumerate(qids):
            choice = PATTERN[i % 4][person]
            comment = f"{name}: {qid} – ā č ē" if i % 4 in (1, 3) else ""
            answers[qid] = (choice, comment)
        seed.respondent(assessment_id, name, answers, submit=True)
    flagged = sum(1 for i in range(len(qids)) if i % 4 in (1, 3))
    return {
        "org": org,
        "user_id": user_id,
        "email": email,
        "id": assessment_id,
        "qids": qids,
        "flagged": flagged,
        "unanimous": sum(1 for i in range(len(qids)) if i % 4 == 0),
    }


def agree(page, keys: Keys, lang: str, value: str, button: str, url_pattern: str) -> None:
    """Set the agreed answer and note by keyboard, then Enter on a save button."""
    pick(page, keys, "answer", value, AGREED_ORDER)
    before = page.url
    # The note's letters include n, p and d: in a text field they type, they do not navigate.
    keys.type_into("#agreed-comment", NOTE[lang])
    assert page.url == before
    assert page.input_value("#agreed-comment") == NOTE[lang]
    keys.activate(f"form.agreed button[name=action][value={button}]", url_pattern)
    # "Agreed answer saved." (waited for: after "Save" the address stays the same)
    page.locator(".flashes .flash.success").wait_for()


def at(qid: str, skip: bool = False) -> str:
    """A URL pattern for the workshop page of one question."""
    return rf"/workshop/{re.escape(qid)}" + (r"\?skip_agreed=1$" if skip else "$")


@pytest.mark.parametrize("lang", LANGS)
def test_consultant_runs_consensus_workshop_by_keyboard(page, keys, seed, lang):
    w = seed_workshop(seed, lang)
    q = w["qids"]
    aid = w["id"]
    open_in(page, lang, "/login")
    login(page, keys, w["email"])

    # Dashboard → the assessment → its disagreement view, by Tab and Enter.
    keys.activate(f'main a[href="/assessments/{aid}"]', rf"/assessments/{aid}$")
    keys.activate(f'main a[href="/assessments/{aid}/disagreements"]', r"/disagreements$")
    text = page.locator("main").inner_text()
    opened = int(re.search(OPEN_DISAGREEMENTS[lang], text).group(1))
    assert opened == w["flagged"]
    sections = page.locator("main details.spread-item")
    assert sections.first.get_attribute("class").split().count("disagreement") == 1  # first
    assert page.locator("main details.spread-item.disagreement").count() == w["flagged"]

    # The workshop: its first question (agreed by all three).
    keys.activate(f'main a[href="/assessments/{aid}/workshop"]', at(q[0]))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".workshop table.distribution").count() == 1
    # d: jump to the next disagreement (focus is on the page, not in a field).
    press_for_page(page, "d", at(q[1]))
    assert page.locator(".workshop .badge.warn").count() == 1
    assert page.locator(".workshop ul.comments li").count() == 3

    # Agree on question 2 and save ("Save": the same question again, with who set it).
    agree(page, keys, lang, "3", "save", at(q[1]))
    assert page.locator("input[name=answer]:checked").get_attribute("value") == "3"
    assert w["email"] in page.locator("form.agreed p.hint").inner_text()

    # n next, p previous (focus outside text fields: the page after loading, a link).
    press_for_page(page, "n", at(q[2]))
    press_for_page(page, "p", at(q[1]))
    keys.tab_to('.workshop-nav a[data-key="n"]')
    press_for_page(page, "n", at(q[2]))

    # The "Next disagreement" link, by Tab and Enter: question 4 (question 2 is agreed now).
    keys.activate('.workshop-nav a[data-key="d"]', at(q[3]))
    agree(page, keys, lang, "1", "next", at(q[4]))  # "Save and go to the next question"

    # Skip agreed questions: the filter is kept while moving.
    keys.activate('.workshop-nav a[href*="skip_agreed=1"]', at(q[4], skip=True))
    press_for_page(page, "n", at(q[5], skip=True))
    # Back over the agreed ones (q[4] unanimous, q[3] and q[1] by consensus) to q[2].
    press_for_page(page, "p", at(q[2], skip=True))
    press_for_page(page, "d", at(q[5], skip=True))  # the next open disagreement
    remaining = len(q) - w["unanimous"] - 2
    meta = page.locator(".workshop-meta").inner_text()
    assert re.search(rf"\b{remaining}\b", meta), f"{remaining} questions left? {meta!r}"
    agree(page, keys, lang, "na", "save", at(q[5], skip=True))
    press_for_page(page, "p", at(q[2], skip=True))
    keys.activate('.workshop-nav a[href$="/workshop/' + q[2] + '"]', at(q[2]))  # show all
    press_for_page(page, "n", at(q[3]))

    # Stored as the assessment's consensus answers, with who set them.
    stored = seed.query(lambda: _consensus_stored(aid))
    assert stored == {
        q[1]: ("3", NOTE[lang], w["user_id"]),
        q[3]: ("1", NOTE[lang], w["user_id"]),
        q[5]: ("na", NOTE[lang], w["user_id"]),
    }

    # The disagreement view and the report: three resolved, fewer open.
    page.goto(f"/assessments/{aid}/disagreements")
    after = int(re.search(OPEN_DISAGREEMENTS[lang], page.locator("main").inner_text()).group(1))
    assert after == opened - 3
    response = page.goto(f"/assessments/{aid}/report")
    assert response.status == 200
    found = re.search(
        REPORT_DISAGREEMENTS[lang],
        " ".join(page.locator("main .report").first.inner_text().split()),
    )
    assert found, "the report does not state the disagreements"
    total, resolved, still_open = map(int, found.groups())
    assert (total, resolved, still_open) == (w["flagged"], 3, w["flagged"] - 3)
    assert still_open < opened


def _consensus_stored(assessment_id: int) -> dict:
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import AnswerRecord

    out = {}
    for row in db.session.scalars(
        select(AnswerRecord).where(AnswerRecord.assessment_id == assessment_id)
    ):
        choice = (
            str(row.level)
            if row.level is not None
            else ("na" if row.not_applicable else "dk" if row.dont_know else "")
        )
        assert row.updated_at is not None
        out[row.question_id] = (choice, row.comment, row.updated_by_id)
    return out
