"""One transaction per request for the JSON API, the KPI register and the standard builder: the
request boundary (assessment/transactions.py) commits once below 400 and rolls back a refusal
(4xx), also what a service flushed before the refusal; a commit that fails is answered by the
registered handler — for an API address a problem document with the security headers."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assessment.extensions import db, limiter
from assessment.models import AnswerHistory, ApiToken, KpiIndicator, Standard
from tests.conftest import csrf_token
from tests.web.api_helpers import api_world
from tests.web.kpi_helpers import ROWS, approved_standard
from tests.web.test_api import answers_body, assert_problem, bearer, last_month, stored


@pytest.fixture()
def world(app, factory):
    limiter.reset()
    yield api_world(app, factory)
    limiter.reset()


@pytest.fixture()
def commits(app):
    """The database commits (COMMIT sent to the database) while the test runs."""
    seen: list[int] = []

    def on_commit(_conn):
        seen.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", on_commit)
    yield seen
    event.remove(engine, "commit", on_commit)


def last_used(app, token: str):
    public_id = token.split("_")[1]
    with app.app_context():
        return db.session.scalar(
            select(ApiToken.last_used_at).where(ApiToken.public_id == public_id)
        )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def failing_commit(monkeypatch):
    """Every session commit from now on fails as when the database goes away."""

    def commit(self):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "commit", commit)


# --- the JSON API ---------------------------------------------------------------------------------


def test_a_read_stores_when_the_token_was_last_used(app, client, world, commits):
    assert last_used(app, world["token"]) is None
    response = client.get("/api/v1/organisations", headers=bearer(world["token"]))
    assert response.status_code == 200
    assert len(commits) == 1  # the boundary's: the blueprint no longer commits on its own
    assert last_used(app, world["token"]) is not None


def test_a_refused_request_stores_nothing_not_even_the_tokens_use(app, client, world):
    good = {"indicator": world["indicator_id"], "period": last_month(), "value": 90}
    response = client.post(
        f"/api/v1/organisations/{world['org_id']}/indicator-values",
        json={"values": [good, {**good, "value": "many"}]},
        headers=bearer(world["token"]),
    )
    assert_problem(response, 422)
    assert stored(app) == (0, 0)
    assert last_used(app, world["token"]) is None


def test_a_write_is_one_commit_with_the_tokens_use(app, client, world, commits):
    path = f"/api/v1/assessments/{world['assessment_id']}/answers"
    response = client.post(
        path,
        json=answers_body({"question": "values.mission", "level": 3}),
        headers=bearer(world["token"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["answers"][0]["level"] == 3  # read back before the commit
    assert len(commits) == 1
    assert stored(app) == (1, 0)
    assert last_used(app, world["token"]) is not None


def test_a_conflict_at_the_save_rolls_back_what_was_flushed(app, client, world, monkeypatch):
    """save_dimension has written and flushed the answers when the conflict shows: the 409 is
    rolled back by the boundary, with the API's own conflict document."""
    from assessment.services import assessments

    real = assessments.save_dimension

    def save_then_conflict(*args, **kwargs):
        real(*args, **kwargs)
        raise StaleDataError("an answer changed while it was being saved")

    monkeypatch.setattr(assessments, "save_dimension", save_then_conflict)
    response = client.post(
        f"/api/v1/assessments/{world['assessment_id']}/answers",
        json=answers_body({"question": "values.mission", "level": 3}, bank=None),
        headers=bearer(world["token"], "en"),
    )
    body = assert_problem(response, 409)
    assert "at the same moment" in body["detail"]
    assert body["type"] == "/api/v1/docs#problem-conflict"
    assert stored(app) == (0, 0)
    assert count(app, AnswerHistory) == 0


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_failed_commit_is_a_problem_document(app, client, world, monkeypatch, write):
    failing_commit(monkeypatch)
    if write:
        response = client.post(
            f"/api/v1/organisations/{world['org_id']}/indicator-values",
            json={
                "values": [{"indicator": world["indicator_id"], "period": last_month(), "value": 1}]
            },
            headers=bearer(world["token"], "en"),
        )
    else:
        response = client.get("/api/v1/organisations", headers=bearer(world["token"], "en"))
    body = assert_problem(response, 503)
    assert body["type"] == "/api/v1/docs#problem-unavailable"
    assert body["title"] == "Service unavailable"
    assert response.headers["Content-Language"] == "en"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    text = response.get_data(as_text=True)
    assert "OperationalError" not in text and "server closed" not in text
    monkeypatch.undo()
    assert stored(app) == (0, 0)
    assert last_used(app, world["token"]) is None


