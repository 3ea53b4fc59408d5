"""The Report: figures from the scoring engine, the action plan cut, trend, summary texts."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from assessment.domain.answers import Answer, Evidence
from assessment.domain.consolidation import Disagreement
from assessment.domain.scoring import score
from assessment.reporting.build import build_report
from assessment.reporting.labels import NEXT_COUNT, NOW_COUNT

from .conftest import DATE, MARKUP, ORG, levels_for, mini_answers


def test_figures_are_the_scoring_engines(mini_bank, mini_report):
    result = score(mini_bank, mini_answers())
    assert mini_report.maturity == result.maturity
    assert mini_report.evidence_backed == result.evidence_backed
    assert mini_report.index == result.index
    for row, ds in zip(mini_report.dimensions, result.dimensions, strict=True):
        assert (row.id, row.maturity, row.evidence_backed, row.gap, row.target) == (
            ds.id,
            ds.maturity,
            ds.evidence_backed,
            ds.gap,
            ds.target,
        )
        assert row.title == ds.title.lv


def test_counts_of_the_header(mini_report):
    assert mini_report.total_questions == 5
    assert mini_report.answered == 5
    assert (mini_report.not_applicable, mini_report.dont_know, mini_report.unanswered) == (1, 1, 0)


def test_actions_follow_the_engines_order_with_level_descriptors(mini_bank, mini_report_en):
    steps = [r for r in score(mini_bank, mini_answers()).recommendations if r.kind == "next_step"]
    actions = mini_report_en.actions
    assert [a.question_id for a in actions] == [r.question.id for r in steps]
    assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
    first = actions[0]
    assert first.question_id == "beta.one"  # don't know on the weight-2 dimension
    assert first.next_step == "beta.one step 0->1"
    assert first.level_descriptor == "beta.one level 0"
    assert first.evidence_examples == ("beta.one evidence example",)
    assert first.dimension_title == "Beta" and first.clause == "2.3.9"
    assert first.status == "open" and first.status_label == "Open"


def test_action_plan_cut_now_next_later(bundled_bank):
    report = build_report(
        bundled_bank,
        levels_for(bundled_bank, lambda i, q: 0),
        lang="en",
        organisation=ORG,
        title="t",
        date=DATE,
    )
    groups = {g.key: g.actions for g in report.action_groups}
    assert len(groups["now"]) == NOW_COUNT
    assert len(groups["next"]) == NEXT_COUNT
    assert len(groups["later"]) == len(report.actions) - NOW_COUNT - NEXT_COUNT
    assert [a.rank for a in groups["now"]] == [1, 2, 3, 4, 5]
    assert report.summary_actions == list(groups["now"])
    assert "5 highest-priority" in report.groups_rule


def test_action_meta_gives_owner_due_and_status(mini_bank):
    meta = {
        "beta.one": {
            "owner": "Kvalitātes vadītāja",
            "due": dt.date(2027, 3, 1),
            "status": "in_progress",
        },
        "alpha.two": {"owner": None, "due": "2027-05-01", "status": "bogus"},
    }
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="lv",
        organisation=ORG,
        title="",
        date=DATE,
        action_meta=meta,
    )
    by_id = {a.question_id: a for a in report.actions}
    assert by_id["beta.one"].owner == "Kvalitātes vadītāja"
    assert by_id["beta.one"].due == dt.date(2027, 3, 1)
    assert by_id["beta.one"].status_label == "Procesā"
    assert by_id["alpha.two"].owner == ""
    assert by_id["alpha.two"].due == dt.date(2027, 5, 1)
    assert by_id["alpha.two"].status == "open"


def test_unsupported_claims_and_evidence_note(mini_report_en):
    assert [c.question_id for c in mini_report_en.unsupported_claims] == ["alpha.one"]
    claim = mini_report_en.unsupported_claims[0]
    assert claim.level == 3 and claim.evidence_examples == ("alpha.one evidence example",)
    assert mini_report_en.unsupported_count == 1 and mini_report_en.claims_count == 2
    assert mini_report_en.evidence_note.startswith("1 of 2 claims of level 3 or 4 has no evidence")


def test_no_evidence_note_when_every_claim_is_backed(mini_bank):
    answers = dict(mini_answers())
    answers["alpha.one"] = Answer("alpha.one", level=3, evidence=(Evidence("Doc"),))
    report = build_report(mini_bank, answers, lang="en", organisation=ORG, title="", date=DATE)
    assert report.evidence_note == "" and report.unsupported_claims == []


def test_summary_names_strongest_weakest_and_dimensions_below_target(mini_report_en, mini_report):
    text = mini_report_en.summary
    assert "Overall maturity is 1.89 of 4 as answered and 1.78" in text
    assert (
        "The strongest dimension is \u201cBeta\u201d (2.00), the weakest \u201cAlpha\u201d (1.33)"
    ) in text
    assert "2 of 2 dimensions are below their target level." in text
    lv = mini_report.summary
    assert "1,89 no 4" in lv and "Stiprākā dimensija ir „Beta (lv ā)” (2,00)" in lv
    assert "2 no 2 dimensijām nesasniedz mērķa līmeni." in lv
    assert mini_report.strongest.id == "beta" and mini_report.weakest.id == "alpha"


def test_summary_without_any_counted_answer(mini_bank):
    report = build_report(mini_bank, {}, lang="en", organisation=ORG, title="", date=DATE)
    assert report.summary == "No answers are counted yet, so there is no maturity to report."
    assert report.actions == [] and report.unanswered == 5


def test_trend_is_the_change_in_evidence_backed_maturity(mini_bank):
    previous = score(
        mini_bank,
        {"alpha.one": Answer("alpha.one", level=0), "alpha.two": Answer("alpha.two", level=0)},
    )
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation=ORG,
        title="",
        date=DATE,
        previous=previous,
    )
    alpha, beta = report.dimensions
    assert alpha.previous == 0 and alpha.change == alpha.evidence_backed == Fraction(4, 3)
    assert beta.previous is None and beta.change is None
    assert report.has_trend


def test_disagreements_resolved_by_consensus(mini_bank):
    flagged = [Disagreement("alpha.one", 3), Disagreement("beta.two", 2)]
    report = build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation=ORG,
        title="",
        date=DATE,
        disagreements=flagged,
        consensus_ids={"alpha.one"},
        respondents=["Ilze", "Jānis"],
    )
    assert (report.disagreements_resolved, report.disagreements_open) == (1, 1)
    assert report.respondents == ["Ilze", "Jānis"]
    rows = {r.question_id: r for s in report.appendix for r in s.rows}
    assert rows["alpha.one"].spread == 3 and rows["alpha.one"].consensus
    assert rows["alpha.two"].spread is None


def test_appendix_lists_every_question_with_its_answer(mini_bank, mini_report_en):
    rows = [r for s in mini_report_en.appendix for r in s.rows]
    assert [r.question_id for r in rows] == [q.id for q in mini_bank.questions]
    by_id = {r.question_id: r for r in rows}
    assert by_id["alpha.one"].answer_label == "Level 3 – Implemented and measured"
    assert by_id["alpha.one"].descriptor == "alpha.one level 3"
    assert by_id["alpha.one"].comment == MARKUP and by_id["alpha.one"].unsupported
    assert by_id["beta.one"].kind == "dont_know"
    assert by_id["beta.three"].answer_label == "Not applicable"
    assert by_id["alpha.two"].evidence[0].title == "Stratēģija 2025–2027"
