"""Property-based tests: scoring (§4) and consolidation (§5) against a plain re-statement.

The oracle below is written from PRODUCT.md §4–§5 alone, as a reader would compute by hand,
without the engine's helpers; hypothesis draws banks' answers, targets and respondents. The
example-based tests beside this file pin single rules; these check every rule together.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.domain.answers import Answer, Evidence, Respondent
from assessment.domain.consolidation import consolidate_answers
from assessment.domain.scoring import score

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DOC = Evidence("Dokuments", "https://example.lv/d", "2026-01-15")
QUESTIONS = ("alpha.one", "alpha.two", "beta.one", "beta.two", "beta.three")  # the mini bank


def answer_for(qid: str):
    """One §3 answer to `qid`: a level with or without evidence, not applicable, don't know."""
    return st.one_of(
        st.builds(
            lambda level, ev: Answer(qid, level=level, evidence=(DOC,) if ev else ()),
            st.integers(0, 4),
            st.booleans(),
        ),
        st.just(Answer(qid, not_applicable=True)),
        st.just(Answer(qid, dont_know=True)),
    )


@st.composite
def answer_sets(draw, questions=QUESTIONS):
    """Question id → answer, some questions left unanswered."""
    out = {}
    for qid in questions:
        if draw(st.booleans()) or draw(st.booleans()):
            out[qid] = draw(answer_for(qid))
    return out


targets_strategy = st.fixed_dictionaries(
    {}, optional={"alpha": st.integers(1, 4), "beta": st.integers(1, 4)}
)


# --- §4 re-stated -------------------------------------------------------------------------------


def oracle_score(bank, answers, targets):
    """§4 by hand: per dimension the weighted means of counted answers, then overall."""
    dims = []
    for d in bank.dimensions:
        target = targets.get(d.id, d.target)
        weights = claimed = backed = Fraction(0)
        counts = {
            "counted": 0,
            "not_applicable": 0,
            "dont_know": 0,
            "unanswered": 0,
            "unsupported": 0,
        }
        steps = []
        for q in d.questions:
            a = answers.get(q.id)
            if a is None:
                counts["unanswered"] += 1
                continue
            if a.not_applicable:
                counts["not_applicable"] += 1
                continue
            counts["counted"] += 1
            level = 0 if a.dont_know else a.level
            counts["dont_know"] += 1 if a.dont_know else 0
            unsupported = level >= 3 and len(a.evidence) == 0
            counts["unsupported"] += 1 if unsupported else 0
            level_backed = 2 if unsupported else level
            weights += q.weight
            claimed += q.weight * level
            backed += q.weight * level_backed
            if level_backed < target:
                steps.append(((target - level_backed) * q.weight * d.weight, q.position, q.id))
        m = claimed / weights if weights else None
        e = backed / weights if weights else None
        dims.append(
            {
                "id": d.id,
                "weight": d.weight,
                "m": m,
                "e": e,
                "target": target,
                "gap": None if e is None else max(Fraction(0), target - e),
                "level": None if m is None else math.floor(m),
                "steps": steps,
                **counts,
            }
        )
    scored = [x for x in dims if x["m"] is not None]
    total = sum((x["weight"] for x in scored), Fraction(0))
    overall = sum((x["weight"] * x["m"] for x in scored), Fraction(0)) / total if total else None
    overall_e = sum((x["weight"] * x["e"] for x in scored), Fraction(0)) / total if total else None
    steps = sorted((s for x in dims for s in x["steps"]), key=lambda s: (-s[0], s[1]))
    return dims, overall, overall_e, steps


@SETTINGS
@given(answers=answer_sets(), targets=targets_strategy)
def test_scoring_equals_the_restatement_of_section_4(mini_bank, answers, targets):
    result = score(mini_bank, answers, targets)
    dims, overall, overall_e, steps = oracle_score(mini_bank, answers, targets)
    assert result.maturity == overall and result.evidence_backed == overall_e
    assert result.level == (None if overall is None else math.floor(overall))
    for got, want in zip(result.dimensions, dims, strict=True):
        assert (got.maturity, got.evidence_backed, got.gap, got.level, got.target) == (
            want["m"],
            want["e"],
            want["gap"],
            want["level"],
            want["target"],
        )
        assert (
            got.counted,
            got.not_applicable,
            got.dont_know,
            got.unanswered,
            got.unsupported,
        ) == (
            want["counted"],
            want["not_applicable"],
            want["dont_know"],
            want["unanswered"],
            want["unsupported"],
        )
    next_steps = [
        (r.priority, r.question.position, r.question.id)
        for r in result.recommendations
        if r.kind == "next_step"
    ]
    assert next_steps == steps
    assert sorted(result.unanswered) == sorted(q for q in QUESTIONS if q not in answers)


