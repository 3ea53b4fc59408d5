"""Issue 13 items 2 and 3: the consensus is explicit (respondents' distribution on the
facilitator's questionnaire, one figure of progress), and the review before completing."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.web.test_query_budget import count_get, show


@pytest.fixture()
def setup(app, client, auth, factory):
    org = factory.organisation()
    factory.user("janis@example.lv", "consultant", org)
    a = factory.assessment(org)
    auth.login("janis@example.lv")
    client.get("/lang/en")
    return org, a


def add_respondents(app, a, given, pending=()):
    """Submitted respondents with their levels {name: {question: level}}; `pending` invited
    but not submitted."""
    from assessment.extensions import db
    from assessment.models import Respondent, RespondentAnswer, utcnow

    with app.app_context():
        for n, (name, answers) in enumerate(given.items()):
            item = Respondent(
                assessment_id=a,
                name=name,
                token_hash=f"{n:064d}",
                submitted_at=utcnow(),
                started_at=utcnow(),
            )
            db.session.add(item)
            db.session.flush()
            for qid, level in answers.items():
                db.session.add(
                    RespondentAnswer(
                        respondent_id=item.id,
                        question_id=qid,
                        level=level if level != "dk" else None,
                        dont_know=level == "dk",
                    )
                )
        for n, name in enumerate(pending):
            db.session.add(Respondent(assessment_id=a, name=name, token_hash=f"p{n:063d}"))
        db.session.commit()


def agree(app, a, answers):
    from assessment.extensions import db
    from assessment.models import AnswerRecord

    with app.app_context():
        for qid, (level, evidence) in answers.items():
            db.session.add(
                AnswerRecord(assessment_id=a, question_id=qid, level=level, evidence=evidence)
            )
        db.session.commit()


def test_questionnaire_shows_respondents_distribution_and_says_it_plainly(app, client, setup):
    org, a = setup
    add_respondents(
        app,
        a,
        {
            "Anna": {"values.mission": 0},
            "Bruno": {"values.mission": 2},
            "Cilda": {"values.mission": 3},
            "Dace": {"values.mission": "dk"},
        },
    )
    html = client.get(f"/assessments/{a}/dimensions/values").get_data(as_text=True)
    assert "4 respondents have submitted answers" in html
    assert "becomes the agreed answer of the assessment" in html
    section = html.split('id="q-values.mission"', 1)[1].split("</fieldset>", 1)[0]
    assert "Respondents&#39; answers</strong>" in section or "Respondents' answers" in section
    assert "(4):" in section
    pairs = re.findall(
        r'<span class="dist-key">([^<]+)</span> <span class="dist-n">(\d+)<', section
    )
    assert dict(pairs) == {
        "0": "1",
        "1": "0",
        "2": "1",
        "3": "1",
        "4": "0",
        "Not applicable": "0",
        "Don't know": "1",
    }
    assert "Disagreement" in section  # 0 to 3
    assert "Your answer here becomes the agreed answer for this question." in section


def test_without_respondents_no_distribution(client, setup):
    org, a = setup
    html = client.get(f"/assessments/{a}/dimensions/values").get_data(as_text=True)
    assert "respondent-dist" not in html and "consensus-note" not in html


def test_one_figure_of_progress_on_overview_and_questionnaire(app, client, setup):
    org, a = setup
    # Respondents cover 2 questions, one question is agreed: 1 of 51, not 2 of 51.
    add_respondents(app, a, {"Anna": {"values.mission": 2, "values.co-created": 3}})
    agree(app, a, {"values.mission": (2, [])})
    figure = "Agreed answers: 1 of 51 questions"
    coverage = "Respondents' answers cover 2 of 51 questions (1 respondent submitted)."
    for url in (
        f"/assessments/{a}",
        f"/assessments/{a}/dimensions/values",
        f"/assessments/{a}/dimensions/leadership",
        f"/assessments/{a}/review",
    ):
        html = client.get(url).get_data(as_text=True)
        assert figure in html, url
        assert coverage in html, url


def test_questionnaire_spends_one_statement_more_only_with_respondents(app, client, setup):
    """The budget of tests/web/test_query_budget.py (8) holds; respondents add exactly one
    statement (their answers, for the distribution), and only when someone has submitted."""
    from tests.web.test_query_budget import QUESTIONNAIRE_BUDGET

    org, a = setup
    url = f"/assessments/{a}/dimensions/values"
    before, seen_before = count_get(app, client, url)
    add_respondents(app, a, {"Anna": {"values.mission": 2}}, pending=["Bruno"])
    after, seen_after = count_get(app, client, url)
    assert after == before + 1, f"{show(seen_before)}\n---\n{show(seen_after)}"
    assert after <= QUESTIONNAIRE_BUDGET


def test_review_lists_every_kind_of_problem_with_links(app, client, setup):
    org, a = setup
    add_respondents(
        app, a, {"Anna": {"values.mission": 0}, "Bruno": {"values.mission": 3}}, pending=["Cilda"]
    )
    agree(
        app,
        a,
        {
            "values.standard": (4, []),
            "values.co-created": (3, [{"title": "Vecs protokols", "date": "2001-01-01"}]),
        },
    )
    html = client.get(f"/assessments/{a}/review").get_data(as_text=True)
    disagreements = html.split('id="disagreements"', 1)[1].split("</section>", 1)[0]
    assert f"/assessments/{a}/workshop/values.mission" in disagreements
    waiting = html.split('id="not_submitted"', 1)[1].split("</section>", 1)[0]
    assert "Cilda" in waiting and "Anna" not in waiting and "/fresh-link" in waiting
    unsupported = html.split('id="unsupported"', 1)[1].split("</section>", 1)[0]
    assert f"/assessments/{a}/dimensions/values#q-values.standard" in unsupported
    assert "values.co-created" in unsupported  # its only evidence is outdated
    stale = html.split('id="stale"', 1)[1].split("</section>", 1)[0]
    assert "Vecs protokols" in stale and "#q-values.co-created" in stale
    unanswered = html.split('id="unanswered"', 1)[1].split("</section>", 1)[0]
    assert "#q-values.mission" not in unanswered  # the respondents answered it
    assert "#q-leadership." in unanswered
    overview = client.get(f"/assessments/{a}").get_data(as_text=True)
    assert f'href="/assessments/{a}/review"' in overview and "1 open disagreement" in overview


def test_completing_with_open_disagreements_asks_first(app, client, setup):
    from assessment.extensions import db
    from assessment.models import Assessment

    org, a = setup
    add_respondents(app, a, {"Anna": {"values.mission": 0}, "Bruno": {"values.mission": 4}})
    url = f"/assessments/{a}/state/completed"
    token = csrf_token(client, f"/assessments/{a}/review")
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/review#complete")
    page = client.get(f"/assessments/{a}/review").get_data(as_text=True)
    assert "1 question still has an open disagreement" in page
    assert 'name="accept_disagreements"' in page
    with app.app_context():
        assert db.session.get(Assessment, a).state != "completed"
    client.post(url, data={"csrf_token": token, "accept_disagreements": "1"})
    with app.app_context():
        assert db.session.get(Assessment, a).state == "completed"


def test_completing_without_disagreements_needs_no_confirmation(app, client, setup):
    from assessment.extensions import db
    from assessment.models import Assessment

    org, a = setup
    token = csrf_token(client, f"/assessments/{a}/review")
    client.post(f"/assessments/{a}/state/completed", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Assessment, a).state == "completed"


def test_continue_opens_the_first_unanswered_question(app, client, setup):
    org, a = setup
    agree(app, a, {"values.mission": (2, []), "leadership.budget": (1, [])})
    assert client.get(f"/assessments/{a}/resume").location.endswith(
        "/dimensions/values#q-values.co-created"
    )


def test_review_service_keeps_one_list_per_kind(app, setup):
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.services.banks import get_bank
    from assessment.services.review import Review, build_review

    org, a = setup
    with app.app_context():
        item = db.session.get(Assessment, a)
        review = build_review(item, get_bank(item.bank_id, item.bank_version))
    assert set(review.counts()) == set(Review.kinds)
    assert review.counts()["unanswered"] == 51 and review.count() == 51
