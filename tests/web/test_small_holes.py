"""The small holes of issue 10, item 8: each with its own test."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import answers_doc, csrf_token, dump

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def consultant(client, auth, factory):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    a = factory.assessment(org)
    auth.login("janis@example.lv")
    return org, a


def set_state(app, assessment_id, *states):
    from assessment.extensions import db
    from assessment.models import Assessment

    with app.app_context():
        item = db.session.get(Assessment, assessment_id)
        for state in states:
            item.state = state
        db.session.commit()


# --- archived assessments change no more ----------------------------------------------------------


def test_action_plan_of_an_archived_assessment_is_403(app, client, consultant):
    org, a = consultant
    set_state(app, a, "archived")
    token = csrf_token(client, f"/assessments/{a}")
    response = client.post(
        f"/assessments/{a}/actions/values.mission",
        data={"csrf_token": token, "owner": "Anna", "status": "open", "due": ""},
    )
    assert response.status_code == 403
    response = client.post(
        f"/assessments/{a}/respondents/settings",
        data={"csrf_token": token, "anonymous_comments": "y"},
    )
    assert response.status_code == 403
    from assessment.extensions import db
    from assessment.models import ActionItem, Assessment

    with app.app_context():
        assert db.session.query(ActionItem).count() == 0
        assert db.session.get(Assessment, a).anonymous_comments is False


# --- out-of-range integers --------------------------------------------------------------------


@pytest.mark.parametrize("version", [str(2**31), str(10**30), "-1"])
def test_out_of_range_version_is_a_400_with_a_message(app, client, consultant, version):
    org, a = consultant
    url = f"/assessments/{a}/dimensions/values"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "action": "save",
            "q-values.mission-answer": "2",
            "q-values.mission-version": version,
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "out of range" in response.get_data(as_text=True)


def test_out_of_range_workshop_version_is_a_400(app, client, consultant):
    org, a = consultant
    url = f"/assessments/{a}/workshop/values.mission"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "answer": "2", "version": str(2**31)},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "out of range" in response.get_data(as_text=True)


# --- YAML aliases -------------------------------------------------------------------------------


def laughs(levels: int = 9, width: int = 9) -> str:
    """A small YAML document whose aliases stand for width**levels items."""
    lines = ["a0: &a0 [x]"]
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_aliases_are_refused_before_expansion():
    from assessment.domain.bank import parse_bank_text
    from assessment.domain.errors import BankError

    text = laughs()
    assert len(text) < 1000
    started = time.monotonic()
    with pytest.raises(BankError) as refused:
        parse_bank_text(text, "laughs.yaml")
    assert time.monotonic() - started < 2
    assert "aliases" in refused.value.message("en")


def test_yaml_bomb_upload_is_a_400(client, auth, factory):
    factory.user("admin@example.lv", "admin")
    auth.login("admin@example.lv")
    import io

    token = csrf_token(client, "/admin/banks")
    response = client.post(
        "/admin/banks",
        data={
            "csrf_token": token,
            "organisation": "0",
            "file": (io.BytesIO(laughs().encode()), "laughs.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


# --- evidence dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date, ok",
    [
        ("2026-01-01", True),
        ("20260101", False),
        ("2026-W01-1", False),
        ("2026-02-30", False),
        ("2026-1-1", False),
    ],
)
def test_evidence_date_in_the_form_is_exactly_yyyy_mm_dd(app, client, consultant, date, ok):
    org, a = consultant
    url = f"/assessments/{a}/dimensions/values"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "action": "save",
            "q-values.mission-answer": "3",
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "Stratēģija",
            "q-values.mission-ev-0-date": date,
        },
    )
    assert response.status_code == (302 if ok else 400)


@pytest.mark.parametrize("date", ["20260101", "2026-W01-1", "2026-001"])
def test_evidence_date_in_an_answers_file_is_exactly_yyyy_mm_dd(registry, date):
    from assessment.domain.answers import parse_answers
    from assessment.domain.errors import AnswersError

    doc = answers_doc(
        [{"question": "alpha.one", "level": 3, "evidence": [{"title": "Plāns", "date": date}]}]
    )
    with pytest.raises(AnswersError) as refused:
        parse_answers(dump(doc), registry, "file.json")
    assert refused.value.code == "answers.bad_date"


# --- respondent tokens in access logs -----------------------------------------------------------


def test_werkzeug_access_log_masks_respondent_tokens(app):
    from assessment.logs import MaskRespondentTokens

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [%s] "%s" %s %s',
        ("127.0.0.1", "now", "GET /r/Sekr3tsToken_x/values HTTP/1.1", "200", "-"),
        None,
    )
    assert any(isinstance(f, MaskRespondentTokens) for f in logging.getLogger("werkzeug").filters)
    for f in logging.getLogger("werkzeug").filters:
        f.filter(record)
    line = record.getMessage()
    assert "Sekr3tsToken_x" not in line and "/r/[link]/values" in line


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_masks_respondent_tokens(app, tmp_path):
    """A real gunicorn with its access log: the token of a private link never gets there."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "x",
        "SESSION_COOKIE_SECURE": "0",
    }
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30)
                break
            except OSError:  # not listening yet (URLError, ConnectionError) or slow to answer
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        for path in ("/r/Sekr3tsToken_x/", "/r/Sekr3tsToken_x/values?more=1"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60)
            except urllib.error.HTTPError as refused:
                assert refused.code == 404
        deadline = time.monotonic() + 30
        while log.read_text().count("/r/[link]") < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Sekr3tsToken_x" not in text
    assert text.count("/r/[link]") >= 2