@SETTINGS
@given(answers=answer_sets())
def test_maturities_stay_on_the_scale_and_evidence_never_raises_them(mini_bank, answers):
    result = score(mini_bank, answers)
    for d in result.dimensions:
        if d.maturity is None:
            assert d.evidence_backed is None and d.gap is None
            continue
        assert 0 <= d.evidence_backed <= d.maturity <= 4
        assert 0 <= d.gap <= d.target


# --- §5 re-stated -------------------------------------------------------------------------------


def oracle_consolidate(question, given, consensus):
    """§5 by hand for one question: (kind, level) or None for unanswered."""
    if consensus is not None:
        return (
            ("level", consensus.level)
            if consensus.level is not None
            else (("na", None) if consensus.not_applicable else ("dk", None))
        )
    if not given:
        return None
    said_na = [a for a in given if a.not_applicable]
    if len(said_na) > len(given) / 2:
        return ("na", None)
    levels = sorted(a.level for a in given if a.level is not None)
    if levels:
        return ("level", levels[(len(levels) - 1) // 2])
    if any(a.dont_know for a in given):
        return ("dk", None)
    return ("na", None)


@st.composite
def panels(draw):
    """Respondents (each answering some questions) and the facilitator's consensus."""
    people = []
    for n in range(draw(st.integers(1, 6))):
        answers = draw(answer_sets())
        people.append(Respondent(f"R{n}", tuple(answers[q] for q in QUESTIONS if q in answers)))
    consensus = draw(
        st.dictionaries(
            st.sampled_from(QUESTIONS), st.sampled_from(["level", "na", "dk"]), max_size=2
        )
    )
    made = {}
    for qid, kind in consensus.items():
        made[qid] = (
            Answer(qid, level=draw(st.integers(0, 4)))
            if kind == "level"
            else Answer(qid, not_applicable=kind == "na", dont_know=kind == "dk")
        )
    return people, made


def kind_of(answer):
    if answer is None:
        return None
    if answer.level is not None:
        return ("level", answer.level)
    return ("na", None) if answer.not_applicable else ("dk", None)


@SETTINGS
@given(panel=panels())
def test_consolidation_equals_the_restatement_of_section_5(mini_bank, panel):
    people, consensus = panel
    out = consolidate_answers(mini_bank, people, consensus)
    for qid in QUESTIONS:
        given_ = [a for r in people for a in r.answers if a.question == qid]
        assert kind_of(out.answers.get(qid)) == oracle_consolidate(
            qid, given_, consensus.get(qid)
        ), qid
        levels = [a.level for a in given_ if a.level is not None]
        spread = max(levels) - min(levels) if levels else None
        assert out.spreads.get(qid) == spread
        assert (qid in {d.question for d in out.disagreements}) == (
            spread is not None and spread >= 2
        )
        if qid in out.answers:  # evidence: the union of everyone's (and the consensus')
            pool = [
                e
                for a in given_ + ([consensus[qid]] if qid in consensus else [])
                for e in a.evidence
            ]
            assert set(out.answers[qid].evidence) == set(pool)


@SETTINGS
@given(panel=panels())
def test_scores_use_consolidated_answers(mini_bank, panel):
    """§5 then §4: scoring the consolidation equals the re-statement on the oracle's answers."""
    people, consensus = panel
    merged = consolidate_answers(mini_bank, people, consensus).answers
    dims, overall, overall_e, _steps = oracle_score(mini_bank, merged, {})
    result = score(mini_bank, merged)
    assert (result.maturity, result.evidence_backed) == (overall, overall_e)


@pytest.mark.parametrize("levels, expected", [([1, 4, 3, 2], 2), ([3], 3), ([0, 4], 0)])
def test_lower_median_examples_agree_with_the_oracle(mini_bank, levels, expected):
    given_ = [Answer("alpha.one", level=x) for x in levels]
    assert oracle_consolidate("alpha.one", given_, None) == ("level", expected)
