"""Respondents' private links, §5 consolidation in the product, disagreements, workshop."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from tests.conftest import csrf_token


def invite(client, assessment_id, name, email="", expires=""):
    """Invite through the page; return the private link's path."""
    url = f"/assessments/{assessment_id}/respondents"
    token = csrf_token(client, url)
    line = f"{name}, {email}" if email else name
    response = client.post(url, data={"csrf_token": token, "people": line, "expires": expires})
    assert response.status_code == 302, response.data[:500]
    html = client.get(url).get_data(as_text=True)
    links = re.findall(r'id="link-\d+"[^>]*value="(http[^"]+)"', html)
    assert links
    return "/" + links[-1].split("/", 3)[3]


def answer(client, link, dimension, answers, submit=False):
    """Save a dimension page as a respondent; answers: {question: (choice, comment, ev_title)}."""
    html = client.get(link + dimension).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "action": "save"}
    # What the page says it showed, as a browser sends it back (the save checks it).
    data.update(re.findall(r'name="(q-[\w.-]+-(?:version|seen))" value="([^"]*)"', html))
    for qid, (choice, comment, ev) in answers.items():
        data[f"q-{qid}-answer"] = choice
        data[f"q-{qid}-comment"] = comment
        if ev:
            data[f"q-{qid}-evcount"] = "1"
            data[f"q-{qid}-ev-0-title"] = ev
    response = client.post(link + dimension, data=data)
    assert response.status_code == 302, response.data[:800]
    if submit:
        token = csrf_token(client, link + "submit")
        assert client.post(link + "submit", data={"csrf_token": token}).status_code == 302


@pytest.fixture()
def consultant(client, auth, factory):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    a = factory.assessment(org)
    auth.login("janis@example.lv")
    return org, a


@pytest.fixture()
def three_respondents(app, client, consultant):
    """Three respondents answer from their own browsers (fresh clients) and submit."""
    org, a = consultant
    links = [invite(client, a, name) for name in ("Anna", "Bruno", "Cilda")]
    given = [
        {"values.mission": ("1", "Nav rakstīts", ""), "values.co-created": ("na", "", "")},
        {
            "values.mission": ("3", "Ir stratēģija", "Stratēģija 2025"),
            "values.co-created": ("na", "", ""),
        },
        {"values.mission": ("4", "", ""), "values.co-created": ("2", "daļēji", "")},
    ]
    for link, answers in zip(links, given, strict=True):
        other = app.test_client()
        answer(other, link, "values", answers, submit=True)
    return org, a, links


def test_invite_shows_link_to_its_creator_only_and_lists_progress(
    app, client, auth, factory, consultant
):
    org, a = consultant
    link = invite(client, a, "Anna Bērziņa", "anna@example.lv")
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{32}/", link)  # 24 random bytes = 192 bits
    page = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert "Anna Bērziņa" in page and link in page  # a reload shows it again
    # Another user of the same organisation sees the respondent, never the link.
    factory.user("ilze@example.lv", "member", org)
    other = app.test_client()
    from tests.conftest import Auth

    Auth(other).login("ilze@example.lv")
    page = other.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert "Anna Bērziņa" in page and link not in page
    assert other.get(f"/assessments/{a}/respondents/new-links.csv").status_code == 302


def test_token_is_stored_hashed(app, client, consultant):
    from assessment.extensions import db
    from assessment.models import Respondent

    org, a = consultant
    link = invite(client, a, "Anna")
    token = link.split("/")[2]
    with app.app_context():
        row = db.session.query(Respondent).one()
        assert row.token_hash != token and len(row.token_hash) == 64


def test_respondent_answers_continues_and_is_locked_after_submit(app, client, consultant):
    org, a = consultant
    link = invite(client, a, "Anna")
    other = app.test_client()
    assert other.get(link).status_code == 200
    answer(other, link, "values", {"values.mission": ("2", "mans komentārs", "")})
    page = other.get(link + "values").get_data(as_text=True)
    assert "mans komentārs" in page and 'value="2" checked' in page
    token = csrf_token(other, link + "submit")
    assert other.post(link + "submit", data={"csrf_token": token}).status_code == 302
    # locked: a later save changes nothing
    token = csrf_token(other, link + "values")
    other.post(link + "values", data={"csrf_token": token, "q-values.mission-answer": "4"})
    assert 'value="2" checked' in other.get(link + "values").get_data(as_text=True)
    page = client.get(f"/assessments/{a}/respondents").get_data(as_text=True)
    assert "not yet" not in page.split("Anna")[1].split("</tr>")[0]


