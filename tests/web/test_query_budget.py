"""Query budgets: pages issue a fixed number of SQL statements, whatever the data (issue 6, 4).

A listener on the engine counts the statements of one request (after a warm-up request, so
one-off work such as loading a bank into the cache is not counted).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from assessment.extensions import db

QUESTIONNAIRE_BUDGET = 8


@contextmanager
def statements(app):
    """Collect the SQL statements the app's engine executes inside the block."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def count_get(app, client, url: str) -> tuple[int, list[str]]:
    """Statements for one GET of `url` (asserted 200), after a warm-up GET."""
    assert client.get(url).status_code == 200, url
    with statements(app) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen), seen


def answer_everything(app, assessment_id: int) -> None:
    """Every question answered, each with a comment and two evidence items."""
    from assessment.models import AnswerRecord, Assessment
    from assessment.services.banks import get_bank

    with app.app_context():
        item = db.session.get(Assessment, assessment_id)
        bank = get_bank(item.bank_id, item.bank_version)
        for i, q in enumerate(bank.questions):
            db.session.add(
                AnswerRecord(
                    assessment_id=item.id,
                    question_id=q.id,
                    level=i % 5,
                    comment=f"Komentārs {i}",
                    evidence=[
                        {
                            "title": f"Dokuments {k}",
                            "url": "https://example.lv/d",
                            "date": "2026-01-15",
                        }
                        for k in range(2)
                    ],
                )
            )
        item.state = "in_progress"
        db.session.commit()


def show(seen: list[str]) -> str:
    return "\n".join(f"  {n + 1}. {s.splitlines()[0][:160]}" for n, s in enumerate(seen))


@pytest.fixture()
def two_assessments(factory, auth):
    """A member logged in, one empty assessment and one with every question answered."""
    org = factory.organisation()
    factory.user("budget@example.lv", "member", org)
    empty = factory.assessment(org, title="Tukšs")
    full = factory.assessment(org, title="Pilns")
    answer_everything(factory.app, full)
    assert auth.login("budget@example.lv").status_code == 302
    return empty, full


def test_questionnaire_statements_do_not_grow_with_answers(app, client, two_assessments):
    empty, full = two_assessments
    n_empty, seen_empty = count_get(app, client, f"/assessments/{empty}/dimensions/values")
    n_full, seen_full = count_get(app, client, f"/assessments/{full}/dimensions/values")
    assert n_empty == n_full, (
        f"0 answers: {n_empty} statements\n{show(seen_empty)}\n"
        f"all answered: {n_full}\n{show(seen_full)}"
    )
    assert n_full <= QUESTIONNAIRE_BUDGET, f"{n_full} statements:\n{show(seen_full)}"


def test_questionnaire_statements_do_not_grow_with_questions(app, client, two_assessments):
    _empty, full = two_assessments
    # "values" has 6 questions, "procedures" 8.
    n_small, _ = count_get(app, client, f"/assessments/{full}/dimensions/values")
    n_large, seen = count_get(app, client, f"/assessments/{full}/dimensions/procedures")
    assert n_small == n_large, f"6 questions: {n_small}; 8 questions: {n_large}\n{show(seen)}"


def test_overview_statements_do_not_grow_with_answers(app, client, two_assessments):
    empty, full = two_assessments
    n_empty, seen_empty = count_get(app, client, f"/assessments/{empty}")
    n_full, seen_full = count_get(app, client, f"/assessments/{full}")
    assert n_empty == n_full, (
        f"0 answers: {n_empty}\n{show(seen_empty)}\nall answered: {n_full}\n{show(seen_full)}"
    )


def test_report_statements_do_not_grow_with_answers(app, client, two_assessments):
    empty, full = two_assessments
    n_empty, seen_empty = count_get(app, client, f"/assessments/{empty}/report")
    n_full, seen_full = count_get(app, client, f"/assessments/{full}/report")
    assert n_empty == n_full, (
        f"0 answers: {n_empty}\n{show(seen_empty)}\nall answered: {n_full}\n{show(seen_full)}"
    )


def test_organisations_list_statements_do_not_grow_with_organisations(app, client, factory, auth):
    from assessment.services.organisations import create_organisation

    factory.user("admin-budget@example.lv", "admin")
    assert auth.login("admin-budget@example.lv").status_code == 302

    def add(start: int, stop: int) -> None:
        with app.app_context():
            for i in range(start, stop):
                org = create_organisation(f"Iestāde {i:03d}")
                if i % 2:  # half of them with an assessment
                    _add_assessment(org.id)
            db.session.commit()

    add(0, 3)
    n_few, seen_few = count_get(app, client, "/organisations/")
    add(3, 60)
    n_many, seen_many = count_get(app, client, "/organisations/")
    assert n_few == n_many, (
        f"3 organisations: {n_few}\n{show(seen_few)}\n60 organisations: {n_many}\n{show(seen_many)}"
    )


def _add_assessment(org_id: int) -> None:
    from assessment.models import Assessment

    db.session.add(
        Assessment(
            organisation_id=org_id,
            bank_id="lv-customer-service-2013",
            bank_version="1.0.0",
            title="Pašnovērtējums",
            language="lv",
            targets={},
            state="in_progress",
        )
    )


