"""What stands between an assessment and its completion: one list per kind of problem.

`build_review` gathers them in a fixed number of queries; the review page shows each list with
links to the place to fix it. Another kind of problem is one more field of `Review` and one more
entry in `Review.kinds` (and a section in templates/assessments/review.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.bank import Bank, Question
from ..domain.scoring import ScoreResult, is_unsupported, score
from ..models import Assessment, Respondent
from .answer_rows import answers_of
from .assessments import (
    Progress,
    answer_rows,
    answered_ids,
    assessment_progress,
    freshness,
    stale_cutoff,
    stale_titles,
)


@dataclass
class Disagreement:
    """A question whose submitted respondents are 2 or more levels apart, with no agreed answer."""

    question: Question
    spread: int
    levels: list[int]


@dataclass
class StaleEvidence:
    """An answer with evidence dated before the assessment's cutoff."""

    question: Question
    titles: list[str]


@dataclass
class Review:
    """The problems before completing, one list per kind, each in bank (or invitation) order."""

    progress: Progress
    result: ScoreResult
    disagreements: list[Disagreement] = field(default_factory=list)
    not_submitted: list[Respondent] = field(default_factory=list)
    unsupported: list[Question] = field(default_factory=list)
    stale: list[StaleEvidence] = field(default_factory=list)
    unanswered: list[Question] = field(default_factory=list)

    #: The kinds in the order the page shows them (field names above).
    kinds = ("disagreements", "not_submitted", "unsupported", "stale", "unanswered")

    def count(self) -> int:
        """Problems of every kind together."""
        return sum(len(getattr(self, kind)) for kind in self.kinds)

    def counts(self) -> dict[str, int]:
        """Problems per kind."""
        return {kind: len(getattr(self, kind)) for kind in self.kinds}


def build_review(assessment: Assessment, bank: Bank) -> Review:
    """Open disagreements, respondents who have not submitted, unsupported claims, outdated
    evidence and unanswered questions (after §5 consolidation), in three queries."""
    from .respondents import list_respondents, submitted_answers
    from .results import consolidate

    rows = answer_rows(assessment)
    consensus = answers_of(rows, bank)
    respondents = submitted_answers([assessment.id]).get(assessment.id, [])
    answers, merged = consolidate(bank, consensus, respondents)
    result = score(
        bank,
        answers,
        assessment.targets or {},
        merged.disagreements if merged else None,
        **freshness(assessment),
    )
    review = Review(
        progress=assessment_progress(bank, answered_ids(rows, bank), respondents), result=result
    )
    cutoff = stale_cutoff(assessment)
    for q in bank.questions:
        levels = sorted(
            r.answers[q.id].level
            for r in respondents
            if q.id in r.answers and r.answers[q.id].level is not None
        )
        if levels and levels[-1] - levels[0] >= 2 and q.id not in consensus:
            review.disagreements.append(Disagreement(q, levels[-1] - levels[0], levels))
        answer = answers.get(q.id)
        if answer is None:
            review.unanswered.append(q)
            continue
        if is_unsupported(answer, cutoff):
            review.unsupported.append(q)
        titles = stale_titles([e.to_dict() for e in answer.evidence], cutoff)
        if titles:
            review.stale.append(StaleEvidence(q, titles))
    review.not_submitted = [
        r for r in list_respondents(assessment) if r.submitted_at is None and not r.revoked
    ]
    return review


def open_disagreements(assessment: Assessment, bank: Bank) -> int:
    """How many questions have an open disagreement (for the completion check)."""
    return len(build_review(assessment, bank).disagreements)


def progress_of(assessment: Assessment, bank: Bank) -> Progress:
    """The one figure of progress of a stored assessment (two queries)."""
    from .respondents import submitted_answers

    agreed = answered_ids(answer_rows(assessment), bank)
    return assessment_progress(
        bank, agreed, submitted_answers([assessment.id]).get(assessment.id, [])
    )