def test_respondent_form_needs_csrf(app, client, consultant):
    org, a = consultant
    link = invite(client, a, "Anna")
    other = app.test_client()
    response = other.post(link + "values", data={"q-values.mission-answer": "2"})
    assert response.status_code == 400


def test_token_opens_nothing_else(app, client, factory, consultant):
    org, a = consultant
    other_org = factory.organisation("Cita iestāde")
    b = factory.assessment(other_org)
    link = invite(client, a, "Anna")
    resp = app.test_client()
    assert resp.get(link).status_code == 200
    # the respondent's browser now holds a session cookie: it opens no account page
    for url in [
        f"/assessments/{a}",
        f"/assessments/{b}",
        f"/assessments/{a}/report",
        f"/assessments/{a}/export.json",
        f"/assessments/{a}/respondents",
        f"/assessments/{a}/disagreements",
        f"/assessments/{a}/workshop/values.mission",
        f"/assessments/{a}/dimensions/values",
        f"/organisations/{org}",
        "/portfolio",
        "/",
    ]:
        response = resp.get(url)
        assert response.status_code in (302, 401, 404), url
        if response.status_code == 302:
            assert "/login" in response.location, url
    # ids or other segments in /r/ addresses do not reach other data
    token = link.split("/")[2]
    for url in [
        f"/r/{token}/{a}",
        f"/r/{token}/{b}",
        f"/r/{token}/../assessments/{b}",
        f"/r/{token}/report",
        f"/r/{token}x/",
        f"/r/{b}/",
        f"/r/{token}/values/{b}",
    ]:
        assert resp.get(url).status_code == 404, url


def test_revoked_expired_and_unknown_links_get_a_clear_page(app, client, consultant):
    from assessment.extensions import db
    from assessment.models import Respondent

    org, a = consultant
    revoked = invite(client, a, "Anna")
    expired = invite(client, a, "Bruno")
    with app.app_context():
        rows = {r.name: r for r in db.session.query(Respondent)}
        revoke_id = rows["Anna"].id
        rows["Bruno"].expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.session.commit()
    token = csrf_token(client, f"/assessments/{a}/respondents")
    client.post(f"/assessments/{a}/respondents/{revoke_id}/revoke", data={"csrf_token": token})
    other = app.test_client()
    for url in (revoked, revoked + "values", revoked + "submit"):
        response = other.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 410
        assert "withdrawn" in response.get_data(as_text=True)
    response = other.get(expired + "values", headers={"Accept-Language": "en"})
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    response = other.get("/r/not-a-real-token/", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)
    lv = app.test_client().get(revoked, headers={"Accept-Language": "lv"})
    assert lv.status_code == 410 and "withdrawn" not in lv.get_data(as_text=True)
    # a POST to a dead link is refused cleanly too
    assert other.post(revoked + "values", data={}).status_code in (400, 410)


def test_future_expiry_still_works(app, client, consultant):
    org, a = consultant
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    link = invite(client, a, "Anna", expires=tomorrow)
    assert app.test_client().get(link).status_code == 200


def test_web_consolidation_equals_cli_score_of_export(client, three_respondents, tmp_path):
    from click.testing import CliRunner

    from assessment.cli import main

    org, a, links = three_respondents
    exported = client.get(f"/assessments/{a}/export.json")
    doc = json.loads(exported.data)
    assert [r["name"] for r in doc["respondents"]] == ["Anna", "Bruno", "Cilda"]
    assert doc["answers"] == []
    path = tmp_path / "export.json"
    path.write_bytes(exported.data)
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    # lower median of 1, 3, 4 is 3 (with evidence from Bruno); N/A by 2 of 3
    assert cli["disagreements"] == [{"question": "values.mission", "spread": 3}]
    values = next(d for d in cli["dimensions"] if d["id"] == "values")
    assert values["maturity"] == 3.0 and values["evidence_backed"] == 3.0
    assert values["not_applicable"] == 1

    from assessment.domain.scoring import round_half_up
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.services.banks import get_bank
    from assessment.services.results import score_assessment

    with client.application.app_context():
        item = db.session.get(Assessment, a)
        web = score_assessment(item, get_bank(item.bank_id, item.bank_version)).to_dict(
            item.language
        )
    assert web == cli
    assert round_half_up(None) is None
    # the overview shows the same overall maturity
    page = client.get(f"/assessments/{a}").get_data(as_text=True)
    assert "3,00" in page or "3.00" in page