# --- respondent link expiry ---------------------------------------------------------------------


def test_expiry_in_the_past_is_refused(app, client, consultant):
    org, a = consultant
    url = f"/assessments/{a}/respondents"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "people": "Anna", "expires": yesterday}
    )
    assert response.status_code == 400
    assert "pagātnē" in response.get_data(as_text=True)
    from assessment.extensions import db
    from assessment.models import Respondent

    with app.app_context():
        assert db.session.query(Respondent).count() == 0


def test_new_links_expire_after_60_days_by_default(app, client, consultant):
    org, a = consultant
    url = f"/assessments/{a}/respondents"
    assert (
        client.post(url, data={"csrf_token": csrf_token(client, url), "people": "Anna"}).status_code
        == 302
    )
    from assessment.extensions import db
    from assessment.models import Respondent
    from assessment.services.respondents import aware

    with app.app_context():
        expires = aware(db.session.query(Respondent).one().expires_at)
    assert expires.date() == (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).date()


def test_service_refuses_an_expiry_in_the_past(app, factory):
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.services.errors import Invalid
    from assessment.services.respondents import create_respondent

    a = factory.assessment(factory.organisation())
    with app.app_context():
        with pytest.raises(Invalid):
            create_respondent(
                db.session.get(Assessment, a),
                "Anna",
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
            )


# --- organisation search ------------------------------------------------------------------------


def test_percent_and_underscore_in_organisation_search_are_letters(client, auth, factory):
    factory.user("admin@example.lv", "admin")
    for name in ("Iestāde 100% valsts", "Iestāde_ar_svītru", "Iestāde parasta"):
        factory.organisation(name)
    auth.login("admin@example.lv")
    html = client.get("/organisations/?q=%25").get_data(as_text=True)
    assert "100% valsts" in html and "Iestāde parasta" not in html and "svītru" not in html
    html = client.get("/organisations/?q=_").get_data(as_text=True)
    assert "svītru" in html and "Iestāde parasta" not in html and "100%" not in html


# --- CSV content type ---------------------------------------------------------------------------


def test_csv_content_type_names_its_charset_once(client, consultant):
    org, a = consultant
    response = client.get(f"/assessments/{a}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


# --- the 503 page shows what was typed ----------------------------------------------------------


def test_database_outage_page_shows_typed_answers_read_only(tmp_path):
    from assessment import create_app

    dead = create_app(
        {
            "SECRET_KEY": "dead",
            "RATELIMIT_STORAGE_URI": "memory://",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/x",
        }
    )
    client = dead.test_client()
    token = csrf_token(client, "/login")
    with client.session_transaction() as session:
        session["_user_id"] = "1.0"
        session["_fresh"] = True
    response = client.post(
        "/assessments/1/dimensions/values",
        data={
            "csrf_token": token,
            "action": "save",
            "q-values.mission-answer": "3",
            "q-values.mission-comment": "Stundu rakstīts <teksts>",
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "Stratēģija 2026",
        },
        headers={"Accept-Language": "lv"},
    )
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Jūsu atbildes (nav saglabātas)" in html
    area = re.search(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", html)
    assert area is not None
    assert "Stundu rakstīts &lt;teksts&gt;" in area.group(1)
    assert "Stratēģija 2026" in area.group(1) and "3" in area.group(1)
