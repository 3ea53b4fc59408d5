"""The demo: last year's assessment on bank 1.0.0, this year's on 2.0.0; answers reference the
questions of their own version, and the compare view shows the trend across the versions."""

from __future__ import annotations

from tests.conftest import csrf_token


def test_demo_uses_2_0_0_and_keeps_last_year_on_1_0_0(app, client, tmp_path, monkeypatch):
    from sqlalchemy import select

    from assessment.demo import ACTION_QUESTION, DEMO_EMAIL, create_demo
    from assessment.extensions import db
    from assessment.models import ActionItem, AnswerRecord, Assessment
    from assessment.services.banks import get_bank

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    with app.app_context():
        password = create_demo()
        db.session.commit()
        assert password and create_demo() is None  # idempotent
        items = db.session.scalars(select(Assessment).order_by(Assessment.created_at)).all()
        assert [(a.title, a.bank_version) for a in items] == [
            ("Pašnovērtējums 2025", "1.0.0"),
            ("Pašnovērtējums 2026", "2.0.0"),
            ("Pašnovērtējums 2027 (melnraksts)", "2.0.0"),
        ]
        for a in items:
            bank = get_bank(a.bank_id, a.bank_version)
            ids = db.session.scalars(
                select(AnswerRecord.question_id).where(AnswerRecord.assessment_id == a.id)
            ).all()
            assert ids and all(bank.question(i) is not None for i in ids), a.title
            for row in db.session.scalars(
                select(AnswerRecord).where(AnswerRecord.assessment_id == a.id)
            ):
                q = bank.question(row.question_id)
                if q.type == "indicator" and not (row.not_applicable or row.dont_know):
                    assert row.value is not None and row.period == "2026", row.question_id
                    assert row.level == q.qtype.level(q, row), row.question_id
                elif q.type != "indicator":
                    assert row.value is None, row.question_id
        indicators = db.session.scalars(
            select(AnswerRecord).where(
                AnswerRecord.assessment_id == items[1].id, AnswerRecord.value.is_not(None)
            )
        ).all()
        assert len(indicators) >= 3  # 2.0.0's 2.2.7 indicators carry figures, not bare levels
        action = db.session.scalars(select(ActionItem)).one()
        assert get_bank("lv-customer-service-2013", "2.0.0").question(ACTION_QUESTION)
        assert action.question_id == ACTION_QUESTION
        earlier, finished = items[0].id, items[1].id
    token = csrf_token(client, "/login")
    client.post("/login", data={"email": DEMO_EMAIL, "password": password, "csrf_token": token})
    client.get("/lang/en")
    page = client.get(f"/assessments/{finished}/compare?with={earlier}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "version 1.0.0 of the question bank, the later one version 2.0.0" in text
    assert "rose by" in text
