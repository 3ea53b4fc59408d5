"""Several respondents, one answer (docs/scoring.md, section 6)."""

from __future__ import annotations

from assessment.domain.answers import Answer, Evidence, Respondent
from assessment.domain.consolidation import consolidate_answers, lower_median

Q = "alpha.one"


def resp(name, *answers):
    return Respondent(name=name, answers=tuple(answers))


def merged(mini_bank, respondents, consensus=None):
    return consolidate_answers(mini_bank, respondents, consensus or {})


def test_lower_median_takes_element_floor_n_minus_one_over_two():
    assert lower_median([4, 1, 3, 2]) == 2
    assert lower_median([3, 1, 2]) == 2
    assert lower_median([4]) == 4
    assert lower_median([0, 4]) == 0


def test_levels_consolidate_to_the_lower_median(mini_bank):
    out = merged(
        mini_bank,
        [
            resp("a", Answer(Q, level=1)),
            resp("b", Answer(Q, level=4)),
            resp("c", Answer(Q, level=3)),
            resp("d", Answer(Q, level=2)),
        ],
    )
    assert out.answers[Q].level == 2
    assert out.spreads[Q] == 3
    assert [(d.question, d.spread) for d in out.disagreements] == [(Q, 3)]


def test_more_than_half_not_applicable_wins(mini_bank):
    out = merged(
        mini_bank,
        [
            resp("a", Answer(Q, not_applicable=True)),
            resp("b", Answer(Q, not_applicable=True)),
            resp("c", Answer(Q, level=4)),
        ],
    )
    assert out.answers[Q].not_applicable


def test_exactly_half_not_applicable_uses_levels(mini_bank):
    out = merged(
        mini_bank, [resp("a", Answer(Q, not_applicable=True)), resp("b", Answer(Q, level=3))]
    )
    assert out.answers[Q].level == 3


def test_dont_know_ignored_when_levels_exist(mini_bank):
    out = merged(mini_bank, [resp("a", Answer(Q, dont_know=True)), resp("b", Answer(Q, level=1))])
    assert out.answers[Q].level == 1


def test_no_numeric_level_gives_dont_know_if_anyone_said_so(mini_bank):
    out = merged(
        mini_bank, [resp("a", Answer(Q, dont_know=True)), resp("b", Answer(Q, not_applicable=True))]
    )
    assert out.answers[Q].dont_know


def test_nobody_answered_stays_unanswered(mini_bank):
    out = merged(mini_bank, [resp("a", Answer(Q, level=2))])
    assert "alpha.two" not in out.answers


def test_consensus_wins_and_evidence_is_the_union(mini_bank):
    e1, e2 = Evidence("Rīkojums"), Evidence("Pārskats", "https://example.lv/p")
    out = merged(
        mini_bank,
        [
            resp("a", Answer(Q, level=0, evidence=(e1,))),
            resp("b", Answer(Q, level=4, evidence=(e2, e1))),
        ],
        {Q: Answer(Q, level=3, comment="agreed")},
    )
    assert out.answers[Q].level == 3 and out.answers[Q].comment == "agreed"
    assert out.answers[Q].evidence == (e1, e2)
    assert out.disagreements[0].spread == 4  # still shown, for the record


def test_spread_one_is_not_a_disagreement(mini_bank):
    out = merged(mini_bank, [resp("a", Answer(Q, level=2)), resp("b", Answer(Q, level=3))])
    assert out.disagreements == [] and out.spreads[Q] == 1
