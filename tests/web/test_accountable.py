"""Accountable answers (issue 16): answer history, review flags, confidence, the audit trail,
the viewer role, respondents' personal data."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import JSON, String, Text, inspect, select, text

from assessment.extensions import db
from assessment.models import AnswerHistory, AuditEvent, Respondent, User
from tests.conftest import DEFAULT_PASSWORD, csrf_token
from tests.web.test_respondents import invite

PAGE = "/assessments/{a}/dimensions/values"
Q = "values.mission"


@pytest.fixture()
def world(app, client, auth, factory):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    factory.user("ilze@example.lv", "member", org)
    factory.user("vera@example.lv", "viewer", org)
    factory.user("admin@example.lv", "admin")
    with app.app_context():
        for email, name in (
            ("janis@example.lv", "Jānis Bērziņš"),
            ("ilze@example.lv", "Ilze Kalniņa"),
        ):
            db.session.scalar(select(User).where(User.email == email)).name = name
        db.session.commit()
    a = factory.assessment(org)
    return org, a


def save(client, a, **fields):
    """Save the values page as a browser would: hidden fields back, the given ones set."""
    url = PAGE.format(a=a)
    html = client.get(url).get_data(as_text=True)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data["csrf_token"] = csrf_token(client, url)
    data["action"] = "save"
    data.update(fields)
    return client.post(url, data=data)


def history_rows(app, a):
    with app.app_context():
        return list(
            db.session.scalars(
                select(AnswerHistory)
                .where(AnswerHistory.assessment_id == a)
                .order_by(AnswerHistory.id)
            )
        )


# --- 1. answer history -------------------------------------------------------------------------


def test_every_change_is_recorded_with_who_when_before_and_after(app, client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    assert save(client, a, **{f"q-{Q}-answer": "2", f"q-{Q}-comment": "Pirmā"}).status_code == 302
    auth.logout()
    auth.login("ilze@example.lv")
    assert (
        save(
            client,
            a,
            **{f"q-{Q}-answer": "3", f"q-{Q}-comment": "Otrā", f"q-{Q}-confidence": "low"},
        ).status_code
        == 302
    )
    rows = history_rows(app, a)
    assert [(r.question_id, r.source, r.after["answer"]) for r in rows] == [
        (Q, "staff", "2"),
        (Q, "staff", "3"),
    ]
    html = client.get(f"/assessments/{a}/history/{Q}").get_data(as_text=True)
    assert "Jānis Bērziņš" in html and "Ilze Kalniņa" in html
    assert html.count("<time datetime=") == 2
    # the second change's "before" is the first one's "after" (written without a read)
    assert re.search(r"Ilze Kalniņa.*?Otrā", html, re.S) and "Pirmā" in html


def test_reading_a_questionnaire_page_does_not_read_history(app, client, auth, world):
    from tests.web.test_query_budget import statements

    org, a = world
    auth.login("janis@example.lv")
    save(client, a, **{f"q-{Q}-answer": "2"})
    client.get(PAGE.format(a=a))
    with statements(app) as seen:
        html = client.get(PAGE.format(a=a)).get_data(as_text=True)
    assert not [s for s in seen if "answer_history" in s]
    assert f'href="/assessments/{a}/history/{Q}"' in html and '<details class="history">' in html


def test_respondent_consensus_and_import_changes_are_recorded(app, client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    link = invite(client, a, "Anna Ozola", "anna@example.lv")
    other = app.test_client()
    html = other.get(link + "values").get_data(as_text=True)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update(
        {
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
            "action": "save",
            f"q-{Q}-answer": "1",
            f"q-{Q}-confidence": "high",
            f"q-{Q}-flag": "1",
            f"q-{Q}-flag-note": "Jāpārbauda",
        }
    )
    assert other.post(link + "values", data=data).status_code == 302
    assert "Jāpārbauda" in other.get(link + "submit").get_data(as_text=True)
    url = f"/assessments/{a}/workshop/{Q}"
    assert (
        client.post(
            url,
            data={
                "csrf_token": csrf_token(client, url),
                "answer": "2",
                "confidence": "medium",
                "version": "0",
                "action": "save",
            },
        ).status_code
        == 302
    )
    sources = [(r.source, r.respondent_id is not None) for r in history_rows(app, a)]
    assert sources == [("respondent", True), ("consensus", False)]
    page = client.get(f"/assessments/{a}/history").get_data(as_text=True)
    assert "Anna Ozola" in page
    # import: every answer of the file gets an entry
    exported = client.get(f"/assessments/{a}/export.json").get_data()
    url = f"/organisations/{org}/import"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(exported), "a.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    b = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert {r.source for r in history_rows(app, b)} == {"import"}


def test_history_exports_as_csv_and_xlsx(app, client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    save(client, a, **{f"q-{Q}-answer": "2", f"q-{Q}-comment": "=HYPERLINK(1)"})
    response = client.get(f"/assessments/{a}/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["question", "changed_at", "who", "source", "before", "after"]
    assert rows[1][0] == Q and rows[1][2] == "Jānis Bērziņš"
    response = client.get(f"/assessments/{a}/history.xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == Q and "HYPERLINK" in values[1][5]
    assert sheet.cell(2, 6).data_type == "s"  # text, never a formula


def test_another_organisation_sees_no_history(client, auth, factory, world):
    org, a = world
    other = factory.organisation("Cita iestāde")
    factory.user("peteris@example.lv", "member", other)
    auth.login("peteris@example.lv")
    for path in (
        f"/assessments/{a}/history",
        f"/assessments/{a}/history/{Q}",
        f"/assessments/{a}/history.csv",
        f"/assessments/{a}/activity",
    ):
        assert client.get(path).status_code == 404, path


# --- 2 and 3. marked for review, confidence ----------------------------------------------------


def test_flags_and_confidence_travel_to_review_report_and_json(app, client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    response = save(
        client,
        a,
        **{
            f"q-{Q}-answer": "3",
            f"q-{Q}-confidence": "low",
            f"q-{Q}-flag": "1",
            f"q-{Q}-flag-note": "Pārbaudīt rīkojumu",
        },
    )
    assert response.status_code == 302
    html = client.get(PAGE.format(a=a)).get_data(as_text=True)
    assert re.search(rf'id="q-{re.escape(Q)}-flag"[^>]*checked', html)
    assert (
        'value="low" selected' in html
        and "does not change the score" in html
        or "vērtējumu nemaina" in html
    )
    review = client.get(f"/assessments/{a}/review").get_data(as_text=True)
    assert "Pārbaudīt rīkojumu" in review and 'name="confirm_flags"' in review
    # completing with a flag asks for confirmation
    url = f"/assessments/{a}/state/completed"
    token = csrf_token(client, f"/assessments/{a}/review")
    assert client.post(url, data={"csrf_token": token}).status_code == 409
    report = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    assert 'id="report-flagged"' in report and "Pārbaudīt rīkojumu" in report
    assert "1 no 1 atbildēm sniegta ar zemu pārliecību" in report
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(client.get(f"/assessments/{a}/report.pdf").data))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "Pārbaudīt rīkojumu" in pdf_text and "zemu pārliecību" in pdf_text
    docx = zipfile.ZipFile(io.BytesIO(client.get(f"/assessments/{a}/report.docx").data))
    assert "Pārbaudīt rīkojumu" in docx.read("word/document.xml").decode()
    doc = json.loads(client.get(f"/assessments/{a}/export.json").data)
    answer = next(x for x in doc["answers"] if x["question"] == Q)
    assert answer["confidence"] == "low" and answer["flag"] == {"note": "Pārbaudīt rīkojumu"}
    assert client.post(url, data={"csrf_token": token, "confirm_flags": "1"}).status_code == 302
    with app.app_context():
        assert (
            db.session.get(__import__("assessment.models").models.Assessment, a).state
            == "completed"
        )


def test_confidence_does_not_change_the_score(app, world):
    from assessment.domain.answers import Answer
    from assessment.domain.scoring import score
    from assessment.services.banks import get_bank

    with app.app_context():
        bank = get_bank("lv-customer-service-2013", "1.0.0")
        plain = {Q: Answer(Q, level=3)}
        sure = {Q: Answer(Q, level=3, confidence="low", flag="x")}
        assert score(bank, plain, {}).maturity == score(bank, sure, {}).maturity


def test_bad_confidence_is_a_clear_400(client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    response = save(client, a, **{f"q-{Q}-answer": "2", f"q-{Q}-confidence": "certain"})
    assert response.status_code == 400
    assert "low, medium or high" in response.get_data(
        as_text=True
    ) or "zemai, vidējai vai augstai" in response.get_data(as_text=True)


def test_answers_file_round_trips_confidence_and_flag(registry):
    from assessment.domain.answers import parse_answers
    from assessment.domain.errors import AnswersError
    from tests.conftest import answers_doc, dump

    doc = answers_doc(
        [{"question": "alpha.one", "level": 2, "confidence": "medium", "flag": {"note": "Skatīt"}}]
    )
    parsed, _bank = parse_answers(dump(doc), registry)
    assert parsed.answers[0].confidence == "medium" and parsed.answers[0].flag == "Skatīt"
    assert parsed.to_dict()["answers"][0] == doc["answers"][0]
    bad = answers_doc([{"question": "alpha.one", "level": 2, "confidence": "sure"}])
    with pytest.raises(AnswersError):
        parse_answers(dump(bad), registry)


# --- 4. audit trail ----------------------------------------------------------------------------


def test_audit_trail_records_who_when_and_address(app, client, auth, world):
    org, a = world
    auth.login("janis@example.lv")
    invite(client, a, "Anna Ozola")
    with app.app_context():
        rid = db.session.scalar(select(Respondent.id))
    url = f"/assessments/{a}/respondents/{rid}/revoke"
    client.post(url, data={"csrf_token": csrf_token(client, f"/assessments/{a}/respondents")})
    client.get(f"/assessments/{a}/report.pdf", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    client.get(f"/assessments/{a}/export.csv")
    token = csrf_token(client, f"/assessments/{a}")
    client.post(f"/assessments/{a}/state/archived", data={"csrf_token": token})
    with app.app_context():
        events = [
            (e.action, e.address)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    actions = [x[0] for x in events]
    assert actions == ["invite", "revoke", "export", "export", "state"]
    assert ("export", "10.1.2.3") in events
    page = client.get(f"/assessments/{a}/activity")
    assert page.status_code == 200 and "10.1.2.3" in page.get_data(as_text=True)
    doc = json.loads(client.get(f"/assessments/{a}/export.json?activity=1").data)
    assert [e["action"] for e in doc["activity"]][:5] == actions
    assert "activity" not in json.loads(client.get(f"/assessments/{a}/export.json").data)


@pytest.mark.parametrize(
    "who, status",
    [
        ("ilze@example.lv", 403),
        ("vera@example.lv", 403),
        ("janis@example.lv", 200),
        ("admin@example.lv", 200),
    ],
)
def test_activity_page_is_for_admins_and_consultants(client, auth, world, who, status):
    org, a = world
    auth.login(who)
    assert client.get(f"/assessments/{a}/activity").status_code == status
    assert client.get(f"/organisations/{org}/activity").status_code == status


def test_organisation_activity_lists_standard_approvals(app, client, auth, world):
    from assessment.models import Organisation
    from assessment.services import standards as sservice

    org, a = world
    auth.login("janis@example.lv")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "janis@example.lv"))
        standard = sservice.create_standard(db.session.get(Organisation, org), "lv", user)
        v1 = standard.versions[0]
        v1.content = {
            **v1.content,
            "scope": {"kind": "institution", "names": [], "clients": [], "note": ""},
            "norms": [{"text": "Laipni sveicināt.", "key": ""}],
            "channels": [{"kind": "in_person", "name": "Centrs", "hours": "8:00"}],
            "indicators": [
                {
                    "channel": "Visi",
                    "indicator": "Apmierinātība",
                    "target": "4",
                    "unit": "",
                    "data_source": "",
                }
            ],
        }
        db.session.commit()
    url = f"/organisations/{org}/standard/versions/1/approve"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, f"/organisations/{org}/standard/versions/1"),
            "approved_by": "Direktors",
            "decision_number": "1-1/7",
            "approved_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert list(db.session.scalars(select(AuditEvent.action))) == ["approve"]
    html = client.get(f"/organisations/{org}/activity").get_data(as_text=True)
    assert "Jānis Bērziņš" in html and "<time datetime=" in html


# --- 5. viewer --------------------------------------------------------------------------------


def test_viewer_reads_reports_and_changes_nothing(app, client, auth, world):
    from tests.web.test_security_headers import addresses

    org, a = world
    auth.login("vera@example.lv")
    for path in (
        f"/assessments/{a}/report",
        f"/assessments/{a}/report.pdf",
        f"/assessments/{a}",
        "/organisations/",
        f"/organisations/{org}/standard",
    ):
        assert client.get(path).status_code in (200, 302), path
    assert client.get(PAGE.format(a=a)).status_code == 403
    token = csrf_token(client, "/")
    values = {
        "org_id": org,
        "assessment_id": a,
        "token": "x",
        "respondent_id": 1,
        "dimension_id": "values",
        "question_id": Q,
        "state": "completed",
        "code": "en",
        "filename": "app.css",
        "number": 1,
        "section": "scope",
        "sid": 1,
        "slug": "x",
        "kind": "csv",
        "bank_id": "lv-customer-service-2013",
        "version": "1.0.0",
        "indicator_id": 1,
        "token_id": 1,
    }
    for path, methods in addresses(app, values):
        if "POST" not in methods or path.startswith(("/r/", "/login", "/logout", "/password")):
            continue
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 403, path


def test_cli_creates_a_viewer(app, runner, factory):
    factory.organisation("Iestāde V")
    result = runner.invoke(
        args=[
            "user",
            "create",
            "lasitajs@example.lv",
            "--role",
            "viewer",
            "--organisation",
            "Iestāde V",
        ],
        input=f"{DEFAULT_PASSWORD}\n{DEFAULT_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "(viewer)" in result.output


def test_admin_user_form_offers_viewer(client, auth, world):
    auth.login("admin@example.lv")
    assert 'value="viewer"' in client.get("/admin/users").get_data(as_text=True)


# --- 6. personal data --------------------------------------------------------------------------


@pytest.mark.parametrize("lang, words", [("lv", "Privātuma paziņojums"), ("en", "Privacy notice")])
def test_privacy_notice_in_both_languages(client, lang, words):
    client.get(f"/lang/{lang}")
    html = client.get("/privacy").get_data(as_text=True)
    assert words in html and "24" in html


def text_columns_holding(app, needle: str) -> list[str]:
    """Every text, varchar and JSON column of every table that holds `needle`."""
    found = []
    with app.app_context():
        inspector = inspect(db.engine)
        with db.engine.connect() as conn:
            for table in inspector.get_table_names():
                for column in inspector.get_columns(table):
                    if not isinstance(column["type"], String | Text | JSON):
                        continue
                    name = column["name"]
                    cast = f'CAST("{name}" AS TEXT)'
                    rows = conn.execute(
                        text(f'SELECT {cast} FROM "{table}" WHERE {cast} LIKE :n'),
                        {"n": f"%{needle}%"},
                    ).all()
                    if rows:
                        found.append(f"{table}.{name}")
    return found


def test_an_erase_request_leaves_the_scores_unchanged_and_the_name_nowhere(
    app, client, auth, world
):
    org, a = world
    auth.login("janis@example.lv")
    link = invite(client, a, "Zigrīda Ābeltiņa", "zigrida@example.lv")
    other = app.test_client()
    html = other.get(link + "values").get_data(as_text=True)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update(
        {
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
            "action": "save",
            f"q-{Q}-answer": "4",
            f"q-{Q}-flag": "1",
        }
    )
    assert other.post(link + "values", data=data).status_code == 302
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', other.get(link + "submit").get_data(as_text=True)
    ).group(1)
    assert other.post(link + "submit", data={"csrf_token": token}).status_code == 302
    report = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    before = re.findall(r'class="num strong">([^<]*)<', report)
    assert text_columns_holding(app, "Ābeltiņa") and text_columns_holding(app, "zigrida@")
    with app.app_context():
        rid = db.session.scalar(select(Respondent.id))
    url = f"/assessments/{a}/respondents/{rid}/erase"
    page = f"/assessments/{a}/respondents"
    assert client.post(url, data={"csrf_token": csrf_token(client, page)}).status_code == 400
    assert text_columns_holding(app, "Ābeltiņa")
    response = client.post(url, data={"csrf_token": csrf_token(client, page), "confirm": "1"})
    assert response.status_code == 302
    assert text_columns_holding(app, "Ābeltiņa") == []
    assert text_columns_holding(app, "zigrida@") == []
    report = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    assert re.findall(r'class="num strong">([^<]*)<', report) == before
    history = client.get(f"/assessments/{a}/history/{Q}").get_data(as_text=True)
    assert "Respondents 1" in history or "Respondent 1" in history
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "erase"
        )


def test_personal_data_is_purged_months_after_completion(app, runner, factory):
    import datetime as dt

    from assessment.models import Assessment
    from assessment.services import respondents as rservice
    from assessment.services.personal import purge

    org = factory.organisation()
    old, recent = factory.assessment(org, "Vecs"), factory.assessment(org, "Jauns")
    with app.app_context():
        for a, months_ago in ((old, 25), (recent, 3)):
            item = db.session.get(Assessment, a)
            rservice.create_respondent(item, f"Persona {a}", f"p{a}@example.lv")
            item.state = "completed"
            item.completed_at = rservice.utcnow() - dt.timedelta(days=31 * months_ago)
        db.session.commit()
        assert purge(24) == 1
        db.session.commit()
        names = {r.assessment_id: (r.name, r.email) for r in db.session.scalars(select(Respondent))}
    assert names[old] == ("", None) and names[recent] == (
        f"Persona {recent}",
        f"p{recent}@example.lv",
    )
    result = runner.invoke(args=["purge-personal-data", "--months", "1"])
    assert result.exit_code == 0 and "1 respondent" in result.output


def test_everything_about_one_email_address(app, client, auth, runner, world):
    org, a = world
    auth.login("janis@example.lv")
    invite(client, a, "Anna Ozola", "anna@example.lv")
    save(client, a, **{f"q-{Q}-answer": "2"})
    result = runner.invoke(args=["personal-data", "export", "janis@example.lv"])
    data = json.loads(result.output)
    assert data["users"][0]["email"] == "janis@example.lv"
    assert data["answer_history"] and [e["action"] for e in data["audit"]] == ["invite"]
    data = json.loads(runner.invoke(args=["personal-data", "export", "anna@example.lv"]).output)
    assert data["respondents"][0]["name"] == "Anna Ozola" and data["users"] == []
    assert client.get("/admin/personal-data?email=anna@example.lv").status_code == 403
    auth.logout()
    auth.login("admin@example.lv")
    assert client.get("/admin/personal-data").status_code == 200
    assert client.get("/admin/personal-data?email=nonsense").status_code == 400
    response = client.get("/admin/personal-data?email=anna@example.lv")
    assert response.status_code == 200
    assert json.loads(response.data)["respondents"][0]["email"] == "anna@example.lv"


def test_an_indicator_answer_without_flag_is_not_marked_for_review():
    """An answer with a figure but no confidence or flag (a 5-item content) is not flagged."""
    from assessment.domain.answer_form import shown
    from assessment.domain.answers import Answer, content
    from assessment.services.answer_rows import history_content

    figure = Answer(Q, level=3, value=87.5, period="2026")
    values = shown(figure)
    assert (values.flag, values.confidence, values.value, values.period) == (
        None,
        "",
        "87.5",
        "2026",
    )
    assert content(figure) == ("3", "", [], "87.5", "2026")
    assert "flag" not in history_content(figure)
    flagged = shown(Answer(Q, level=3, confidence="high", flag="Skatīt"))
    assert (flagged.flag, flagged.confidence) == ("Skatīt", "high")


def test_answers_kept_after_a_session_ends_keep_confidence_and_flag():
    from assessment.services.kept import fields_to_keep

    kept = fields_to_keep(
        [
            (f"q-{Q}-confidence", "low"),
            (f"q-{Q}-flag", "1"),
            (f"q-{Q}-flag-note", "Skatīt"),
            ("other", "x"),
        ]
    )
    assert kept == {f"q-{Q}-confidence": "low", f"q-{Q}-flag": "1", f"q-{Q}-flag-note": "Skatīt"}
