"""The consultant's portfolio (constant number of SQL statements) and the benchmark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from tests.conftest import DEFAULT_PASSWORD


def populate(app, consultant_email, count, start=0, completed_levels=(2, 3)):
    """`count` organisations assigned to the consultant, each with a completed assessment and a
    newer one in progress (answers, a submitted respondent, actions)."""
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.models import (
        ActionItem,
        AnswerRecord,
        ConsultantAssignment,
        Organisation,
        User,
    )
    from assessment.services.assessments import create_assessment
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
                db.session.add(
                    AnswerRecord(
                        assessment_id=old.id,
                        question_id=qid,
                        level=completed_levels[0],
                        evidence=[],
                    )
                )
            new = create_assessment(org, bank, "2026", "lv", {}, None)
            new.state = "in_progress"
            for qid in qids[:3]:
                db.session.add(
                    AnswerRecord(
                        assessment_id=new.id,
                        question_id=qid,
                        level=completed_levels[1],
                        evidence=[{"title": "x"}],
                    )
                )
            respondent, _token = create_respondent(new, "Anna")
            save_respondent_answers(respondent, [typed(qids[4], "4", "", [], 0)])
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
    many_sorted, _page = count_statements(
        app, client, "/portfolio?sort=activity&dir=desc&page=2&q=iest"
    )
    assert many_sorted == few


def test_portfolio_figures_search_and_access(app, client, auth, factory):
    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 2)
    other = factory.organisation("Nepiešķirta iestāde")
    factory.assessment(other)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    page = client.get("/portfolio?q=000", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Iestāde 000" in page and "Iestāde 001" not in page
    assert "Nepiešķirta" not in client.get("/portfolio").get_data(as_text=True)
    row = page.split("Iestāde 000")[1].split("</tr>")[0]
    # latest: 3 answers at level 3 with evidence + respondent's 4 (no evidence → 2)
    # previous completed: six answers at level 2 → the change is shown
    assert "in progress" in row or "in_progress" in row
    assert "+" in row
    assert ">1<" in row  # one open action (the other is done)
    # Each row's addresses carry its own ids (id_url fills them into a pattern built once).
    from assessment.extensions import db
    from assessment.models import Assessment, Organisation

    with app.app_context():
        org = db.session.query(Organisation).filter_by(name="Iestāde 000").one()
        latest = max(
            db.session.query(Assessment).filter_by(organisation_id=org.id),
            key=lambda a: (a.created_at, a.id),
        )
        org_id, latest_id = org.id, latest.id
    cells = page.split("<tbody>")[1].split("</tr>")[0]
    assert f'href="/organisations/{org_id}"' in cells
    assert f'href="/assessments/{latest_id}"' in cells
    assert f'href="/assessments/{latest_id}/benchmark"' in cells


def test_member_cannot_open_portfolio(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    auth.login("ilze@example.lv")
    assert client.get("/portfolio").status_code == 403


def test_benchmark_hides_itself_under_five_organisations(app, client, auth, factory):
    from assessment.extensions import db
    from assessment.models import Assessment

    factory.user("janis@example.lv", "consultant")
    factory.user("other@example.lv", "consultant")  # peers are someone else's organisations
    populate(app, "janis@example.lv", 1)
    populate(app, "other@example.lv", 4, start=1)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():  # janis's organisation was populated first
        mine = (
            db.session.query(Assessment).filter_by(title="2025").order_by(Assessment.id).first().id
        )
    page = client.get(f"/assessments/{mine}/benchmark", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "at least 5 organisations" in page and "Median" not in page
    populate(app, "other@example.lv", 1, start=10, completed_levels=(4, 4))
    page = client.get(f"/assessments/{mine}/benchmark", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Median" in page
    assert "Iestāde 010" not in page and "Iestāde 001" not in page
    # issue 13, item 7: a chart per dimension — the peers' band, the median, this organisation
    rows = page.count('<tr><th scope="row">')
    assert rows >= 1 and page.count('<svg class="bench"') == rows
    assert page.count('class="bench-band"') == rows and page.count('class="bench-median"') == rows
    assert 'class="bench-own"' in page and "style=" not in page
    import re

    label = re.search(
        r'<svg class="bench"[^>]*aria-label="Peers from ([\d.]+) to ([\d.]+), '
        r'median ([\d.]+); this organisation ([\d.]+)"',
        page,
    )
    assert label, page


def test_compare_two_assessments_of_one_organisation(app, client, auth, factory):
    from assessment.extensions import db
    from assessment.models import Assessment

    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 2)
    other_org = factory.organisation("Cita iestāde")
    foreign = factory.assessment(other_org)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():
        rows = (
            db.session.query(Assessment)
            .filter(Assessment.title.in_(("2025", "2026")))
            .order_by(Assessment.id)
            .all()
        )
        old, new = rows[0].id, rows[1].id
        assert rows[0].organisation_id == rows[1].organisation_id
    page = client.get(
        f"/assessments/{new}/compare?with={old}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "rose by 1" in page  # level 2 → 3 on three questions
    assert "5 changed" not in page and ": 4 rose, 0 fell" in page and "rose by 2" in page
    assert client.get(f"/assessments/{new}/compare?with={foreign}").status_code == 404
    assert client.get(f"/assessments/{new}/compare").status_code == 200


def _benchmark_page(client, assessment_id):
    return client.get(
        f"/assessments/{assessment_id}/benchmark", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)


def test_shadow_organisations_do_not_count_as_peers(app, client, auth, factory):
    """A consultant who sets up four organisations of their own cannot read a fifth one's
    exact maturities off the median."""
    from assessment.extensions import db
    from assessment.models import Assessment, ConsultantAssignment

    factory.user("janis@example.lv", "consultant")
    factory.user("other@example.lv", "consultant")
    populate(app, "other@example.lv", 1)  # the target: not janis's
    populate(app, "janis@example.lv", 5, start=1)  # janis's own and four shadows
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():
        from assessment.models import Organisation, User

        janis = db.session.query(User).filter_by(email="janis@example.lv").one()
        target = db.session.query(Organisation).filter_by(name="Iestāde 000").one()
        mine = (
            db.session.query(Assessment)
            .join(Organisation)
            .filter(Organisation.name == "Iestāde 005", Assessment.title == "2025")
            .one()
        )
        mine_id = mine.id
        # Janis set the shadows up; unassigning himself afterwards does not make them peers.
        for a in db.session.query(Assessment).filter(Assessment.organisation_id != target.id):
            a.created_by_id = janis.id
        db.session.query(ConsultantAssignment).filter(
            ConsultantAssignment.user_id == janis.id,
            ConsultantAssignment.organisation_id != mine.organisation_id,
        ).delete()
        db.session.commit()
    page = _benchmark_page(client, mine_id)
    assert "Median" not in page and "at least 5 organisations" in page


def test_benchmark_counts_only_organisations_the_viewer_cannot_see(app, client, auth, factory):
    from assessment.extensions import db
    from assessment.models import Assessment

    factory.user("janis@example.lv", "consultant")
    factory.user("other@example.lv", "consultant")
    factory.user("admin@example.lv", "admin")
    populate(app, "janis@example.lv", 1)
    populate(app, "other@example.lv", 5, start=1)
    with app.app_context():
        mine = (
            db.session.query(Assessment).filter_by(title="2025").order_by(Assessment.id).first().id
        )
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    page = _benchmark_page(client, mine)
    assert "Median" in page and "of 5 organisations" in page
    auth.logout()
    auth.login("other@example.lv", DEFAULT_PASSWORD)  # sees the five: they are no peers
    with app.app_context():
        theirs = (
            db.session.query(Assessment)
            .filter_by(title="2025")
            .order_by(Assessment.id.desc())
            .first()
            .id
        )
    assert "Median" not in _benchmark_page(client, theirs)
    auth.logout()
    auth.login("admin@example.lv", DEFAULT_PASSWORD)  # sees everything: no peers at all
    assert "Median" not in _benchmark_page(client, mine)


def test_one_rounding_half_up_everywhere(app):
    from fractions import Fraction

    from assessment.domain.scoring import round_half_up
    from assessment.services.assessments import DimensionProgress
    from assessment.web.helpers import fmt_number

    assert round_half_up(2.675) == 2.68 and round_half_up(Fraction(5, 8)) == 0.63
    assert round_half_up(0.125) == 0.13 and round_half_up(2.5, 0) == 3
    assert DimensionProgress(None, 1, 8).percent == 13  # 12.5 %: round() would say 12
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert fmt_number(2.125) == "2.13"  # Babel alone rounds half to even: 2.12
        assert fmt_number(Fraction(21, 8)) == "2.63"
        assert fmt_number(0.625) == "0.63"


def test_portfolio_heat_map_clients_by_dimensions(app, client, auth, factory):
    """Issue 13, item 8 (heat map): one row a client, one column a dimension, the stored
    evidence-backed maturity as a coloured figure in each cell."""
    import re

    factory.user("janis@example.lv", "consultant")
    populate(app, "janis@example.lv", 2)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    page = client.get("/portfolio").get_data(as_text=True)
    heat = page[page.index('<table class="spread-matrix heat-map">') :]
    heat = heat[: heat.index("</table>")]
    assert heat.count("<tr>") == 1 + 2  # the header and two clients
    assert len(re.findall(r'<th scope="col"><abbr title="[^"]+">\d+</abbr>', heat)) == 8
    row = heat.split("Iestāde 000")[1].split("</tr>")[0]
    # the first dimension: three answers at 3 with evidence + the respondent's 4 (→ 2 unbacked)
    first = re.findall(r'<td class="hm hm-(\w+)">([^<]+)</td>', row)
    assert first[0][0] == "2" and first[0][1].startswith("2,")
    assert all(key == "none" and text == "–" for key, text in first[1:])


def test_open_actions_count_recommended_actions_not_done(app, client, auth, factory):
    """Issue 13, item 8: "open actions" are the recommended actions not done, not only those
    with an owner (a client with dozens of recommended actions showed 0)."""
    import re

    from assessment.extensions import db
    from assessment.models import ActionItem, AnswerRecord, Assessment, ConsultantAssignment, User
    from assessment.services.banks import get_bank

    consultant = factory.user("janis@example.lv", "consultant")
    org = factory.organisation("Iestāde ar plānu")
    a = factory.assessment(org)
    with app.app_context():
        user = db.session.query(User).filter_by(email="janis@example.lv").one()
        db.session.add(ConsultantAssignment(user_id=user.id, organisation_id=org))
        bank = get_bank("lv-customer-service-2013", "1.0.0")
        for q in list(bank.questions)[:10]:
            db.session.add(AnswerRecord(assessment_id=a, question_id=q.id, level=1, evidence=[]))
        db.session.commit()
        from assessment.web.reports import build

        with app.test_request_context():
            actions = build(db.session.get(Assessment, a), "lv").actions
        assert len(actions) >= 5
        db.session.add(
            ActionItem(assessment_id=a, question_id=actions[0].question_id, status="done")
        )
        db.session.add(
            ActionItem(
                assessment_id=a,
                question_id=actions[1].question_id,
                owner="Ilze",
                status="in_progress",
            )
        )
        db.session.commit()
    assert consultant
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    page = client.get("/portfolio").get_data(as_text=True)
    row = page.split("Iestāde ar plānu")[1].split("</tr>")[0]
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert str(len(actions) - 1) in cells, (len(actions), row)


def test_benchmark_among_peers_of_the_same_kind_when_there_are_enough(app, client, auth, factory):
    """Issue 13, item 7: peers of the same kind of institution when at least the minimum share
    it (and as many do not), otherwise all peers; the page says which."""
    from assessment.extensions import db
    from assessment.models import Assessment, Organisation

    factory.user("janis@example.lv", "consultant")
    factory.user("other@example.lv", "consultant")
    populate(app, "janis@example.lv", 1)
    populate(app, "other@example.lv", 5, start=1, completed_levels=(4, 4))  # municipalities
    populate(app, "other@example.lv", 4, start=6)  # state agencies

    def set_kinds(kinds):
        with app.app_context():
            for name, kind in kinds.items():
                db.session.query(Organisation).filter_by(name=name).one().kind = kind
            db.session.commit()

    set_kinds(
        {
            "Iestāde 000": "pašvaldība",
            **{f"Iestāde {n:03d}": "pašvaldība" for n in range(1, 6)},
            **{f"Iestāde {n:03d}": " valsts iestāde" for n in range(6, 10)},
        }
    )
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    with app.app_context():
        mine = (
            db.session.query(Assessment).filter_by(title="2025").order_by(Assessment.id).first().id
        )

    def page():
        return client.get(
            f"/assessments/{mine}/benchmark", headers={"Accept-Language": "en"}
        ).get_data(as_text=True)

    # 5 of the same kind but only 4 of others: all 9 peers, and the page says so
    text = page()
    assert "all organisations on this question bank version" in text
    assert "of 9 organisations" in text
    populate(app, "other@example.lv", 1, start=10)
    set_kinds({"Iestāde 010": "valsts iestāde"})
    text = page()  # now 5 and 5: the five municipalities only (all completed at level 4)
    assert "the same type of institution (“pašvaldība”)" in text
    assert "of 5 organisations" in text


# --- issue 13, item 8: sort by maturity, gap, change, last activity; filter by state and kind ---


def _clients(app, factory):
    """Four clients of janis with known figures, and one organisation he does not handle.

    Alfa (ministrija): completed at 1, now in progress at 3 — maturity 3, gap 1, change +2.
    Beta (pašvaldība): one completed at 2 — maturity 2, gap 2, no change.
    Cēsis (ministrija): completed at 3, now a draft at 1 — maturity 1, gap 3, change −2.
    Delta (aģentūra): no assessment.
    Last activity: Beta < Cēsis < Alfa."""
    from sqlalchemy import update

    from assessment.extensions import db
    from assessment.models import AnswerRecord, Assessment, ConsultantAssignment, Organisation, User
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank

    factory.user("janis@example.lv", "consultant")
    with app.app_context():
        bank = get_bank("lv-customer-service-2013", "1.0.0")
        user = db.session.query(User).filter_by(email="janis@example.lv").one()
        qids = [q.id for q in bank.questions][:6]
        targets = {d.id: 4 for d in bank.dimensions}
        touched = {}

        def client(name, kind, levels, assigned=True):
            org = Organisation(name=name, kind=kind)
            db.session.add(org)
            db.session.flush()
            if assigned:
                db.session.add(ConsultantAssignment(user_id=user.id, organisation_id=org.id))
            made = []
            for n, (level, state) in enumerate(levels):
                a = create_assessment(org, bank, f"{name} {n}", "lv", targets, None)
                a.state = state
                a.created_at = dt.datetime(2025 + n, 1, 1, tzinfo=dt.UTC)
                for qid in qids:
                    db.session.add(
                        AnswerRecord(
                            assessment_id=a.id,
                            question_id=qid,
                            level=level,
                            evidence=[{"title": "x"}],
                        )
                    )
                made.append(a)
            return made

        alfa = client("Alfa", "ministrija", [(1, "completed"), (3, "in_progress")])
        beta = client("Beta", " pašvaldība ", [(2, "completed")])
        cesis = client("Cēsis", "ministrija", [(3, "completed"), (1, "draft")])
        client("Delta", "aģentūra", [])
        client("Zeta svešā", "slepena", [(4, "completed")], assigned=False)
        db.session.commit()
        for made, month in ((alfa, 9), (beta, 3), (cesis, 6)):
            for a in made:
                touched[a.id] = dt.datetime(2026, month, 1, tzinfo=dt.UTC)
        for aid, when in touched.items():
            db.session.execute(
                update(Assessment).where(Assessment.id == aid).values(updated_at=when)
            )
        db.session.commit()


def _order(client, query=""):
    import re

    response = client.get(f"/portfolio{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Zeta" not in page and 'value="slepena"' not in page  # never another's data
    if '<table class="portfolio">' not in page:
        return []
    table = page[page.index('<table class="portfolio">') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def test_portfolio_sorts_by_maturity_gap_change_and_activity(app, client, auth, factory):
    _clients(app, factory)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    expected = {  # organisations without the figure come last in both directions, by name
        "maturity": (["Cēsis", "Beta", "Alfa", "Delta"], ["Alfa", "Beta", "Cēsis", "Delta"]),
        "gap": (["Alfa", "Beta", "Cēsis", "Delta"], ["Cēsis", "Beta", "Alfa", "Delta"]),
        "change": (["Cēsis", "Alfa", "Beta", "Delta"], ["Alfa", "Cēsis", "Beta", "Delta"]),
        "activity": (["Beta", "Cēsis", "Alfa", "Delta"], ["Alfa", "Cēsis", "Beta", "Delta"]),
        "name": (["Alfa", "Beta", "Cēsis", "Delta"], ["Delta", "Cēsis", "Beta", "Alfa"]),
    }
    for sort, (ascending, descending) in expected.items():
        assert _order(client, f"?sort={sort}&dir=asc") == ascending, sort
        assert _order(client, f"?sort={sort}&dir=desc") == descending, sort
    # unknown values fall back silently to the default, as the page always did
    assert _order(client, "?sort=bogus&dir=sideways") == ["Alfa", "Beta", "Cēsis", "Delta"]
    page = client.get("/portfolio?sort=gap&dir=desc").get_data(as_text=True)
    assert 'value="gap" selected' in page  # the form keeps the choice
    assert "sort=gap&amp;dir=asc" in page  # the sorted column's header reverses the order


def test_portfolio_filters_by_state_and_kind(app, client, auth, factory):
    _clients(app, factory)
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    assert _order(client, "?state=in_progress") == ["Alfa"]
    assert _order(client, "?state=draft") == ["Cēsis"]
    assert _order(client, "?state=completed") == ["Beta"]
    assert _order(client, "?state=archived") == []
    assert _order(client, "?kind=ministrija") == ["Alfa", "Cēsis"]
    assert _order(client, "?kind=pašvaldība") == ["Beta"]
    assert _order(client, "?kind=ministrija&state=draft&sort=maturity&dir=desc") == ["Cēsis"]
    # a kind of an organisation janis does not handle, or an unknown state: no filter
    assert _order(client, "?kind=slepena") == ["Alfa", "Beta", "Cēsis", "Delta"]
    assert _order(client, "?state=bogus") == ["Alfa", "Beta", "Cēsis", "Delta"]
    page = client.get("/portfolio").get_data(as_text=True)
    kinds = page[page.index('<select id="kind"') :]
    kinds = kinds[: kinds.index("</select>")]
    assert [k for k in ("aģentūra", "ministrija", "pašvaldība") if k in kinds] == [
        "aģentūra",
        "ministrija",
        "pašvaldība",
    ]
    assert '<label for="kind">' in page and '<label for="state">' in page
    lv = client.get("/portfolio", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert "Pēdējā pašnovērtējuma statuss" in lv and "Lielākā dimensijas atšķirība" in lv


def test_portfolio_sorts_and_filters_cost_constant_statements(app, client, auth, factory):
    factory.user("janis@example.lv", "consultant")
    auth.login("janis@example.lv", DEFAULT_PASSWORD)
    populate(app, "janis@example.lv", 3)
    urls = [
        f"/portfolio?sort={s}&dir=desc&state=in_progress&kind=x"
        for s in ("maturity", "gap", "change", "activity")
    ]
    few = [count_statements(app, client, url)[0] for url in urls]
    populate(app, "janis@example.lv", 27, start=3)
    many = [count_statements(app, client, url)[0] for url in urls]
    assert few == many
    assert all(5 <= n <= 16 for n in many), many
