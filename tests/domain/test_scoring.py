"""Scoring exactly as docs/scoring.md (checked to the second decimal by hand)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from assessment.domain.answers import Answer, Evidence
from assessment.domain.scoring import (
    _weighted_mean,
    evidence_backed_level,
    round_half_up,
    score,
)

EV = (Evidence(title="Pārskats"),)


def sample(mini_bank, targets=None):
    answers = {
        "alpha.one": Answer("alpha.one", level=3),  # unsupported: counts as 2
        "alpha.two": Answer("alpha.two", level=1),  # weight 2
        "beta.one": Answer("beta.one", level=4, evidence=EV),
        "beta.two": Answer("beta.two", dont_know=True),
        "beta.three": Answer("beta.three", not_applicable=True),
    }
    return score(mini_bank, answers, targets)


def test_unsupported_level_counts_as_two():
    assert evidence_backed_level(Answer("x", level=3)) == 2
    assert evidence_backed_level(Answer("x", level=4)) == 2
    assert evidence_backed_level(Answer("x", level=4, evidence=EV)) == 4
    assert evidence_backed_level(Answer("x", level=2)) == 2
    assert evidence_backed_level(Answer("x", dont_know=True)) == 0


def test_dimension_means_are_weighted_and_leave_out_not_applicable(mini_bank):
    out = sample(mini_bank).to_dict("en")
    alpha, beta = out["dimensions"]
    assert alpha == {
        "id": "alpha",
        "maturity": 1.67,
        "evidence_backed": 1.33,
        "level": 1,
        "target": 3,
        "gap": 1.67,
        "counted": 2,
        "not_applicable": 0,
        "dont_know": 0,
        "unanswered": 0,
        "unsupported": 1,
    }
    assert beta == {
        "id": "beta",
        "maturity": 2.0,
        "evidence_backed": 2.0,
        "level": 2,
        "target": 4,
        "gap": 2.0,
        "counted": 2,
        "not_applicable": 1,
        "dont_know": 1,
        "unanswered": 0,
        "unsupported": 0,
    }


def test_overall_is_weighted_by_dimension(mini_bank):
    out = sample(mini_bank).to_dict("en")
    # (5/3·1 + 2·2)/3 = 17/9; (4/3 + 4)/3 = 16/9
    assert out["overall"] == {
        "maturity": 1.89,
        "evidence_backed": 1.78,
        "index": 47.2,
        "level": 1,
        "label": "Initial",
    }
    assert out["complete"] is True and out["unanswered"] == []


def test_label_in_latvian(mini_bank):
    assert sample(mini_bank).to_dict("lv")["overall"]["label"] == "Initial (lv ā)"


def test_recommendations_ordered_by_priority_then_bank_order(mini_bank):
    recs = sample(mini_bank).to_dict("en")["recommendations"]
    steps = [
        (r["question"], r["level"], r["to_level"], r["priority"], r["text"])
        for r in recs
        if r["kind"] == "next_step"
    ]
    assert steps == [
        ("beta.two", 0, 1, 8.0, "beta.two step 0->1"),  # (4-0)·1·2
        ("alpha.two", 1, 2, 4.0, "alpha.two step 1->2"),  # (3-1)·2·1
        ("alpha.one", 2, 3, 1.0, "alpha.one step 2->3"),  # (3-2)·1·1, evidence-backed level
    ]
    evidence = [r for r in recs if r["kind"] == "evidence"]
    assert [r["question"] for r in evidence] == ["alpha.one"]
    assert evidence[0]["evidence_examples"] == ["alpha.one evidence example"]
    assert recs[0]["source"] == "2.2.7" and recs[0]["dimension"] == "beta"


def test_bank_order_breaks_priority_ties(mini_bank):
    answers = {q: Answer(q, level=2) for q in ("beta.one", "beta.two", "beta.three")}
    recs = score(mini_bank, answers).recommendations
    assert [r.question.id for r in recs] == ["beta.one", "beta.two", "beta.three"]


def test_targets_override_dimension_defaults(mini_bank):
    out = sample(mini_bank, {"alpha": 1, "beta": 2}).to_dict("en")
    assert [d["gap"] for d in out["dimensions"]] == [0.0, 0.0]
    steps = [r for r in out["recommendations"] if r["kind"] == "next_step"]
    assert [r["question"] for r in steps] == ["beta.two"]  # dont_know 0 < 2: (2-0)·1·2
    assert steps[0]["priority"] == 4.0


def test_unanswered_questions_are_listed_and_left_out(mini_bank):
    result = score(mini_bank, {"alpha.one": Answer("alpha.one", level=2)})
    out = result.to_dict("en")
    assert out["complete"] is False
    assert out["unanswered"] == ["alpha.two", "beta.one", "beta.two", "beta.three"]
    assert out["dimensions"][1]["maturity"] is None and out["dimensions"][1]["gap"] is None
    assert out["dimensions"][1]["unanswered"] == 3
    assert out["overall"]["maturity"] == 2.0  # beta is null and left out of the overall mean


def test_nothing_counted_gives_null_overall(mini_bank):
    out = score(mini_bank, {}).to_dict("en")
    assert out["overall"] == {
        "maturity": None,
        "evidence_backed": None,
        "index": None,
        "level": None,
        "label": None,
    }


def test_round_half_up_not_bankers():
    assert round_half_up(Fraction(17, 8)) == 2.13  # round(2.125, 2) would give 2.12
    assert round_half_up(Fraction(125, 4), 1) == 31.3  # round(31.25, 1) would give 31.2
    assert round_half_up(Fraction(2, 3)) == 0.67
    assert round_half_up(None) is None


def test_no_disagreements_key_without_respondents(mini_bank):
    assert "disagreements" not in sample(mini_bank).to_dict("en")


@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(0, 5), st.fractions(min_value=0, max_value=5, max_denominator=7)),
            st.one_of(st.integers(0, 4), st.fractions(min_value=0, max_value=4, max_denominator=9)),
        ),
        max_size=12,
    )
)
def test_weighted_mean_is_the_plain_fraction_sum_whatever_the_path(pairs):
    """The whole-number path (weight 1, a level) and the fraction path give the same exact
    figure as Σ w·v / Σ w in fractions, None without pairs or weight."""
    fractions = [(Fraction(w), Fraction(v)) for w, v in pairs]
    total = sum((w for w, _ in fractions), Fraction(0))
    expected = None if total == 0 else sum((w * v for w, v in fractions), Fraction(0)) / total
    got = _weighted_mean(pairs)
    assert got == expected
    assert got is None or type(got) is Fraction
