"""services.results: the one place that consolidates (§5) and scores (§4), and stored results."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from assessment.domain.answers import parse_answers
from assessment.services.results import file_report

from ..conftest import answers_doc, dump
from .locks import second_waits_for_first

ORG = "Valsts ieņēmumu dienests"


def test_file_report_consolidates_respondents(registry):
    doc = answers_doc(
        answers=[{"question": "alpha.one", "level": 2}],
        respondents=[
            {
                "name": "Ilze",
                "answers": [
                    {"question": "alpha.one", "level": 0},
                    {"question": "alpha.two", "level": 0},
                ],
            },
            {
                "name": "Jānis",
                "answers": [
                    {"question": "alpha.one", "level": 4},
                    {"question": "alpha.two", "level": 3},
                ],
            },
        ],
    )
    answers_file, bank = parse_answers(dump(doc), registry)
    report = file_report(answers_file, bank, "en")
    assert report.respondents == ["Ilze", "Jānis"]
    assert report.score.answers["alpha.one"].level == 2  # consensus wins
    assert report.score.answers["alpha.two"].level == 0  # lower median
    assert (report.disagreements_resolved, report.disagreements_open) == (1, 1)
    assert report.date == dt.date.today() and report.organisation == ORG


def test_file_report_without_respondents(registry):
    doc = answers_doc(answers=[{"question": "beta.one", "level": 1}], targets={"beta": 3})
    answers_file, bank = parse_answers(dump(doc), registry)
    report = file_report(answers_file, bank, "lv")
    assert report.lang == "lv" and report.respondents == []
    assert report.dimensions[1].target == 3
    assert report.disagreements_total == 0


# --- stored results ------------------------------------------------------------------------------

BANK = ("lv-customer-service-2013", "1.0.0")


def _org_with_assessment(
    n: int, levels: list[int], state: str = "completed", evidence_every: int = 2
):
    """An organisation with one assessment answering the first questions with `levels`."""
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Organisation
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank

    bank = get_bank(*BANK)
    org = Organisation(name=f"Iestāde {n:03d}")
    db.session.add(org)
    db.session.flush()
    item = create_assessment(org, bank, f"A{n}", "lv", {}, None)
    for i, (q, level) in enumerate(zip(bank.questions, levels, strict=False)):
        db.session.add(
            AnswerRecord(
                assessment_id=item.id,
                question_id=q.id,
                level=level,
                evidence=[{"title": "x"}] if i % evidence_every == 0 else [],
            )
        )
    item.state = state
    return item


def _stored_equals_score(item) -> None:
    from assessment.services.banks import get_bank
    from assessment.services.results import score_assessment, stored_result

    result = score_assessment(item, get_bank(item.bank_id, item.bank_version))
    found = stored_result(item)
    assert found is not None
    assert found.maturity == _f(result.maturity)
    assert found.evidence_backed == _f(result.evidence_backed)
    assert found.level == result.level and found.complete == result.complete
    assert found.unanswered == len(result.unanswered)
    for got, want in zip(found.dimensions, result.dimensions, strict=True):
        assert (
            got.id,
            got.target,
            got.level,
            got.counted,
            got.not_applicable,
            got.dont_know,
            got.unanswered,
            got.unsupported,
            got.total,
        ) == (
            want.id,
            want.target,
            want.level,
            want.counted,
            want.not_applicable,
            want.dont_know,
            want.unanswered,
            want.unsupported,
            want.total,
        )
        assert (got.maturity, got.evidence_backed, got.gap) == (
            _f(want.maturity),
            _f(want.evidence_backed),
            _f(want.gap),
        )


def _f(value):
    from fractions import Fraction

    return None if value is None else Fraction(repr(float(value)))


def test_results_are_stored_when_answers_change_and_equal_the_score(app, ctx):
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.services.assessments import save_dimension

    item = _org_with_assessment(1, [4, 3, 1, 0, 2, 4, 3], state="in_progress")
    db.session.commit()
    _stored_equals_score(item)
    from assessment.services.banks import get_bank
    from assessment.services.results import stored_result

    before = stored_result(item).evidence_backed
    dimension = get_bank(*BANK).dimensions[-1].id  # nothing answered there yet
    qids = [q.id for q in get_bank(*BANK).dimension(dimension).questions]
    save_dimension(
        item,
        [typed(q, "4", "", [{"title": "Doc"}]) for q in qids],
        None,
        dimension_id=dimension,
    )
    db.session.commit()
    _stored_equals_score(item)
    assert stored_result(item).evidence_backed > before


def test_targets_and_a_submitted_respondent_change_the_stored_result(app, ctx):
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.services.respondents import create_respondent, save_respondent_answers, submit
    from assessment.services.results import stored_result

    item = _org_with_assessment(2, [1, 1, 1], state="in_progress")
    db.session.commit()
    gap = stored_result(item).dimension("values").gap
    item.targets = {**item.targets, "values": 4}
    db.session.commit()
    assert stored_result(item).dimension("values").gap > gap
    _stored_equals_score(item)
    respondent, _token = create_respondent(item, "Anna")
    from assessment.services.banks import get_bank

    question = list(get_bank(*BANK).questions)[5].id  # unanswered by the facilitator
    save_respondent_answers(respondent, [typed(question, "4", "", [{"title": "Doc"}])])
    db.session.commit()
    assert stored_result(item).unanswered == len(list(get_bank(*BANK).questions)) - 3  # not yet
    submit(respondent)
    db.session.commit()
    assert stored_result(item).unanswered == len(list(get_bank(*BANK).questions)) - 4
    _stored_equals_score(item)


def test_a_rolled_back_change_leaves_the_stored_result(app, ctx):
    from assessment.extensions import db
    from assessment.models import AnswerRecord
    from assessment.services.results import stored_result

    item = _org_with_assessment(3, [2, 2], state="in_progress")
    db.session.commit()
    before = stored_result(item).maturity
    from assessment.services.banks import get_bank

    question = list(get_bank(*BANK).questions)[10].id
    db.session.add(AnswerRecord(assessment_id=item.id, question_id=question, level=4))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert stored_result(item).maturity == before


def test_the_migration_fills_the_results_of_existing_assessments(app, ctx):
    import importlib.util
    from pathlib import Path

    from assessment.extensions import db
    from assessment.models import AssessmentResult, DimensionResult

    items = [_org_with_assessment(10 + n, [n % 5, 4, 3, (n + 2) % 5]) for n in range(3)]
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(DimensionResult.__table__.delete())
        conn.execute(AssessmentResult.__table__.delete())
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0005_results.py"
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with db.engine.begin() as conn:
        module.fill_results(conn)
    db.session.expire_all()
    for item in items:
        _stored_equals_score(item)


def test_benchmark_quartiles_equal_pythons_inclusive_quantiles(app, ctx):
    """The database's quartiles (six order statistics per dimension) are exactly
    statistics.quantiles(method="inclusive") of the peers' evidence-backed figures (every other
    organisation: this viewer controls none), rounded half-up to two places; a completed
    assessment more changes them."""
    import random
    from statistics import quantiles

    from assessment.domain.scoring import round_half_up
    from assessment.extensions import db
    from assessment.services.banks import get_bank
    from assessment.services.portfolio import benchmark
    from assessment.services.results import score_assessment
    from assessment.services.users import create_user

    bank = get_bank(*BANK)
    viewer = create_user("peer-viewer@example.lv", "Garš un drošs parole 42!", "consultant", None)
    rng = random.Random(11)
    items = [
        _org_with_assessment(
            20 + n, [rng.randint(0, 4) for _ in range(40)], evidence_every=rng.randint(1, 3)
        )
        for n in range(9)
    ]
    db.session.commit()
    for extra in (0, 1):
        if extra:
            items.append(_org_with_assessment(40, [4] * 51))
            db.session.commit()
        count, rows = benchmark(items[0], bank, viewer)
        assert count == len(items) - 1  # the assessment's own organisation is no peer
        scored = [score_assessment(i, bank) for i in items]
        for row in rows:
            values = sorted(
                float(s.dimension(row.dimension_id).evidence_backed)
                for s in scored[1:]
                if s.dimension(row.dimension_id).evidence_backed is not None
            )
            assert (row.lower, row.median, row.upper) == tuple(
                round_half_up(Fraction(repr(q))) for q in quantiles(values, n=4, method="inclusive")
            ), row.dimension_id
            assert row.own == _f(scored[0].dimension(row.dimension_id).evidence_backed)
        assert rows


@pytest.mark.postgres
def test_two_transactions_saving_one_assessment_store_the_result_of_both(app, ctx):
    """PostgreSQL: the second recomputation waits for the first transaction (its row lock) and
    reads its committed answers, instead of storing the result of a snapshot without them."""
    from assessment.extensions import db
    from assessment.models import AnswerRecord
    from assessment.services.banks import get_bank
    from assessment.services.results import refresh, stored_result

    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite has one writer at a time)")
    item = _org_with_assessment(50, [], state="in_progress")
    db.session.commit()
    bank = get_bank(*BANK)
    first_q, second_q = [q.id for q in bank.questions][:2]
    answers = AnswerRecord.__table__

    def save(conn, question):
        conn.execute(
            answers.insert(),
            [
                {
                    "assessment_id": item.id,
                    "question_id": question,
                    "level": 2,
                    "version": 1,
                    "not_applicable": False,
                    "dont_know": False,
                    "comment": "",
                    "evidence": [],
                    "updated_at": item.created_at,
                }
            ],
        )
        refresh([item.id], conn, lambda *_: bank)

    second_waits_for_first(app, lambda c: save(c, first_q), lambda c: save(c, second_q))
    assert stored_result(item).counted == 2


def test_dimension_figures_are_those_of_the_assessments_asked_only(app, ctx):
    """`dimension_figures(ids)` (the portfolio: the dimensions of the latest assessments, one
    query of four columns) gives the dimensions of those asked only, in bank order, with the
    figures read with every column; `stored` without dimensions reads none."""
    from assessment.extensions import db
    from assessment.services.results import dimension_figures, stored

    a = _org_with_assessment(1, [4, 3, 1, 0, 2, 4, 3])
    b = _org_with_assessment(2, [1, 2, 2, 3, 0, 1, 4])
    db.session.commit()
    full = stored([a.id, b.id], dimensions=True)
    some = dimension_figures([b.id, 999_999])
    assert set(some) == {b.id} and full[a.id].dimensions
    assert some[b.id] == [(d.id, d.evidence_backed, d.gap) for d in full[b.id].dimensions]
    assert stored([a.id])[a.id].dimensions == []
