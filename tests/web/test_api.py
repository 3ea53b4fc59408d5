"""The JSON API (/api/v1): tokens, access rules, answers and figures written all or nothing,
problem+json errors in the request's language, rate limits per token."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import event, func, select

from assessment.extensions import db, limiter
from assessment.models import AnswerRecord, ApiToken, KpiValue
from tests.conftest import csrf_token
from tests.web.api_helpers import api_world, indicator

BANK = {"id": "lv-customer-service-2013", "version": "1.0.0"}


@pytest.fixture()
def world(app, factory):
    limiter.reset()
    yield api_world(app, factory)
    limiter.reset()


def bearer(token: str, lang: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def answers_body(*answers, bank=None) -> dict:
    return {"format": "assessment-answers/1", "bank": bank or BANK, "answers": list(answers)}


def reads(w) -> list[str]:
    """Every address that reads, about the world's first organisation."""
    return [
        "/api/v1/organisations",
        f"/api/v1/organisations/{w['org_id']}",
        f"/api/v1/organisations/{w['org_id']}/assessments",
        f"/api/v1/assessments/{w['assessment_id']}",
        f"/api/v1/assessments/{w['assessment_id']}/answers",
        f"/api/v1/assessments/{w['assessment_id']}/results",
        f"/api/v1/organisations/{w['org_id']}/indicators",
        f"/api/v1/indicators/{w['indicator_id']}",
    ]


def writes(w) -> list[tuple[str, dict]]:
    """Every address that writes, with a body it would accept."""
    return [
        (
            f"/api/v1/assessments/{w['assessment_id']}/answers",
            answers_body({"question": "values.mission", "level": 3}),
        ),
        (
            f"/api/v1/organisations/{w['org_id']}/indicator-values",
            {"values": [{"indicator": w["indicator_id"], "period": last_month(), "value": 90}]},
        ),
    ]


def last_month() -> str:
    first = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


def months_back(n: int) -> list[str]:
    out, day = [], dt.date.today().replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        out.append(day.strftime("%Y-%m"))
    return out


