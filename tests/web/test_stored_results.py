"""Pages that list assessments show their stored results (issue 11, item 3)."""

from __future__ import annotations


def _answered(app, assessment_id: int, level: int) -> None:
    """Every question of the first dimension answered at `level`, with evidence."""
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Assessment
    from assessment.services.banks import get_bank

    with app.app_context():
        item = db.session.get(Assessment, assessment_id)
        bank = get_bank(item.bank_id, item.bank_version)
        for q in bank.dimensions[0].questions:
            db.session.add(
                AnswerRecord(
                    assessment_id=item.id,
                    question_id=q.id,
                    level=level,
                    evidence=[{"title": "Rīkojums"}],
                )
            )
        db.session.commit()


def test_dashboard_and_organisation_show_the_stored_evidence_backed_maturity(
    app, client, factory, auth
):
    org = factory.organisation()
    factory.user("anna@example.lv", "member", org)
    first = factory.assessment(org, title="Pirmais")
    second = factory.assessment(org, title="Otrais")
    _answered(app, first, 3)
    assert auth.login("anna@example.lv").status_code == 302
    for url in ("/", f"/organisations/{org}"):
        page = client.get(url).get_data(as_text=True)
        row = page[page.index("Pirmais") :]
        assert "3,00" in row[: row.index("</tr>")], url  # Latvian decimal comma
        row = page[page.index("Otrais") :]
        assert "–" in row[: row.index("</tr>")], url  # nothing answered: no figure
    _answered(app, second, 1)
    page = client.get("/").get_data(as_text=True)
    row = page[page.index("Otrais") :]
    assert "1,00" in row[: row.index("</tr>")]


def test_stored_results_of_other_organisations_are_not_shown(app, client, factory, auth):
    mine, other = factory.organisation("Mana iestāde"), factory.organisation("Cita iestāde")
    factory.user("anna@example.lv", "member", mine)
    theirs = factory.assessment(other, title="Svešais")
    _answered(app, theirs, 4)
    assert auth.login("anna@example.lv").status_code == 302
    assert "Svešais" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/organisations/{other}").status_code == 404
