"""services.results: the one place that consolidates (§5) and scores (§4), and stored results."""

from __future__ import annotations

import datetime as dt

from assessment.domain.answers import parse_answers
from assessment.services.results import file_report

from ..conftest import answers_doc, dump

ORG = "Valsts ieņēmumu dienests"


def test_file_report_consolidates_respondents(registry):
    doc = answers_doc(
        answers=[{"question": "alpha.one", "level": 2}],
        respondents=[
            {"name": "Ilze", "answers": [{"question": "alpha.one", "level": 0},
                                         {"question": "alpha.two", "level": 0}]},
            {"name": "Jānis", "answers": [{"question": "alpha.one", "level": 4},
                                          {"question": "alpha.two", "level": 3}]},
        ])
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