def stored(app) -> tuple[int, int]:
    """How many answers and figures the database holds."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(AnswerRecord)),
            db.session.scalar(select(func.count()).select_from(KpiValue)),
        )


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert isinstance(body["errors"], list)
    assert "Traceback" not in response.get_data(as_text=True)
    return body


# --- tokens authenticate; nothing else does -------------------------------------------------------


def test_every_address_wants_a_live_token(app, client, auth, world):
    with app.app_context():
        row = db.session.scalar(
            select(ApiToken).where(
                ApiToken.user_id == world["member_id"], ApiToken.scope == "write"
            )
        )
        row.revoked_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    bad = world["token"][:-4] + ("AAAA" if not world["token"].endswith("AAAA") else "BBBB")
    cases = [
        ({}, "none"),
        (bearer("kas_nonsense"), "malformed"),
        (bearer(bad), "wrong secret"),
        (bearer(world["token"]), "revoked"),
        ({"Authorization": "Basic eDp5"}, "basic"),
    ]
    for path in reads(world):
        for headers, why in cases:
            response = client.get(path, headers=headers)
            body = assert_problem(response, 401)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (path, why)
            assert body["errors"][0]["header"] == "Authorization"
    for path, body in writes(world):
        for headers, _why in cases:
            assert_problem(client.post(path, json=body, headers=headers), 401)
    assert stored(app) == (0, 0)


def test_a_session_does_not_authenticate_the_api(client, auth, world):
    auth.login("ilze@example.lv")
    assert client.get("/").status_code == 200  # logged in for the web app
    for path in reads(world):
        assert_problem(client.get(path), 401)
    for path, body in writes(world):
        # No CSRF token either: the refusal is the API's 401, not a CSRF error page.
        assert_problem(client.post(path, json=body), 401)


def test_a_deactivated_users_token_is_refused(app, client, world):
    from assessment.models import User

    with app.app_context():
        db.session.get(User, world["member_id"]).active = False
        db.session.commit()
    assert_problem(client.get("/api/v1/organisations", headers=bearer(world["token"])), 401)


# --- access: another organisation's data is a 404 ------------------------------------------------


def test_another_organisations_data_is_not_found(app, client, world):
    headers = bearer(world["stranger_token"])
    for path in reads(world)[1:]:
        body = assert_problem(client.get(path, headers=headers), 404)
        assert body["errors"][0]["parameter"] in ("org_id", "assessment_id", "indicator_id")
    for path, body in writes(world):
        assert_problem(client.post(path, json=body, headers=headers), 404)
    # Nor can the stranger write the first organisation's figures from their own address.
    values = {"values": [{"indicator": world["indicator_id"], "period": last_month(), "value": 1}]}
    body = assert_problem(
        client.post(
            f"/api/v1/organisations/{world['other_org_id']}/indicator-values",
            json=values,
            headers=headers,
        ),
        422,
    )
    assert body["errors"][0]["pointer"] == "/values/0/indicator"
    assert stored(app) == (0, 0)


def test_each_role_sees_what_it_may(client, world, factory):
    def names(token):
        response = client.get("/api/v1/organisations", headers=bearer(token))
        assert response.status_code == 200
        return [o["name"] for o in response.get_json()["items"]]

    assert names(world["token"]) == ["Valsts ieņēmumu dienests"]
    assert names(world["stranger_token"]) == ["Lauku atbalsta dienests"]
    assert names(world["consultant_token"]) == ["Valsts ieņēmumu dienests"]
    assert names(world["admin_token"]) == ["Lauku atbalsta dienests", "Valsts ieņēmumu dienests"]
    # The consultant of one organisation does not see the other one.
    assert_problem(
        client.get(
            f"/api/v1/organisations/{world['other_org_id']}",
            headers=bearer(world["consultant_token"]),
        ),
        404,
    )
    for token in ("token", "consultant_token", "admin_token"):
        for path in reads(world):
            assert client.get(path, headers=bearer(world[token])).status_code == 200, path


def test_a_read_only_token_reads_but_does_not_write(app, client, world):
    headers = bearer(world["read_token"], "en")
    for path in reads(world):
        assert client.get(path, headers=headers).status_code == 200
    for path, body in writes(world):
        problem = assert_problem(client.post(path, json=body, headers=headers), 403)
        assert "read-only" in problem["detail"]
    assert stored(app) == (0, 0)


def test_a_viewers_token_reads_but_does_not_write(app, client, factory, world):
    """A viewer (a leader who reads) changes nothing, through the API either: even a token made
    to write is refused every write, and nothing is stored."""
    from tests.web.api_helpers import token_for

    viewer = factory.user("vera@example.lv", "viewer", world["org_id"])
    headers = bearer(token_for(app, viewer), "en")
    for path in reads(world):
        assert client.get(path, headers=headers).status_code == 200, path
    for path, body in writes(world):
        problem = assert_problem(client.post(path, json=body, headers=headers), 403)
        assert "viewer" in problem["detail"]
    assert stored(app) == (0, 0)


# --- problem documents --------------------------------------------------------------------------


def test_problems_speak_the_requests_language(client, world):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    body = answers_body({"question": "values.mission", "level": 9})
    lv = assert_problem(client.post(path, json=body, headers=bearer(world["token"], "lv")), 422)
    en = assert_problem(client.post(path, json=body, headers=bearer(world["token"], "en")), 422)
    assert lv["errors"][0]["pointer"] == en["errors"][0]["pointer"] == "/answers/0/level"
    assert lv["detail"] != en["detail"]
    assert "Nothing" not in lv["detail"] and lv["title"] != en["title"]
    missing_lv = assert_problem(
        client.get("/api/v1/organisations", headers={"Accept-Language": "lv"}), 401
    )
    missing_en = assert_problem(
        client.get("/api/v1/organisations", headers={"Accept-Language": "en"}), 401
    )
    assert "API" in missing_lv["detail"] and missing_lv["detail"] != missing_en["detail"]
    assert "pilnvar" in missing_lv["detail"].lower() or "marķier" in missing_lv["detail"].lower()
    # Without Accept-Language: Latvian.
    default = assert_problem(client.get("/api/v1/organisations"), 401)
    assert default["detail"] == missing_lv["detail"]


def test_a_session_language_does_not_change_the_apis(client, world):
    client.get("/language/en?next=/")  # the web app's language switch
    response = client.get("/api/v1/organisations", headers={"Accept-Language": "lv"})
    assert (
        assert_problem(response, 401)["detail"]
        == assert_problem(client.get("/api/v1/organisations"), 401)["detail"]
    )
    assert response.headers["Content-Language"] == "lv"


def test_method_not_allowed_unknown_address_and_parameter(client, world):
    headers = bearer(world["token"])
    response = client.delete(f"/api/v1/assessments/{world['assessment_id']}", headers=headers)
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert_problem(client.get("/api/v1/no-such-thing", headers=headers), 404)
    assert_problem(client.get(f"/api/v1/assessments/{2**31}", headers=headers), 404)
    body = assert_problem(client.get("/api/v1/organisations?page=2", headers=headers), 400)
    assert body["errors"] == [{"parameter": "page", "detail": body["detail"]}]
    body = assert_problem(
        client.get(
            f"/api/v1/assessments/{world['assessment_id']}/results?lang=de", headers=headers
        ),
        400,
    )
    assert body["errors"][0]["parameter"] == "lang"


def test_api_responses_carry_the_security_headers(client, world):
    for response in (
        client.get("/api/v1/organisations", headers=bearer(world["token"])),
        client.get("/api/v1/organisations"),
        client.get("/api/v1/openapi.json"),
        client.get("/api/v1/docs"),
    ):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


# --- answers ------------------------------------------------------------------------------------


def test_answers_round_trip_with_the_web_apps_rules(app, client, world):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    headers = bearer(world["token"])
    before = client.get(path, headers=headers)
    assert before.status_code == 200 and before.get_json()["answers"] == []
    body = answers_body(
        {
            "question": "values.mission",
            "level": 3,
            "comment": "Stratēģija",
            "evidence": [{"title": "Stratēģija 2025–2027", "date": "2026-03-01"}],
        },
        {"question": "values.co-created", "not_applicable": True},
    )
    response = client.post(path, json=body, headers={**headers, "If-Match": before.headers["ETag"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    got = {a["question"]: a for a in response.get_json()["answers"]}
    assert got["values.mission"]["level"] == 3
    assert got["values.mission"]["evidence"][0]["title"] == "Stratēģija 2025–2027"
    assert got["values.co-created"] == {"question": "values.co-created", "not_applicable": True}
    assert response.headers["ETag"] != before.headers["ETag"]
    # The same document as the web app's export, and the results follow.
    from tests.conftest import Auth

    web = app.test_client()
    Auth(web).login("ilze@example.lv")
    export = web.get(f"/assessments/{world['assessment_id']}/export.json").get_json()
    assert export == client.get(path, headers=headers).get_json()
    results = client.get(
        f"/api/v1/assessments/{world['assessment_id']}/results", headers=headers
    ).get_json()
    values = next(d for d in results["dimensions"] if d["id"] == "values")
    assert values["counted"] == 1 and values["not_applicable"] == 1
    # An old ETag: someone changed the answers since; nothing is written.
    stale = client.post(
        path,
        json=answers_body({"question": "values.mission", "level": 1}),
        headers={**headers, "If-Match": before.headers["ETag"]},
    )
    assert_problem(stale, 409)
    assert client.get(path, headers=headers).get_json()["answers"][0]["level"] == 3


def test_an_answers_confidence_and_review_flag_are_written_as_the_document_says(client, world):
    """The document states the whole answer: its confidence and review flag are stored, read
    back and, when a later document leaves them out, no longer held."""
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    headers = bearer(world["token"])
    marked = {"question": "values.mission", "level": 2, "confidence": "low", "flag": {"note": "?"}}
    response = client.post(path, json=answers_body(marked), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    got = client.get(path, headers=headers).get_json()["answers"][0]
    assert got["confidence"] == "low" and got["flag"] == {"note": "?"}
    plain = {"question": "values.mission", "level": 2}
    assert client.post(path, json=answers_body(plain), headers=headers).status_code == 200
    got = client.get(path, headers=headers).get_json()["answers"][0]
    assert "confidence" not in got and "flag" not in got


def test_results_are_what_the_score_command_prints(app, client, world, runner, tmp_path):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    headers = bearer(world["token"])
    client.post(
        path,
        json=answers_body(
            {"question": "values.mission", "level": 4},
            {"question": "values.standard", "dont_know": True},
        ),
        headers=headers,
    )
    exported = tmp_path / "a.json"
    exported.write_text(json.dumps(client.get(path, headers=headers).get_json()), "utf-8")
    from click.testing import CliRunner

    from assessment.cli import main

    for lang in ("lv", "en"):
        printed = CliRunner().invoke(
            main, ["score", str(exported), "--format", "json", "--lang", lang]
        )
        assert printed.exit_code == 0, printed.output
        api = client.get(
            f"/api/v1/assessments/{world['assessment_id']}/results?lang={lang}", headers=headers
        ).get_json()
        assert api == json.loads(printed.output)


def test_a_bad_answer_among_many_writes_nothing(app, client, world):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    good = [
        {"question": q, "level": 2}
        for q in ("values.mission", "values.co-created", "values.standard", "values.principles")
    ]
    for bad, pointer in (
        ({"question": "values.plan-goals", "level": 7}, "/answers/4/level"),
        ({"question": "values.nope", "level": 1}, "/answers/4"),
        (
            {
                "question": "values.plan-goals",
                "level": 1,
                "evidence": [{"title": "x", "date": "2026-02-30"}],
            },
            "/answers/4/evidence/0/date",
        ),
    ):
        body = assert_problem(
            client.post(path, json=answers_body(*good, bad), headers=bearer(world["token"], "en")),
            422,
        )
        assert body["errors"][0]["pointer"] == pointer
    assert stored(app) == (0, 0)


def test_unreadable_wrong_bank_too_large_and_locked(app, client, world):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    headers = bearer(world["token"])
    assert_problem(
        client.post(path, data=b"{not json", headers=headers, content_type="application/json"), 400
    )
    assert_problem(client.post(path, data=b"", headers=headers), 400)
    body = assert_problem(
        client.post(
            path, json=answers_body(bank={"id": "mini", "version": "0.1.0"}), headers=headers
        ),
        422,
    )
    assert body["errors"][0]["pointer"] == "/bank"
    wrong = answers_body()
    wrong["format"] = "assessment-answers/2"
    assert (
        assert_problem(client.post(path, json=wrong, headers=headers), 422)["errors"][0]["pointer"]
        == "/format"
    )
    huge = b'{"format": "assessment-answers/1", "x": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    assert_problem(
        client.post(path, data=huge, headers=headers, content_type="application/json"), 413
    )
    assert_problem(
        client.post(
            path, data=b"x" * (9 * 1024 * 1024), headers=headers, content_type="application/json"
        ),
        413,
    )
    # Completed (and archived) assessments refuse answers.
    from assessment.models import Assessment

    for state in ("completed", "archived"):
        with app.app_context():
            db.session.get(Assessment, world["assessment_id"]).state = state
            db.session.commit()
        problem = assert_problem(
            client.post(
                path,
                json=answers_body({"question": "values.mission", "level": 3}),
                headers=bearer(world["token"], "en"),
            ),
            409,
        )
        assert "locked" in problem["detail"]
    assert stored(app) == (0, 0)


# --- the KPI register ---------------------------------------------------------------------------


def count_commits(app):
    commits = []

    def on_commit(conn):
        commits.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", on_commit)
    return commits, lambda: event.remove(engine, "commit", on_commit)


def test_a_hundred_figures_arrive_in_one_transaction(app, client, world):
    """The same figures as a quarter's upload, through the API: stored, seen by the register,
    read back; one transaction."""
    second = indicator(app, world["member_id"], world["org_id"], name="Gaidīšanas laiks", target=3)
    periods = months_back(50)
    items = [
        {"indicator": ind, "period": p, "value": 80 + n % 10, "comment": f"#{n}"}
        for n, (ind, p) in enumerate(
            (ind, p) for ind in (world["indicator_id"], second) for p in periods
        )
    ]
    assert len(items) == 100
    commits, stop = count_commits(app)
    try:
        response = client.post(
            f"/api/v1/organisations/{world['org_id']}/indicator-values",
            json={"values": items},
            headers=bearer(world["token"]),
        )
    finally:
        stop()
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["stored"] == 100
    assert len(commits) == 1
    assert stored(app) == (0, 100)
    from assessment.models import User
    from assessment.services import register

    with app.app_context():
        user = db.session.get(User, world["member_id"])
        current = register.current_values(user, world["indicator_id"])
        assert current[periods[0]].value == 80 and current[periods[0]].source == "api"
    read = client.get(
        f"/api/v1/indicators/{world['indicator_id']}", headers=bearer(world["token"])
    ).get_json()
    assert [v["period"] for v in read["values"]] == sorted(periods)
    assert read["values"][-1]["status"] in ("green", "amber", "red")


def test_a_bad_figure_among_many_writes_nothing(app, client, world):
    periods = months_back(60)
    url = f"/api/v1/organisations/{world['org_id']}/indicator-values"
    base = [{"indicator": world["indicator_id"], "period": p, "value": 90} for p in periods]
    cases = [
        (57, {"period": "2026-Q3"}, "/values/57/period", "period"),
        (12, {"value": "many"}, "/values/12/value", "number"),
        (3, {"indicator": world["other_indicator_id"]}, "/values/3/indicator", "indicator"),
        (59, {"value": 1e300}, "/values/59/value", "number"),
        (0, {"comment": "x" * 2001}, "/values/0/comment", "2000"),
        (8, {"colour": "red"}, "/values/8/colour", "colour"),
    ]
    for index, change, pointer, word in cases:
        items = [dict(i) for i in base]
        items[index].update(change)
        body = assert_problem(
            client.post(url, json={"values": items}, headers=bearer(world["token"], "en")), 422
        )
        assert body["errors"][0]["pointer"] == pointer, body
        assert word in body["detail"].lower() and "Nothing was saved" in body["detail"]
    for bad in (
        {},
        {"values": []},
        {"values": {}},
        [],
        {"values": base, "more": 1},
        {"values": base * 17},
    ):
        assert_problem(client.post(url, json=bad, headers=bearer(world["token"])), 422)
    assert_problem(
        client.post(
            url, data=b"[", headers=bearer(world["token"]), content_type="application/json"
        ),
        400,
    )
    assert_problem(
        client.post(
            url,
            data=b" " * (1024 * 1024 + 1),
            headers=bearer(world["token"]),
            content_type="application/json",
        ),
        413,
    )
    assert stored(app) == (0, 0)


def test_a_bad_figure_is_named_in_latvian(client, world):
    body = assert_problem(
        client.post(
            f"/api/v1/organisations/{world['org_id']}/indicator-values",
            json={"values": [{"indicator": world["indicator_id"], "period": "2026", "value": 1}]},
            headers=bearer(world["token"], "lv"),
        ),
        422,
    )
    assert "Nekas netika saglabāts" in body["detail"]
    assert body["errors"][0]["pointer"] == "/values/0/period"


# --- rate limits --------------------------------------------------------------------------------


def test_rate_limit_counts_per_token(app, client, world):
    saved = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        for _ in range(3):
            assert (
                client.get("/api/v1/organisations", headers=bearer(world["token"])).status_code
                == 200
            )
        body = assert_problem(
            client.get("/api/v1/organisations", headers=bearer(world["token"], "en")), 429
        )
        assert "Too many" in body["title"]
        # Another token of the same user, from the same address, is counted on its own.
        assert (
            client.get("/api/v1/organisations", headers=bearer(world["read_token"])).status_code
            == 200
        )
    finally:
        app.config["API_RATE_LIMIT"] = saved
        limiter.reset()


# --- tokens: command line and the account page --------------------------------------------------


def test_token_create_command(app, client, runner, world):
    result = runner.invoke(args=["token", "create", "ILZE@example.lv", "--name", "rindas"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert re.fullmatch(r"kas_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}", token)
    assert client.get("/api/v1/organisations", headers=bearer(token)).status_code == 200
    with app.app_context():  # stored hashed: the secret is nowhere in the database
        rows = db.session.scalars(select(ApiToken)).all()
        assert all(token.split("_", 2)[2] not in (r.secret_hash, r.public_id) for r in rows)
        assert any(r.name == "rindas" and len(r.secret_hash) == 64 for r in rows)
    read_only = runner.invoke(args=["token", "create", "ilze@example.lv", "--read-only"])
    path, body = writes(world)[0]
    assert_problem(client.post(path, json=body, headers=bearer(read_only.output.strip())), 403)
    unknown = runner.invoke(args=["token", "create", "nobody@example.lv"])
    assert unknown.exit_code == 1 and "no user" in unknown.output


def test_tokens_page_creates_shows_once_and_revokes(app, client, auth, world):
    auth.login("ilze@example.lv")
    page = client.get("/account/tokens")
    assert page.status_code == 200
    response = client.post(
        "/account/tokens",
        data={
            "csrf_token": csrf_token(client, "/account/tokens"),
            "name": "Rindu sistēma",
            "scope": "write",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = re.search(r'id="new-token"[^>]*value="(kas_[^"]+)"', html).group(1)
    api = app.test_client()  # no session: the token alone
    assert api.get("/api/v1/organisations", headers=bearer(token)).status_code == 200
    again = client.get("/account/tokens").get_data(as_text=True)
    _prefix, public_id, secret = token.split("_", 2)  # the secret may itself hold "_"
    assert token not in again and secret not in again  # shown once only
    assert "Rindu sistēma" in again and f"kas_{public_id}_" in again
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Rindu sistēma"))
        token_id = row.id
    # Without the CSRF token the revocation is refused; with it the token stops working.
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 400
    response = client.post(
        f"/account/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(client, "/account/tokens")},
    )
    assert response.status_code == 302
    assert_problem(api.get("/api/v1/organisations", headers=bearer(token)), 401)
    assert "Rindu sistēma" not in client.get("/account/tokens").get_data(as_text=True)


def test_one_cannot_revoke_anothers_token(app, client, auth, world):
    with app.app_context():
        other = db.session.scalar(
            select(ApiToken.id).where(ApiToken.user_id == world["stranger_id"])
        )
    auth.login("ilze@example.lv")
    response = client.post(
        f"/account/tokens/{other}/revoke",
        data={"csrf_token": csrf_token(client, "/account/tokens")},
    )
    assert response.status_code == 404
    assert (
        client.get("/api/v1/organisations", headers=bearer(world["stranger_token"])).status_code
        == 200
    )


def test_the_tokens_page_needs_a_login_and_a_valid_form(client, auth, world):
    assert client.get("/account/tokens").status_code == 302
    auth.login("ilze@example.lv")
    response = client.post(
        "/account/tokens",
        data={
            "csrf_token": csrf_token(client, "/account/tokens"),
            "name": "x" * 101,
            "scope": "everything",
        },
    )
    assert response.status_code == 400
    assert 'id="new-token"' not in response.get_data(as_text=True)


# --- the description stays true -----------------------------------------------------------------


def test_the_document_describes_every_route_and_nothing_else(app):
    from assessment.web.api import openapi_document

    document = openapi_document()
    described = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    described.discard(("/api/v1/docs", "GET"))
    routed.discard(("/api/v1/docs", "GET"))
    assert described == routed


def test_the_docs_page_shows_the_document(client):
    from assessment.web.api import openapi_document

    response = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for path, item in openapi_document()["paths"].items():
        assert path in html
        for method, operation in item.items():
            if method != "parameters":
                assert f'id="op-{operation["operationId"]}"' in html
    assert "<script" not in html and "style=" not in html
    assert 'href="/api/v1/openapi.json"' in html
