"""No anonymous writes through the expired-session rescue (issue 10, item 3)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from assessment.extensions import db, limiter
from assessment.models import PendingSubmission
from tests.conftest import Auth
from tests.web.test_questionnaire import keep_value, page


@pytest.fixture()
def setup(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    factory.user("anna@example.lv", "member", org)
    assessment_id = factory.assessment(org)
    auth.login("ilze@example.lv")
    return assessment_id


def kept_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PendingSubmission.id)))


def test_anonymous_post_without_proof_is_not_kept(app, setup):
    stranger = app.test_client()
    responses = []
    for target in (setup, 999_999):  # an assessment that exists and one that does not
        response = stranger.post(
            page(target),
            data={"q-values.mission-comment": "x" * 1000, "q-values.mission-answer": "4"},
        )
        # The page links back to its own address; apart from that, the same page.
        body = response.get_data(as_text=True).replace(f"/assessments/{target}/", "/X/")
        responses.append((response.status_code, body))
    assert kept_count(app) == 0
    assert responses[0][0] == responses[1][0] == 400
    assert responses[0][1] == responses[1][1]  # nothing tells the two apart


def test_forged_or_foreign_proof_is_not_kept(app, client, factory, setup):
    keep = keep_value(client, page(setup))
    other = factory.assessment(factory.organisation("Cita iestāde"))
    stranger = app.test_client()
    for url, value in (
        (page(other), keep),  # another assessment
        (f"/assessments/{setup}/dimensions/leadership", keep),  # another page
        (page(setup), keep[:-2] + "xx"),
    ):  # tampered
        response = stranger.post(url, data={"q-values.mission-comment": "x", "keep": value})
        assert response.status_code == 400, url
    assert kept_count(app) == 0


def test_kept_answers_go_back_only_to_the_user_they_were_served_to(app, client, setup):
    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    response = client.post(
        page(setup), data={"q-values.mission-comment": "mans teksts", "keep": keep}
    )
    assert response.status_code == 302
    restore = unquote(response.location.split("next=", 1)[1])
    colleague = app.test_client()  # same organisation, another person
    Auth(colleague).login("anna@example.lv")
    assert colleague.get(restore).status_code == 404
    Auth(client).login("ilze@example.lv")
    shown = client.get(restore)
    assert shown.status_code == 200 and "mans teksts" in shown.get_data(as_text=True)


def test_more_than_a_page_of_text_is_not_kept(app, client, setup):
    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    data = {"keep": keep, **{f"q-values.mission-ev-{n}-title": "x" * 5000 for n in range(60)}}
    response = client.post(page(setup), data=data)
    assert response.status_code == 413
    assert kept_count(app) == 0


def test_kept_answers_are_purged_after_seven_days(app, runner, client, setup):
    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    assert (
        client.post(
            page(setup), data={"q-values.mission-comment": "vecs", "keep": keep}
        ).status_code
        == 302
    )
    with app.app_context():
        row = db.session.scalar(select(PendingSubmission))
        row.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
        db.session.commit()
    result = runner.invoke(args=["purge-kept-answers"])
    assert result.exit_code == 0 and "deleted 1" in result.output
    assert kept_count(app) == 0


def test_purge_runs_at_start(app, client, setup):
    from assessment import purge_at_start

    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    client.post(page(setup), data={"q-values.mission-comment": "vecs", "keep": keep})
    with app.app_context():
        row = db.session.scalar(select(PendingSubmission))
        row.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
        db.session.commit()
    purge_at_start(app)
    assert kept_count(app) == 0


def test_keeping_is_limited_per_user_not_per_address(app, client, setup):
    """Thirty kept pages an hour for one user; another user at the same address is not
    affected."""
    limiter.reset()
    try:
        keep = keep_value(client, page(setup))
        other = app.test_client()
        Auth(other).login("anna@example.lv")
        keep_other = keep_value(other, page(setup))
        anonymous = app.test_client()
        codes = [
            anonymous.post(
                page(setup), data={"q-values.mission-comment": str(n), "keep": keep}
            ).status_code
            for n in range(31)
        ]
        assert codes[:30] == [302] * 30 and codes[30] == 429
        response = anonymous.post(
            page(setup), data={"q-values.mission-comment": "mine", "keep": keep_other}
        )
        assert response.status_code == 302
    finally:
        limiter.reset()


def test_kept_fields_are_the_questionnaires_fields_also_an_indicators_figure():
    """What an expired session keeps is every field of the questionnaire's questions, named in
    one place (domain.answer_form): also an indicator's figure and period, which the list of
    kept fields once left out."""
    from assessment.domain.answer_form import PARTS, names
    from assessment.services.kept import fields_to_keep

    n = names("gamma.answered")
    fields = [(getattr(n, part.replace("-", "_")), "x") for part in PARTS]
    fields += [(n.evidence(0, part), "x") for part in ("title", "url", "date", "remove")]
    kept = fields_to_keep([*fields, ("action", "save"), ("other", "y")])
    assert set(kept) == {name for name, _value in fields} | {"action"}
    assert kept[n.value] == "x" and kept[n.period] == "x"