def test_questionnaire_save_statements_do_not_grow_with_answers(app, client, two_assessments):
    """A save of a page: one SELECT (user and assessment), then at most one INSERT and one
    UPDATE of the answers, whether the page had answers before or not; and the assessment's
    stored result recomputed in the same transaction: one SELECT of the answers it depends on
    (its own and its respondents', one UNION ALL; on PostgreSQL after locking the assessment's
    row) and one upsert each of the overall and the dimension results."""
    import re

    from tests.conftest import csrf_token

    empty, full = two_assessments
    counts = {}
    for assessment_id in (empty, full):
        url = f"/assessments/{assessment_id}/dimensions/values"
        html = client.get(url).get_data(as_text=True)
        data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        for qid in re.findall(r'name="(q-[^"]+)-answer" value="0"', html):
            data[f"{qid}-answer"] = "4"
        data["csrf_token"] = csrf_token(client, url)
        data["action"] = "save"
        with statements(app) as seen:
            response = client.post(url, data=data)
        assert response.status_code == 302, url
        writes = [s for s in seen if not s.lstrip().upper().startswith("SELECT")]
        reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        locks = [s for s in reads if re.search(r"FOR (NO KEY )?UPDATE", s)]  # PostgreSQL: its row
        assert len(reads) == 2 + len(locks) and len(locks) <= 1, show(seen)
        assert "UNION ALL" in reads[-1] and "respondent_answers" in reads[-1], show(seen)
        to_answers = [s for s in writes if "answers" in s.split("(")[0].split(" SET ")[0]]
        to_assessment = [s for s in writes if s.lstrip().upper().startswith("UPDATE ASSESSMENTS")]
        to_results = [
            s
            for s in writes
            if s.lstrip()
            .upper()
            .startswith(("INSERT INTO ASSESSMENT_RESULTS", "INSERT INTO DIMENSION_RESULTS"))
        ]
        # The page's answers in one statement (all new: INSERT; all stored: UPDATE), the
        # assessment's activity (state, page, minute) in at most one more, the results in two.
        assert len(to_answers) == 1, show(seen)
        assert (
            to_answers[0]
            .lstrip()
            .upper()
            .startswith("INSERT" if assessment_id == empty else "UPDATE")
        ), show(seen)
        to_results = [
            s
            for s in writes
            if s.lstrip()
            .upper()
            .startswith(("INSERT INTO ASSESSMENT_RESULTS", "INSERT INTO DIMENSION_RESULTS"))
        ]
        # Issue 16: the answer history of the changed answers, in exactly one more statement
        # (one executemany INSERT, whatever the number of answers).
        to_history = [
            s for s in writes if s.lstrip().upper().startswith("INSERT INTO ANSWER_HISTORY")
        ]
        # No SAVEPOINT: a row not as the page showed it is told by the statements' counts
        # (ON CONFLICT DO NOTHING, a version-matched UPDATE), not undone by an exception.
        savepoints = [s for s in writes if "SAVEPOINT" in s.upper()]
        assert len(to_results) == 2, show(seen)
        assert len(to_history) == 1, show(seen)
        assert len(to_assessment) <= 1, show(seen)
        assert len(savepoints) == 0, show(seen)
        assert len(writes) == (
            len(to_answers) + len(to_assessment) + len(to_results) + len(to_history)
        ), show(seen)
        counts[assessment_id] = len(seen)
    assert max(counts.values()) <= 7 + 1, counts


# --- pages over many organisations: stored results, SQL aggregates (issue 11, item 3) -----------

SCALE_PAGES = (
    "/",
    "/organisations/{org}",
    "/organisations/",
    "/portfolio",
    "/assessments/{latest}/benchmark",
    "/assessments/{latest}/compare",
    "/assessments/{latest}/report",
    "/assessments/{latest}/dimensions/values",
    "/assessments/{latest}",
)


def test_pages_statements_do_not_grow_with_organisations(app, client, factory, auth):
    """Every page a consultant opens issues as many statements with 36 organisations of theirs
    and 36 peers (each with a completed and a newer assessment, respondents, actions) as with 6
    and 6: figures come from the
    stored results, aggregated by the database (benchmark quartiles included)."""
    from sqlalchemy import select

    from assessment.models import Assessment, Organisation
    from tests.web.test_portfolio import populate

    factory.user("scale@example.lv", "consultant")
    factory.user("peers@example.lv", "consultant")  # the benchmark's peers: not scale@'s
    assert auth.login("scale@example.lv").status_code == 302
    populate(app, "scale@example.lv", 6)
    populate(app, "peers@example.lv", 6, start=6)
    with app.app_context():
        org = db.session.scalar(select(Organisation.id).order_by(Organisation.name).limit(1))
        latest = db.session.scalar(
            select(Assessment.id).where(
                Assessment.organisation_id == org, Assessment.state == "in_progress"
            )
        )
    urls = [u.format(org=org, latest=latest) for u in SCALE_PAGES]
    few = {url: count_get(app, client, url) for url in urls}
    populate(app, "scale@example.lv", 30, start=12)
    populate(app, "peers@example.lv", 30, start=42)
    for url in urls:
        n_many, seen_many = count_get(app, client, url)
        n_few, seen_few = few[url]
        assert n_few == n_many, (
            f"{url}: 6 organisations: {n_few}\n{show(seen_few)}\n"
            f"36 organisations: {n_many}\n{show(seen_many)}"
        )
    page = client.get(urls[4]).get_data(as_text=True)
    import re

    assert re.search(r"\b36\b", page), page[page.find("<main") :][:3000]
