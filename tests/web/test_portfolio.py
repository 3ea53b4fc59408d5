"""The consultant's portfolio (constant number of SQL statements) and the benchmark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from tests.conftest import DEFAULT_PASSWORD


def populate(app, consultant_email, count, start=0, completed_levels=(2, 3)):
    """`count` organisations assigned to the consultant, each with a completed assessment and a
    newer one in progress (answers, a submitted respondent, actions)."""
    from assessment.extensions import db
    from assessment.models import (
        ActionItem,
        AnswerRecord,
        ConsultantAssignment,
        Organisation,
        User,
    )
    from assessment.services.assessments import Submitted, create_assessment
    from assessment.services.banks import get_bank
    from assessment.services.respondents import create_respondent, save_respondent_answers, submit

    with app.app_context():
        bank = get_bank("lv-customer-service-2013", "1.0.0")
        user = db.session.query(User).filter_by(email=consultant_email).one()
        qids = [q.id for q in bank.questions][:6]
        for n in range(start, start + count):
            org = Organisation(name=f"Iestāde {n:03d}")
            db.session.add(org)
            db.session.flush()
            db.session.add(ConsultantAssignment(user_id=user.id, organisation_id=org.id))
            old = create_assessment(org, bank, "2025", "lv", {}, None)
            old.state = "completed"
            old.created_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
            for qid in qids:
                db.session.add(AnswerRecord(assessment_id=old.id, question_id=qid,
                                            level=completed_levels[0], evidence=[]))
            new = create_assessment(org, bank, "2026", "lv", {}, None)
            new.state = "in_progress"
            for qid in qids[:3]:
                db.session.add(AnswerRecord(assessment_id=new.id, question_id=qid,
                                            level=completed_levels[1],
                                            evidence=[{"title": "x"}]))
            respondent, _token = create_respondent(new, "Anna")
            save_respondent_answers(respondent, [Submitted(qids[4], "4", "", [], 0)])
            submit(respondent)
            db.session.add(ActionItem(assessment_id=new.id, question_id=qids[0], status="open"))
            db.session.add(ActionItem(assessment_id=new.id, question_id=qids[1], status="done"))
        db.session.commit()


def count_statements(app, client, url):
    from assessment.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_portfolio_issues_a_constant_number_of_statements(app, client, auth, factory):
    factory.user("janis@example.lv", "consultant")
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    populate(app, "janis@example.lv", 3)
    few, page = count_statements(app, client, "/portfolio")
    assert "Iestāde 002" in page
    populate(app, "janis@example.lv", 27, start=3)
    many, page = count_statements(app, client, "/portfolio")
    assert "Iestāde 024" in page and "Iestāde 025" not in page  # first page of 25
    assert few == many, (few, many)
    assert 5 <= few <= 15
    many_sorted, _page = count_statements(app, client,
                                          "/portfolio?sort=activity&dir=desc&page=2&q=iest")
    assert many_sorted == few


def test_portfolio_figures_search_and_access(app, client, auth, factory):
    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 2)
    other = factory.organisation("Nepiešķirta iestāde")
    factory.assessment(other)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    page = client.get("/portfolio?q=000", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Iestāde 000" in page and "Iestāde 001" not in page
    assert "Nepiešķirta" not in client.get("/portfolio").get_data(as_text=True)
    row = page.split("Iestāde 000")[1].split("</tr>")[0]
    # latest: 3 answers at level 3 with evidence + respondent's 4 (no evidence → 2)
    # previous completed: six answers at level 2 → the change is shown
    assert "in progress" in row or "in_progress" in row
    assert "+" in row
    assert ">1<" in row  # one open action (the other is done)


def test_member_cannot_open_portfolio(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    auth.login("ilze@example.lv")
    assert client.get("/portfolio").status_code == 403


def test_benchmark_hides_itself_under_five_organisations(app, client, auth, factory):
    from assessment.extensions import db
    from assessment.models import Assessment

    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 4)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():
        mine = db.session.query(Assessment).filter_by(title="2025").order_by(
            Assessment.id).first().id  # Iestāde 000: without an order PostgreSQL may pick any
    page = client.get(f"/assessments/{mine}/benchmark",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "at least 5 organisations" in page and "Median" not in page
    populate(app, "janis@example.lv", 1, start=10, completed_levels=(4, 4))
    page = client.get(f"/assessments/{mine}/benchmark",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Median" in page
    assert "Iestāde 010" not in page and "Iestāde 001" not in page


def test_compare_two_assessments_of_one_organisation(app, client, auth, factory):
    from assessment.extensions import db
    from assessment.models import Assessment

    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 2)
    other_org = factory.organisation("Cita iestāde")
    foreign = factory.assessment(other_org)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():
        rows = db.session.query(Assessment).filter(Assessment.title.in_(("2025", "2026"))) \
            .order_by(Assessment.id).all()
        old, new = rows[0].id, rows[1].id
        assert rows[0].organisation_id == rows[1].organisation_id
    page = client.get(f"/assessments/{new}/compare?with={old}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "rose by 1" in page  # level 2 → 3 on three questions
    assert "5 changed" not in page and ": 4 rose, 0 fell" in page and "rose by 2" in page
    assert client.get(f"/assessments/{new}/compare?with={foreign}").status_code == 404
    assert client.get(f"/assessments/{new}/compare").status_code == 200
