"""Saving answers never commits and recovers from its own conflicts: the write that found a row
moved is undone in a SAVEPOINT, the session stays usable and the conflict is returned; the
request's boundary (here: the test) commits or rolls back."""

from __future__ import annotations

import pytest
from sqlalchemy import update


@pytest.fixture
def respondent(app, ctx):
    from assessment.extensions import db
    from assessment.models import Organisation
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank
    from assessment.services.respondents import create_respondent

    bank = get_bank("lv-customer-service-2013", "1.0.0")
    org = Organisation(name="Valsts ieņēmumu dienests")
    db.session.add(org)
    db.session.flush()
    item = create_assessment(org, bank, "2026", "lv", {}, None)
    person, _token = create_respondent(item, "Anna")
    db.session.commit()
    return person, next(iter(bank.questions)).id


def test_a_respondent_save_racing_another_tab_returns_the_conflict(respondent, monkeypatch):
    """The other tab saves after this save read the rows and before it writes: its UPDATE
    matches no row (StaleDataError at the flush), the SAVEPOINT is rolled back, the rows are
    read again and the conflict comes back; nothing of this save is written."""
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.models import RespondentAnswer
    from assessment.services import respondents as rservice

    person, qid = respondent
    assert rservice.save_respondent_answers(person, [typed(qid, "1", "pirmā", [])]) == []
    db.session.commit()
    real = rservice.respondent_records
    calls = []

    def read_then_other_tab_saves(item):
        rows = real(item)
        if not calls:  # the other tab, between this save's read and its write
            db.session.execute(
                update(RespondentAnswer)
                .where(RespondentAnswer.respondent_id == item.id)
                .values(level=3, comment="otrā cilne", version=RespondentAnswer.version + 1)
                .execution_options(synchronize_session=False)
            )
        calls.append(1)
        return rows

    monkeypatch.setattr(rservice, "respondent_records", read_then_other_tab_saves)
    conflicts = rservice.save_respondent_answers(person, [typed(qid, "4", "mana", [], 1)])
    assert [c.question_id for c in conflicts] == [qid]
    assert len(calls) == 2  # read again after the SAVEPOINT was rolled back
    theirs = conflicts[0].theirs
    assert (theirs.level, theirs.comment, theirs.version) == (3, "otrā cilne", 2)
    assert conflicts[0].mine.comment == "mana"  # what this tab typed, to show again
    row = db.session.get(RespondentAnswer, theirs.id)
    assert (row.level, row.comment) == (3, "otrā cilne")  # the session is usable; nothing of ours


def test_saving_does_not_commit(respondent):
    """A save flushes; only the caller's boundary commits (here a rollback discards it)."""
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.services import respondents as rservice

    person, qid = respondent
    rservice.save_respondent_answers(person, [typed(qid, "2", "", [])])
    db.session.rollback()
    assert rservice.respondent_records(person) == {}
