"""services.results keeps each organisation's latest assessment and the previous completed one
on its bank (latest_assessments), which the portfolio sorts and filters by: updated in the
transaction that creates an assessment or moves it into or out of completed, never on a save."""

from __future__ import annotations

import datetime as dt
import random

from .locks import second_waits_for_first

BANK = ("lv-customer-service-2013", "1.0.0")


def _latest(org_id: int) -> tuple[int | None, int | None] | None:
    from assessment.extensions import db
    from assessment.models import LatestAssessments

    row = db.session.get(LatestAssessments, org_id)
    return None if row is None else (row.latest_id, row.previous_id)


def _rule(assessments) -> tuple[int | None, int | None]:
    """The rule in plain Python: newest by creation then id; the previous is the newest other
    completed or archived one on the latest's bank."""
    ordered = sorted(assessments, key=lambda a: (a.created_at, a.id), reverse=True)
    if not ordered:
        return (None, None)
    latest = ordered[0]
    previous = next(
        (
            a
            for a in ordered[1:]
            if a.state in ("completed", "archived") and a.bank_id == latest.bank_id
        ),
        None,
    )
    return (latest.id, previous.id if previous else None)


def test_latest_and_previous_follow_creation_completion_and_reopening(app, ctx):
    from assessment.extensions import db
    from assessment.models import Organisation, User
    from assessment.services.assessments import create_assessment, set_state
    from assessment.services.banks import get_bank

    bank = get_bank(*BANK)
    admin = User(email="latest-admin@example.lv", role="admin", password_hash="x")
    org = Organisation(name="Latest iestāde")
    db.session.add_all([admin, org])
    db.session.commit()
    first = create_assessment(org, bank, "2024", "lv", {}, None)
    db.session.commit()
    assert _latest(org.id) == (first.id, None)
    set_state(first, "completed", admin)
    db.session.commit()
    assert _latest(org.id) == (first.id, None)  # the latest is never its own previous
    second = create_assessment(org, bank, "2025", "lv", {}, None)
    db.session.commit()
    assert _latest(org.id) == (second.id, first.id)
    set_state(first, "in_progress", admin)  # reopened: no longer a previous
    db.session.commit()
    assert _latest(org.id) == (second.id, None)
    set_state(first, "archived", admin)
    db.session.commit()
    assert _latest(org.id) == (second.id, first.id)


def test_a_save_does_not_touch_the_latest_assessments(app, ctx):
    """Saving answers (and a draft's first save) leaves latest_assessments alone: no statement."""
    from sqlalchemy import event

    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.models import Organisation
    from assessment.services.assessments import create_assessment, save_dimension
    from assessment.services.banks import get_bank

    bank = get_bank(*BANK)
    org = Organisation(name="Saglabā iestāde")
    db.session.add(org)
    db.session.commit()
    item = create_assessment(org, bank, "2026", "lv", {}, None)
    db.session.commit()
    dimension = bank.dimensions[0]
    seen = []

    def spy(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        save_dimension(
            item, [typed(dimension.questions[0].id, "2")], None, dimension_id=dimension.id
        )
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    assert any("assessment_results" in s for s in seen)  # the result is stored …
    assert not any("latest_assessments" in s for s in seen)  # … the latest left alone
    assert _latest(org.id) == (item.id, None)


def test_refresh_latest_follows_the_rule_on_random_histories(app, ctx):
    """Organisations with random histories (dates, states, another bank): what is stored is
    what the rule says, after the ORM's own bookkeeping and after refresh_latest alike."""
    from assessment.extensions import db
    from assessment.models import Assessment, Organisation
    from assessment.services.results import refresh_latest

    rng = random.Random(11)
    states = ["draft", "in_progress", "completed", "archived"]
    orgs = []
    for n in range(12):
        org = Organisation(name=f"Vēsture {n:02d}")
        db.session.add(org)
        db.session.flush()
        for k in range(rng.randint(0, 5)):
            db.session.add(
                Assessment(
                    organisation_id=org.id,
                    bank_id=rng.choice(["lv-customer-service-2013", "cita-banka"]),
                    bank_version="1.0.0",
                    title=f"{n}/{k}",
                    language="lv",
                    state=rng.choice(states),
                    targets={},
                    created_at=dt.datetime(2020 + rng.randint(0, 3), 1, 1, tzinfo=dt.UTC),
                )
            )
        orgs.append(org)
    db.session.commit()

    def expected(org):
        return _rule(db.session.query(Assessment).filter_by(organisation_id=org.id).all())

    for org in orgs:
        assert (_latest(org.id) or (None, None)) == expected(org), org.name
    refresh_latest([o.id for o in orgs])
    db.session.commit()
    for org in orgs:
        assert _latest(org.id) == expected(org), org.name


def test_two_transactions_creating_assessments_of_one_organisation_store_the_newest(app, ctx):
    """PostgreSQL: the second transaction's refresh_latest waits for the first (the
    organisation's row lock) and then sees its assessment, so the newer one is stored as the
    latest even when the older one commits last."""
    import pytest

    from assessment.extensions import db
    from assessment.models import Assessment, Organisation
    from assessment.services.results import refresh_latest

    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite has one writer at a time)")
    org = Organisation(name="Vienlaikus iestāde")
    db.session.add(org)
    db.session.commit()
    table = Assessment.__table__

    def create(conn, title, year):
        new_id = conn.execute(
            table.insert().returning(table.c.id),
            {
                "organisation_id": org.id,
                "bank_id": BANK[0],
                "bank_version": BANK[1],
                "title": title,
                "language": "lv",
                "state": "draft",
                "targets": {},
                "created_at": dt.datetime(year, 1, 1, tzinfo=dt.UTC),
            },
        ).scalar_one()
        refresh_latest([org.id], conn)
        return new_id

    newer, _older = second_waits_for_first(
        app, lambda c: create(c, "2026", 2026), lambda c: create(c, "2020", 2020)
    )
    assert _latest(org.id) == (newer, None)
