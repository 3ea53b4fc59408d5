"""Scoring an answers file: consolidate respondents when there are any, then score."""

from __future__ import annotations

from .answers import AnswersFile
from .bank import Bank
from .consolidation import consolidate_answers
from .scoring import ScoreResult, score


def score_answers_file(answers_file: AnswersFile, bank: Bank) -> ScoreResult:
    """§4 scores of a file; with respondents, of their §5 consolidation (with disagreements)."""
    given = {a.question: a for a in answers_file.answers}
    freshness = {"as_of": answers_file.as_of_date,
                 "evidence_max_age_months": answers_file.max_age}
    if not answers_file.respondents:
        return score(bank, given, answers_file.targets, **freshness)
    merged = consolidate_answers(bank, answers_file.respondents, given)
    return score(bank, merged.answers, answers_file.targets, merged.disagreements, **freshness)