# --- the KPI register -----------------------------------------------------------------------------


@pytest.fixture()
def org(app, auth, factory):
    org_id = factory.organisation("Iestāde A")
    factory.user("ilze@example.lv", "member", org_id)
    auth.login("ilze@example.lv")
    return org_id


def from_standard(client, org_id, key="all", commits=None):
    url = f"/organisations/{org_id}/kpi"
    token = csrf_token(client, url)
    if commits is not None:
        commits.clear()  # count the post's only
    return client.post(
        url + "/from-standard",
        data={"csrf_token": token, "key": key, "period_kind": "quarter"},
    )


def test_indicators_from_the_standard_all_or_none(app, client, org, commits):
    """A row whose target is no number refuses the lot: the rows before it are not made, and
    the page that says so does not show them as made."""
    approved_standard(app, org, [ROWS[0], {**ROWS[1], "target": "pēc vajadzības"}])
    response = from_standard(client, org)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Gaidīšanas laiks" in page
    assert "Atvērt rādītāju" not in page and "Open the indicator" not in page
    assert count(app, KpiIndicator) == 0
    approved_standard_rows_fixed(app, org)
    assert from_standard(client, org, commits=commits).status_code == 302
    assert len(commits) == 1
    assert count(app, KpiIndicator) == 2


def approved_standard_rows_fixed(app, org_id: int) -> None:
    """The standard's indicator table corrected (both targets numbers)."""
    from assessment.models import StandardVersion

    with app.app_context():
        version = db.session.scalar(
            select(StandardVersion)
            .join(Standard, Standard.id == StandardVersion.standard_id)
            .where(Standard.organisation_id == org_id)
        )
        version.content = {"indicators": list(ROWS)}
        db.session.commit()


def test_a_register_form_refused_after_a_write_is_rolled_back(app, client, org, monkeypatch):
    """Whatever a refused form's service flushed before refusing is not kept (400)."""
    from assessment.services import register

    approved_standard(app, org)
    assert from_standard(client, org, key=f"{_standard_id(app, org)}:i-wait").status_code == 302
    indicator_id = next(iter(_indicator_ids(app)))
    real = register.record_values

    def record_then_refuse(*args, **kwargs):
        real(*args, **kwargs)  # inserted and flushed
        raise register.RegisterInvalid("future", "period")

    monkeypatch.setattr(register, "record_values", record_then_refuse)
    url = f"/kpi/{indicator_id}"
    response = client.post(
        url + "/values",
        data={"csrf_token": csrf_token(client, url), "period": "2025", "value": "2"},
    )
    assert response.status_code == 400
    monkeypatch.undo()
    assert stored(app) == (0, 0)


def _standard_id(app, org_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Standard.id).where(Standard.organisation_id == org_id))


def _indicator_ids(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(KpiIndicator.id)))


# --- the standard builder -------------------------------------------------------------------------


def test_the_standard_is_drafted_in_one_commit_and_a_failed_commit_keeps_nothing(
    app, client, org, commits, monkeypatch
):
    url = f"/organisations/{org}/standard"
    # Drafted while the database refuses the commit: the friendly 503 page, nothing kept.
    token = csrf_token(client, url)
    failing_commit(monkeypatch)
    response = client.post(url, data={"csrf_token": token, "language": "lv"})
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    monkeypatch.undo()
    assert count(app, Standard) == 0
    # Drafted again: one commit, the draft kept.
    token = csrf_token(client, url)
    commits.clear()
    response = client.post(url, data={"csrf_token": token, "language": "lv"})
    assert response.status_code == 302
    assert len(commits) == 1
    assert count(app, Standard) == 1
