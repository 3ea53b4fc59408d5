"""Indicator questions and evidence freshness in the web app: the questionnaire (staff and
respondents), the workshop, exports, imports, the report (HTML and PDF), the settings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from assessment.domain.answers import parse_answers
from assessment.domain.bank import BankRegistry, load_bank
from assessment.extensions import db
from assessment.models import AnswerRecord, Assessment
from assessment.services.results import score_file as score_answers_file
from tests.conftest import DATA, csrf_token
from tests.web.test_respondents import invite

BANK = ("mini-ind", "0.1.0")
GAMMA = "gamma"


@pytest.fixture()
def bank_installed(app):
    from assessment.services.banks import install_bank

    with app.app_context():
        install_bank(
            (DATA / "indicator-bank.yaml").read_bytes(), "indicator-bank.yaml", origin="uploaded"
        )
        db.session.commit()


@pytest.fixture()
def setup(client, auth, factory, bank_installed):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    a = factory.assessment(org, language="en", bank=BANK)
    auth.login("janis@example.lv")
    with client.session_transaction() as session:
        session["lang"] = "en"
    return org, a


def page(a, dim=GAMMA):
    return f"/assessments/{a}/dimensions/{dim}"


def save(client, a, dim=GAMMA, **fields):
    data = {"csrf_token": csrf_token(client, page(a, dim)), "action": "save"}
    data.update(fields)
    return client.post(page(a, dim), data=data)


def stored(app, a):
    with app.app_context():
        rows = db.session.scalars(select(AnswerRecord).where(AnswerRecord.assessment_id == a))
        return {
            r.question_id: (r.level, r.value, r.period, r.not_applicable, r.dont_know) for r in rows
        }


def test_indicator_question_shows_value_period_unit_and_bands(client, setup):
    _org, a = setup
    html = client.get(page(a)).get_data(as_text=True)
    assert 'name="q-gamma.answered-value"' in html and 'name="q-gamma.answered-period"' in html
    assert "Measured value (% of calls)" in html and "Measured value (minutes)" in html
    assert "Higher is better." in html and "Lower is better." in html
    assert "4 · ≥ 95 % of calls" in html and "0 · &gt; 30 minutes" in html
    assert "gamma.answered band 3" in html
    # no level radios for an indicator: the value sets the level; N/A and don't know remain
    assert 'name="q-gamma.answered-answer" value="3"' not in html
    assert 'id="q-gamma.answered-na"' in html and 'id="q-gamma.answered-dk"' in html
    # maturity questions keep their five levels
    assert (
        client.get(page(a, "alpha")).get_data(as_text=True).count('name="q-alpha.one-answer"') == 7
    )
    question = html[
        html.index('<fieldset id="q-gamma.answered"') : html.index('<fieldset id="q-gamma.wait"')
    ]
    assert "style=" not in question and "<script" not in question


def test_value_is_stored_with_its_level_and_shown_again(app, client, setup):
    _org, a = setup
    response = save(
        client,
        a,
        **{
            "q-gamma.answered-value": "87,5",
            "q-gamma.answered-period": "2026-Q3",
            "q-gamma.wait-value": "2.5",
            "q-gamma.wait-answer": "v",
        },
    )
    assert response.status_code == 302, response.data[:600]
    assert stored(app, a) == {
        "gamma.answered": (3, 87.5, "2026-Q3", False, False),
        "gamma.wait": (4, 2.5, None, False, False),
    }
    html = client.get(page(a)).get_data(as_text=True)
    assert 'name="q-gamma.answered-value" value="87.5"' in html
    assert 'name="q-gamma.answered-period" value="2026-Q3"' in html
    assert re.search(r'id="q-gamma.answered-v"[^>]*checked', html)
    # saving the page unchanged writes nothing (the digest covers value and period)
    before = stored(app, a)
    data = {"csrf_token": csrf_token(client, page(a)), "action": "save"}
    for name, value in re.findall(r'name="(q-gamma[^"]+)" value="([^"]*)"', html):
        if not name.endswith(("-answer", "-flag")):  # a browser sends no unticked box
            data[name] = value
    data["q-gamma.answered-answer"] = "v"
    data["q-gamma.wait-answer"] = "v"
    assert client.post(page(a), data=data).status_code == 302
    with app.app_context():
        versions = {
            r.question_id: r.version
            for r in db.session.scalars(select(AnswerRecord).where(AnswerRecord.assessment_id == a))
        }
    assert versions == {"gamma.answered": 1, "gamma.wait": 1} and stored(app, a) == before
    # N/A replaces the value
    assert (
        save(
            client,
            a,
            **{
                "q-gamma.answered-answer": "na",
                "q-gamma.answered-version": "1",
                "q-gamma.wait-version": "1",
                "q-gamma.wait-value": "2.5",
                "q-gamma.wait-answer": "v",
            },
        ).status_code
        == 302
    )
    assert stored(app, a)["gamma.answered"] == (None, None, None, True, False)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"q-gamma.answered-value": "abc"}, "The measured value must be a number"),
        ({"q-gamma.answered-value": "1e400"}, "The measured value must be a number"),
        ({"q-gamma.answered-value": "nan"}, "The measured value must be a number"),
        (
            {"q-gamma.answered-value": "90", "q-gamma.answered-answer": "na"},
            "Give either a measured value or Not applicable",
        ),
        ({"q-gamma.answered-answer": "v"}, "Enter the measured value"),
        (
            {"q-gamma.answered-value": "90", "q-gamma.answered-period": "2026-Q7"},
            "The period must be a year, a quarter or a month",
        ),
        ({"q-gamma.answered-period": "2026"}, "A period needs a measured value."),
        ({"q-gamma.answered-answer": "3"}, "Choose one of the options."),
    ],
)
def test_bad_indicator_input_is_refused_and_kept(app, client, setup, fields, message):
    _org, a = setup
    response = save(client, a, **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    if "q-gamma.answered-value" in fields:
        assert f'value="{fields["q-gamma.answered-value"]}"' in html  # nothing typed is lost
    assert stored(app, a) == {}


def test_value_on_a_maturity_question_is_ignored_not_stored(app, client, setup):
    _org, a = setup
    response = save(client, a, "alpha", **{"q-alpha.one-answer": "2", "q-alpha.one-value": "99"})
    assert response.status_code == 302
    assert stored(app, a)["alpha.one"] == (2, None, None, False, False)


def test_latvian_messages_for_bad_values(client, setup, factory):
    _org, a = setup
    with client.session_transaction() as session:
        session["lang"] = "lv"
    response = save(client, a, **{"q-gamma.answered-value": "x"})
    assert response.status_code == 400
    assert "Izmērītajai vērtībai jābūt skaitlim" in response.get_data(as_text=True)


def fill(client, a):
    assert (
        save(
            client,
            a,
            "alpha",
            **{
                "q-alpha.one-answer": "3",
                "q-alpha.one-evcount": "1",
                "q-alpha.one-ev-0-title": "Old survey",
                "q-alpha.one-ev-0-date": "2019-05-01",
                "q-alpha.two-answer": "1",
            },
        ).status_code
        == 302
    )
    assert (
        save(
            client,
            a,
            **{
                "q-gamma.answered-value": "96",
                "q-gamma.answered-period": "2026",
                "q-gamma.wait-value": "20",
            },
        ).status_code
        == 302
    )


def test_export_import_round_trip_and_score_equals_web(app, client, setup):
    org, a = setup
    fill(client, a)
    doc = json.loads(client.get(f"/assessments/{a}/export.json").data)
    assert doc["as_of"] == dt.date.today().isoformat()
    assert doc["evidence_max_age_months"] == 36
    answers = {x["question"]: x for x in doc["answers"]}
    assert answers["gamma.answered"] == {
        "question": "gamma.answered",
        "value": 96,
        "period": "2026",
    }
    assert answers["gamma.wait"] == {"question": "gamma.wait", "value": 20}
    assert "level" not in answers["gamma.wait"]
    # `assessment score` of the exported file gives what the web app shows (staleness too)
    registry = BankRegistry([load_bank(DATA / "indicator-bank.yaml")])
    parsed, bank = parse_answers(json.dumps(doc).encode(), registry)
    offline = score_answers_file(parsed, bank).to_dict("en")
    from assessment.services.banks import get_bank
    from assessment.services.results import score_assessment

    with app.app_context():
        item = db.session.get(Assessment, a)
        web = score_assessment(item, get_bank(*BANK)).to_dict("en")
    assert web == offline
    alpha = next(d for d in web["dimensions"] if d["id"] == "alpha")
    assert alpha["unsupported"] == 1  # the 2019 survey is older than 36 months
    # import: a new assessment with the same values, periods and evidence age limit
    doc["evidence_max_age_months"] = 120
    url = f"/organisations/{org}/import"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(json.dumps(doc).encode()), "a.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data[:600]
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert stored(app, new_id)["gamma.answered"] == (4, 96.0, "2026", False, False)
    with app.app_context():
        assert db.session.get(Assessment, new_id).evidence_max_age_months == 120
    again = json.loads(client.get(f"/assessments/{new_id}/export.json").data)
    assert again["answers"] == doc["answers"]


def test_import_refuses_level_on_an_indicator_naming_the_entry(client, setup):
    org, _a = setup
    doc = {
        "format": "assessment-answers/1",
        "bank": {"id": BANK[0], "version": BANK[1]},
        "answers": [{"question": "gamma.wait", "level": 2}],
    }
    url = f"/organisations/{org}/import"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(json.dumps(doc).encode()), "a.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "answers[0].level" in response.get_data(as_text=True)


def test_csv_has_value_unit_and_period(client, setup):
    _org, a = setup
    fill(client, a)
    text = client.get(f"/assessments/{a}/export.csv").data.decode("utf-8-sig")
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(text))}
    assert (
        rows["gamma.answered"]["answer"],
        rows["gamma.answered"]["value"],
        rows["gamma.answered"]["unit"],
        rows["gamma.answered"]["period"],
    ) == ("4", "96", "% of calls", "2026")
    assert rows["alpha.one"]["value"] == "" and rows["alpha.one"]["unit"] == ""


def test_report_shows_value_unit_period_and_outdated_evidence(client, setup):
    _org, a = setup
    fill(client, a)
    html = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    assert "Measured value: 96 % of calls (2026)" in html
    assert "Measured value: 20 minutes" in html
    assert "outdated (older than 36 months)" in html
    pdf = client.get(f"/assessments/{a}/report.pdf")
    assert pdf.status_code == 200
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    )
    assert "Measured value: 96 % of calls (2026)" in text
    assert "outdated (older than 36 months)" in text
    lv = client.get(f"/assessments/{a}/report?lang=lv").get_data(as_text=True)
    assert "Izmērītā vērtība: 96 % zvanu (lv ā) (2026)" in lv


def test_questionnaire_marks_outdated_evidence(client, setup):
    _org, a = setup
    fill(client, a)
    html = client.get(page(a, "alpha")).get_data(as_text=True)
    assert (
        "Outdated evidence" in html
        and "it no longer backs a level 3 or 4 answer: Old survey." in html
    )
    assert 'class="stale-note"' in html


def test_evidence_age_limit_set_at_creation_and_in_settings(app, client, setup):
    org, a = setup
    fill(client, a)
    url = f"/organisations/{org}/assessments/new"
    bad = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "X",
            "language": "en",
            "bank": "mini-ind@0.1.0",
            "evidence_max_age_months": "0",
        },
    )
    assert bad.status_code == 400 and "A whole number from 1 to 120." in bad.get_data(True)
    made = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "X",
            "language": "en",
            "bank": "mini-ind@0.1.0",
            "evidence_max_age_months": "84",
        },
    )
    assert made.status_code == 302
    new_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        assert db.session.get(Assessment, new_id).evidence_max_age_months == 84
    overview = f"/assessments/{a}"
    cutoff = dt.date.today().replace(year=dt.date.today().year - 3)  # 36 months (not 29 Feb)
    shown = client.get(overview).get_data(as_text=True)
    assert "Evidence age limit (months)" in shown and 'value="36"' in shown
    assert "evidence dated before" in shown and str(cutoff.year) in shown
    for value in ("abc", "121", ""):
        response = client.post(
            f"/assessments/{a}/settings",
            data={"csrf_token": csrf_token(client, overview), "evidence_max_age_months": value},
        )
        assert response.status_code == 400, value
    assert (
        client.post(
            f"/assessments/{a}/settings", data={"evidence_max_age_months": "96"}
        ).status_code
        == 400
    )  # no CSRF token
    response = client.post(
        f"/assessments/{a}/settings",
        data={"csrf_token": csrf_token(client, overview), "evidence_max_age_months": "120"},
    )
    assert response.status_code == 302
    # with 120 months the 2019 survey backs level 3 again: no longer outdated
    assert "Outdated evidence" not in client.get(page(a, "alpha")).get_data(as_text=True)
    doc = json.loads(client.get(f"/assessments/{a}/export.json").data)
    assert doc["evidence_max_age_months"] == 120
    html = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    assert "outdated (older than" not in html


def test_settings_of_another_organisation_are_not_found(app, client, setup, factory, auth):
    _org, a = setup
    other = factory.organisation("Cita iestāde")
    factory.user("ilze@example.lv", "member", other)
    auth.logout()
    auth.login("ilze@example.lv")
    token = csrf_token(client, "/")
    response = client.post(
        f"/assessments/{a}/settings", data={"csrf_token": token, "evidence_max_age_months": "12"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Assessment, a).evidence_max_age_months == 36


def test_completed_assessment_dates_freshness_at_completion(app, client, setup):
    _org, a = setup
    with app.app_context():
        item = db.session.get(Assessment, a)
        item.state = "completed"
        item.completed_at = dt.datetime(2022, 1, 10, tzinfo=dt.UTC)
        db.session.commit()
        assert item.as_of == dt.date(2022, 1, 10)
    doc = json.loads(client.get(f"/assessments/{a}/export.json").data)
    assert doc["as_of"] == "2022-01-10"
    response = client.post(
        f"/assessments/{a}/settings",
        data={
            "csrf_token": csrf_token(client, f"/assessments/{a}"),
            "evidence_max_age_months": "12",
        },
    )
    assert response.status_code == 303  # locked: not changed
    with app.app_context():
        assert db.session.get(Assessment, a).evidence_max_age_months == 36


def test_respondents_answer_indicators_and_workshop_agrees_a_value(app, client, setup):
    _org, a = setup
    links = [invite(client, a, name) for name in ("Anna", "Bruno", "Cilda")]
    for link, value in zip(links, ("40", "80", "97"), strict=True):
        other = app.test_client()
        token = csrf_token(other, link + GAMMA)
        html = other.get(link + GAMMA).get_data(as_text=True)
        assert 'name="q-gamma.answered-value"' in html
        response = other.post(
            link + GAMMA,
            data={
                "csrf_token": token,
                "action": "save",
                "q-gamma.answered-value": value,
                "q-gamma.answered-period": "2026",
            },
        )
        assert response.status_code == 302, response.data[:500]
        bad = other.post(
            link + GAMMA,
            data={"csrf_token": token, "action": "save", "q-gamma.answered-value": "many"},
        )
        assert bad.status_code == 400
        token = csrf_token(other, link + "submit")
        assert other.post(link + "submit", data={"csrf_token": token}).status_code == 302
    # levels 0, 2, 4: lower median 2, spread 4 (a disagreement)
    from assessment.services.banks import get_bank
    from assessment.services.results import score_assessment

    with app.app_context():
        item = db.session.get(Assessment, a)
        result = score_assessment(item, get_bank(*BANK))
        assert result.answers["gamma.answered"].level == 2
        assert [(d.question, d.spread) for d in result.disagreements] == [("gamma.answered", 4)]
    url = f"/assessments/{a}/workshop/gamma.answered"
    html = client.get(url).get_data(as_text=True)
    assert "Values the respondents gave: 40 (2026); 80 (2026); 97 (2026)" in html
    assert 'name="agreed-value"' in html
    bad = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "answer": "v",
            "agreed-value": "",
            "comment": "",
        },
    )
    assert bad.status_code == 400 and "Enter the measured value" in bad.get_data(True)
    ok = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "answer": "v",
            "agreed-value": "90",
            "agreed-period": "2026-09",
            "comment": "agreed",
        },
    )
    assert ok.status_code == 302
    assert stored(app, a)["gamma.answered"] == (3, 90.0, "2026-09", False, False)
    doc = json.loads(client.get(f"/assessments/{a}/export.json").data)
    consensus = {x["question"]: x for x in doc["answers"]}["gamma.answered"]
    assert consensus["value"] == 90 and consensus["period"] == "2026-09"
    assert [x["value"] for r in doc["respondents"] for x in r["answers"]] == [40, 80, 97]
    html = client.get(f"/assessments/{a}/report").get_data(as_text=True)
    assert "Measured value: 90 % of calls (2026-09)" in html


def test_bank_2_0_0_indicators_on_a_latvian_questionnaire_page(client, factory, auth):
    """The 2.2.7 indicators of bank 2.0.0 are on their dimension's page with value and period
    fields and bands written as Latvian writes numbers (3,5, not 3.5)."""
    org = factory.organisation()
    factory.user("anna@example.lv", "member", org)
    a = factory.assessment(org, language="lv", bank=("lv-customer-service-2013", "2.0.0"))
    auth.login("anna@example.lv")
    with client.session_transaction() as session:
        session["lang"] = "lv"
    html = client.get(page(a, "targets")).get_data(as_text=True)
    for qid in ("targets.kpi-satisfaction", "targets.kpi-written-answers"):
        assert f'name="q-{qid}-value"' in html and f'name="q-{qid}-period"' in html
    assert "1 · ≥ 3, &lt; 3,5 vidējais vērtējums 5 ballu skalā" in html
    assert "≥ 4,5" in html and "3.5" not in html
    technology = client.get(page(a, "technology")).get_data(as_text=True)
    assert "0 · &gt; 60 sekundes (vidēji)" in technology
    # a stored figure comes back with the decimal comma, and saving it again keeps it
    data = {
        "csrf_token": csrf_token(client, page(a, "targets")),
        "action": "save",
        "q-targets.kpi-satisfaction-value": "4,2",
        "q-targets.kpi-satisfaction-period": "2026",
    }
    assert client.post(page(a, "targets"), data=data).status_code in (200, 302, 303)
    html = client.get(page(a, "targets")).get_data(as_text=True)
    assert 'name="q-targets.kpi-satisfaction-value" value="4,2"' in html
    data["csrf_token"] = csrf_token(client, page(a, "targets"))
    client.post(page(a, "targets"), data=data)
    assert stored(client.application, a)["targets.kpi-satisfaction"][:3] == (3, 4.2, "2026")
