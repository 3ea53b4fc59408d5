"""Browser journey of issue 16: an answer changed twice shows both changes in its history, with
names and times; a flag and a confidence travel through the questionnaire, the review page, the
report (HTML and PDF) and the JSON export."""

from __future__ import annotations

import io
import json
import re

import pytest

from .conftest import login

pytestmark = pytest.mark.e2e

Q = "values.mission"


def field(q: str, suffix: str) -> str:
    return f'[id="q-{q}-{suffix}"]'


def test_answer_changed_twice_shows_both_changes_in_its_history(page, keys, live, seed):
    org, member = seed.member()
    _uid, consultant = seed.consultant(org)
    a = seed.assessment(org)

    def set_name(email, name):
        from assessment.extensions import db
        from assessment.models import User

        def run():
            db.session.query(User).filter(User.email == email).update({"name": name})
            db.session.commit()

        seed.query(run)

    set_name(member, "Ilze Kalniņa")
    set_name(consultant, "Jānis Bērziņš")
    page_url = f"/assessments/{a}/dimensions/values"

    login(page, keys, member)
    page.goto(page_url)
    page.check(f'input[name="q-{Q}-answer"][value="2"]')
    page.fill(field(Q, "comment"), "Pirmā versija")
    page.click('form.questionnaire .buttons button[name="action"][value="save"]')
    page.wait_for_url(re.compile(r"saved=1"))
    page.click("button.link")  # the menu's Log out
    page.wait_for_url(re.compile(r"/login"))

    login(page, keys, consultant)
    page.goto(page_url)
    page.check(f'input[name="q-{Q}-answer"][value="3"]')
    page.fill(field(Q, "comment"), "Otrā versija")
    page.select_option(field(Q, "confidence"), "low")
    page.check(field(Q, "flag"))
    page.fill(field(Q, "flag-note"), "Pārbaudīt rīkojumu")
    page.click('form.questionnaire .buttons button[name="action"][value="save"]')
    page.wait_for_url(re.compile(r"saved=1"))

    # the history: a disclosure on the question, loaded on demand through its link
    page.click(f'[id="q-{Q}"] details.history > summary')
    page.click(f'[id="q-{Q}"] details.history a')
    page.wait_for_url(re.compile(rf"/history/{re.escape(Q)}$"))
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 2
    newest, oldest = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "Jānis Bērziņš" in newest and "Otrā versija" in newest and "Pirmā versija" in newest
    assert "Ilze Kalniņa" in oldest and "Pirmā versija" in oldest
    assert page.locator("table.history time").count() == 2
    assert all(re.search(r"\d{4}", t) for t in page.locator("table.history time").all_inner_texts())

    # flag and confidence: review page, report (HTML, PDF), JSON export
    page.goto(f"/assessments/{a}/review")
    assert "Pārbaudīt rīkojumu" in page.locator("ul.flagged").inner_text()
    page.goto(f"/assessments/{a}/report")
    assert "Pārbaudīt rīkojumu" in page.locator("#report-flagged").inner_text()
    assert "zemu pārliecību" in page.locator("ul.confidence").inner_text()
    from pypdf import PdfReader

    pdf = page.request.get(live.url(f"/assessments/{a}/report.pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Pārbaudīt rīkojumu" in text and "zemu pārliecību" in text
    doc = json.loads(page.request.get(live.url(f"/assessments/{a}/export.json")).body())
    answer = next(x for x in doc["answers"] if x["question"] == Q)
    assert answer["confidence"] == "low" and answer["flag"] == {"note": "Pārbaudīt rīkojumu"}
