"""Several respondents, one answer per question (docs/scoring.md, section 6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .answers import Answer, Evidence, Respondent
from .bank import Bank

DISAGREEMENT_SPREAD = 2


@dataclass(frozen=True)
class Disagreement:
    """A question whose respondents' numeric levels spread by two or more."""

    question: str
    spread: int


@dataclass(frozen=True)
class Consolidation:
    """Consolidated answers, and per question the spread of respondents' levels."""

    answers: dict[str, Answer]
    spreads: dict[str, int]
    disagreements: list[Disagreement]


def lower_median(levels: Sequence[int]) -> int:
    """Element ⌊(n−1)/2⌋ of the sorted levels: the lower median."""
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


def union_evidence(answers: Iterable[Answer]) -> tuple[Evidence, ...]:
    """Every distinct evidence item of `answers`, in the order first seen."""
    seen: dict[Evidence, None] = {}
    for answer in answers:
        for item in answer.evidence:
            seen.setdefault(item, None)
    return tuple(seen)


def consolidate_question(
    question_id: str, given: Sequence[Answer], consensus: Answer | None
) -> Answer | None:
    """The one answer for a question from respondents' answers and the facilitator's consensus.
    Indicator answers enter with the level their value reaches; a consolidated one is a level
    answer (the consensus keeps its value and period, shown beside the level)."""
    evidence = union_evidence(([consensus] if consensus else []) + list(given))
    if consensus is not None:
        return Answer(
            question=question_id,
            level=consensus.level,
            not_applicable=consensus.not_applicable,
            dont_know=consensus.dont_know,
            comment=consensus.comment,
            evidence=evidence,
            value=consensus.value,
            period=consensus.period,
        )
    if not given:
        return None
    levels = [a.level for a in given if a.level is not None]
    comment = "\n".join(a.comment for a in given if a.comment)
    if sum(a.not_applicable for a in given) * 2 > len(given):
        return Answer(question=question_id, not_applicable=True, comment=comment, evidence=evidence)
    if levels:
        return Answer(
            question=question_id, level=lower_median(levels), comment=comment, evidence=evidence
        )
    if any(a.dont_know for a in given):
        return Answer(question=question_id, dont_know=True, comment=comment, evidence=evidence)
    return Answer(question=question_id, not_applicable=True, comment=comment, evidence=evidence)


def consolidate_answers(
    bank: Bank, respondents: Sequence[Respondent], consensus: Mapping[str, Answer]
) -> Consolidation:
    """Consolidate every question of `bank`; questions nobody answered stay unanswered."""
    by_question: dict[str, list[Answer]] = {}
    for respondent in respondents:
        for answer in respondent.answers:
            by_question.setdefault(answer.question, []).append(answer)
    answers: dict[str, Answer] = {}
    spreads: dict[str, int] = {}
    disagreements: list[Disagreement] = []
    for question in bank.questions:
        given = by_question.get(question.id, [])
        merged = consolidate_question(question.id, given, consensus.get(question.id))
        if merged is not None:
            answers[question.id] = merged
        levels = [a.level for a in given if a.level is not None]
        if levels:
            spread = max(levels) - min(levels)
            spreads[question.id] = spread
            if spread >= DISAGREEMENT_SPREAD:
                disagreements.append(Disagreement(question.id, spread))
    return Consolidation(answers=answers, spreads=spreads, disagreements=disagreements)
