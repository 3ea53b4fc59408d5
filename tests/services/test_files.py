"""services.files: an assessment's answers file round-trips with its respondents and result."""

from __future__ import annotations


def test_export_then_import_keeps_answers_respondents_and_the_stored_result(app, ctx):
    from assessment.domain.answer_form import typed
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Organisation
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank
    from assessment.services.files import export_answers, export_csv, import_answers
    from assessment.services.respondents import create_respondent, save_respondent_answers, submit
    from assessment.services.results import stored_result

    bank = get_bank("lv-customer-service-2013", "1.0.0")
    org = Organisation(name="Valsts ieņēmumu dienests")
    db.session.add(org)
    db.session.flush()
    item = create_assessment(org, bank, "2026", "lv", {"values": 4}, None)
    questions = list(bank.questions)
    db.session.add(
        AnswerRecord(
            assessment_id=item.id,
            question_id=questions[0].id,
            level=3,
            evidence=[{"title": "Rīkojums"}],
        )
    )
    for name, level in (("Anna", "1"), ("Jānis", "4")):
        person, _token = create_respondent(item, name)
        save_respondent_answers(person, [typed(questions[1].id, level, "", [])])
        submit(person)
    db.session.commit()

    answers_file = export_answers(item, bank)
    assert [r.name for r in answers_file.respondents] == ["Anna", "Jānis"]
    assert answers_file.targets["values"] == 4
    copy = import_answers(answers_file, bank, org, None)
    db.session.commit()
    assert stored_result(copy) == stored_result(item).__class__(
        **{**stored_result(item).__dict__, "assessment_id": copy.id}
    )
    assert "'=" not in export_csv(item, bank, "lv")  # nothing to neutralise here
    assert questions[1].id in export_csv(copy, bank, "lv")