def test_report_uses_consolidated_answers(client, three_respondents):
    org, a, links = three_respondents
    response = client.get(f"/assessments/{a}/report?lang=en")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Anna" in text and "Cilda" in text
    pdf = client.get(f"/assessments/{a}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_import_recreates_respondents_without_live_links(app, client, three_respondents):
    from assessment.extensions import db
    from assessment.models import Respondent

    org, a, links = three_respondents
    exported = client.get(f"/assessments/{a}/export.json").data
    token = csrf_token(client, f"/organisations/{org}/import")
    response = client.post(
        f"/organisations/{org}/import",
        data={"csrf_token": token, "file": (io.BytesIO(exported), "a.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    new_id = int(response.location.rstrip("/").split("/")[-1])
    with app.app_context():
        rows = db.session.query(Respondent).filter_by(assessment_id=new_id).all()
        assert sorted(r.name for r in rows) == ["Anna", "Bruno", "Cilda"]
        assert all(r.revoked and r.submitted_at for r in rows)
    again = json.loads(client.get(f"/assessments/{new_id}/export.json").data)
    assert again["respondents"] == json.loads(exported)["respondents"]


def test_disagreement_view_named_and_anonymous(client, three_respondents):
    org, a, links = three_respondents
    page = client.get(f"/assessments/{a}/disagreements").get_data(as_text=True)
    assert page.index("values.mission") < page.index("values.co-created")
    assert "Ir stratēģija" in page and "Bruno" in page
    token = csrf_token(client, f"/assessments/{a}/respondents")
    client.post(
        f"/assessments/{a}/respondents/settings",
        data={"csrf_token": token, "anonymous_comments": "y"},
    )
    page = client.get(
        f"/assessments/{a}/disagreements", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Ir stratēģija" in page and "Bruno" not in page and "Respondent 2" in page


def test_workshop_stores_consensus_with_who_and_when(app, client, three_respondents):
    from assessment.extensions import db
    from assessment.models import AnswerRecord, User

    org, a, links = three_respondents
    url = f"/assessments/{a}/workshop/values.mission"
    page = client.get(url).get_data(as_text=True)
    assert 'rel="next"' in page and "workshop" in page
    token = csrf_token(client, url)
    response = client.post(
        url, data={"csrf_token": token, "answer": "2", "comment": "Vienojāmies", "action": "next"}
    )
    assert response.status_code == 302 and "values.co-created" in response.location
    with app.app_context():
        row = db.session.query(AnswerRecord).filter_by(assessment_id=a).one()
        user = db.session.query(User).filter_by(email="janis@example.lv").one()
        assert row.level == 2 and row.comment == "Vienojāmies"
        assert row.updated_by_id == user.id and row.updated_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "janis@example.lv" in page
    exported = json.loads(client.get(f"/assessments/{a}/export.json").data)
    assert exported["answers"][0]["level"] == 2  # consensus wins in the file too
    assert web_equals_cli(client, a)["dimensions"][0]["maturity"] == 2.0


def web_equals_cli(client, assessment_id):
    """Score of the assessment in the app == `assessment score` of its exported file."""
    import tempfile
    from pathlib import Path

    from click.testing import CliRunner

    from assessment.cli import main
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.services.banks import get_bank
    from assessment.services.results import score_assessment

    data = client.get(f"/assessments/{assessment_id}/export.json").data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    with client.application.app_context():
        item = db.session.get(Assessment, assessment_id)
        web = score_assessment(item, get_bank(item.bank_id, item.bank_version)).to_dict(
            item.language
        )
    assert web == cli
    return cli


def test_workshop_keyboard_only_pass_and_skip_agreed(client, three_respondents):
    """Follow only the plain links (what keyboard users tab to and press Enter on)."""
    org, a, links = three_respondents
    response = client.get(f"/assessments/{a}/workshop")
    assert response.status_code == 302
    url = response.location
    seen = []
    for _step in range(100):
        page = client.get(url).get_data(as_text=True)
        seen.append(url)
        match = re.search(r'<a href="([^"]+)" rel="next"', page)
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    with client.application.app_context():
        from assessment.services.banks import get_bank

        total = len(get_bank("lv-customer-service-2013", "1.0.0"))
    assert len(seen) == total and len(set(seen)) == total  # every question once
    first = client.get(f"/assessments/{a}/workshop/values.mission").get_data(as_text=True)
    assert 'src="/static/workshop.js"' in first and 'rel="prev"' not in first
    # skip agreed: a question with an agreed answer (or unanimous respondents) is skipped
    url = f"/assessments/{a}/workshop/values.mission"
    token = csrf_token(client, url)
    client.post(url, data={"csrf_token": token, "answer": "3", "comment": ""})
    response = client.get(f"/assessments/{a}/workshop?skip_agreed=1")
    assert "values.co-created" in response.location and "skip_agreed=1" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert 'rel="prev"' not in page and 'rel="next"' in page
    page = client.get(f"/assessments/{a}/workshop/values.co-created").get_data(as_text=True)
    assert 'rel="prev"' in page


def test_member_can_invite_but_not_other_organisation(app, client, auth, factory):
    org = factory.organisation()
    other = factory.organisation("Cita")
    factory.user("ilze@example.lv", "member", org)
    a = factory.assessment(org)
    b = factory.assessment(other)
    auth.login("ilze@example.lv")
    assert client.get(f"/assessments/{a}/respondents").status_code == 200
    assert client.get(f"/assessments/{b}/respondents").status_code == 404
    assert client.get(f"/assessments/{b}/disagreements").status_code == 404
    assert client.get(f"/assessments/{b}/workshop/values.mission").status_code == 404


def test_expired_form_keeps_the_respondents_answers(app, client, consultant):
    org, a = consultant
    link = invite(client, a, "Anna")
    other = app.test_client()
    other.get(link + "values")
    response = other.post(
        link + "values",
        data={
            "csrf_token": "expired-or-forged",
            "q-values.mission-answer": "3",
            "q-values.mission-comment": "garš teksts",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "garš teksts" in page and 'value="3" checked' in page
    assert 'value="3" checked' not in other.get(link + "values").get_data(as_text=True)
    # a dead link with an expired form still gets the clear page, not a 500
    from assessment.extensions import db
    from assessment.models import Respondent

    with app.app_context():
        db.session.query(Respondent).update({"revoked": True})
        db.session.commit()
    response = other.post(link + "values", data={"csrf_token": "x"})
    assert response.status_code == 410


def test_respondent_in_two_tabs_loses_nothing(app, client, consultant):
    """Tab A and tab B open the same page; B saves; A's save is a 409 showing both values and
    overwrites nothing (issue 10, item 6)."""
    from assessment.extensions import db
    from assessment.models import RespondentAnswer

    org, a = consultant
    link = invite(client, a, "Anna")
    browser = app.test_client()
    answer(browser, link, "values", {"values.mission": ("1", "pirmais", "")})
    tab_a = browser.get(link + "values").get_data(as_text=True)
    tab_b = browser.get(link + "values").get_data(as_text=True)

    def fields(html, choice, comment):
        data = dict(
            re.findall(r'name="(q-values\.mission-(?:version|seen))" value="([^"]*)"', html)
        )
        data.update(
            {
                "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
                "action": "save",
                "q-values.mission-answer": choice,
                "q-values.mission-comment": comment,
            }
        )
        return data

    assert browser.post(link + "values", data=fields(tab_b, "3", "otrā cilne")).status_code == 302
    response = browser.post(link + "values", data=fields(tab_a, "2", "pirmā cilne"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "otrā cilne" in html and "pirmā cilne" in html  # both values shown
    with app.app_context():
        row = db.session.query(RespondentAnswer).filter_by(question_id="values.mission").one()
        assert (row.level, row.comment) == (3, "otrā cilne")  # nothing overwritten
    # Saving again from the conflict page keeps tab A's answer deliberately.
    again = browser.post(link + "values", data=fields(html, "2", "pirmā cilne"))
    assert again.status_code == 302
    with app.app_context():
        row = db.session.query(RespondentAnswer).filter_by(question_id="values.mission").one()
        assert (row.level, row.comment) == (2, "pirmā cilne")


def test_respondent_unchanged_question_keeps_the_other_tabs_answer(app, client, consultant):
    from assessment.extensions import db
    from assessment.models import RespondentAnswer

    org, a = consultant
    link = invite(client, a, "Anna")
    browser = app.test_client()
    answer(
        browser,
        link,
        "values",
        {"values.mission": ("1", "", ""), "values.co-created": ("1", "", "")},
    )
    stale = browser.get(link + "values").get_data(as_text=True)
    answer(
        browser,
        link,
        "values",
        {"values.mission": ("4", "cits", "pierādījums"), "values.co-created": ("1", "", "")},
    )
    data = {
        k: v
        for k, v in re.findall(
            r'name="(q-values\.[\w.-]+-(?:version|seen))" '
            r'value="([^"]*)"',
            stale,
        )
    }
    data.update(
        {
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', stale).group(1),
            "action": "save",
            "q-values.mission-answer": "1",
            "q-values.co-created-answer": "2",
        }
    )
    assert browser.post(link + "values", data=data).status_code == 302
    with app.app_context():
        rows = {r.question_id: r.level for r in db.session.query(RespondentAnswer)}
        assert rows["values.mission"] == 4 and rows["values.co-created"] == 2


def test_disagreements_on_one_screen_matrix_of_levels(client, three_respondents):
    """Issue 13, item 9: respondents × questions, levels as coloured figures, spread flagged,
    details per question collapsible; anonymous comments keep the matrix anonymous too."""
    org, a, links = three_respondents
    page = client.get(f"/assessments/{a}/disagreements").get_data(as_text=True)
    matrix = page[
        page.index('<table class="spread-matrix"') : page.index(
            "</table>", page.index("spread-matrix")
        )
    ]
    rows = re.findall(r"<tr( class=\"flagged\")?>(.*?)</tr>", matrix, re.S)
    first_flag, first = rows[1]  # rows[0] is the header
    assert first_flag and 'href="#q-values.mission"' in first
    assert re.findall(r'<td class="hm hm-(\w+)">(\S)', first) == [
        ("1", "1"),
        ("3", "3"),
        ("4", "4"),
    ]
    assert "⚑ 3" in first
    assert "Anna" in matrix and "Cilda" in matrix
    assert '<details class="spread-item disagreement" id="q-values.mission">' in page
    token = csrf_token(client, f"/assessments/{a}/respondents")
    client.post(
        f"/assessments/{a}/respondents/settings",
        data={"csrf_token": token, "anonymous_comments": "y"},
    )
    page = client.get(
        f"/assessments/{a}/disagreements", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Anna" not in page and "Respondent 1" in page


def test_workshop_mode_for_a_projector(client, three_respondents):
    """Issue 13, item 10: no site header or menus, the distribution as a labelled bar chart,
    the keyboard shortcuts on screen."""
    org, a, links = three_respondents
    page = client.get(f"/assessments/{a}/workshop/values.mission").get_data(as_text=True)
    assert 'class="workshop-mode"' in page
    assert 'aria-label="Galvenā izvēlne"' not in page and '<header class="site">' not in page
    assert '<footer class="site">' not in page
    assert "Iziet no darbnīcas" in page
    chart = page[page.index("<svg viewBox") : page.index("</svg>")]
    # one labelled bar per answer that was given: levels 1, 3 and 4 by one respondent each
    assert chart.count('class="bar-fill') == 3 and 'class="bar-fill bar-4"' in chart
    assert re.search(r'class="bar-label">4 · [^<]+</text>', chart)
    assert '<title id="chart-title">' in chart
    for key in ("<kbd>N</kbd>", "<kbd>F</kbd>", "<kbd>Esc</kbd>", "<kbd>0</kbd>"):
        assert key in page, key
    assert "style=" not in page and "<script>" not in page  # the CSP allows neither
