"""Scoring exactly as docs/scoring.md: maturity, evidence-backed maturity, gaps, recommendations.

Arithmetic is exact (fractions); rounding half-up happens only when the result is written out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .answers import DEFAULT_MAX_AGE, Answer, Evidence
from .bank import Bank, Question, Text
from .consolidation import Disagreement
from .i18n import M_, gettext, languages
from .rounding import round_half_up

UNSUPPORTED_CAP = 2  # evidence-backed level of a level >= 3 claim with no evidence
SUPPORT_THRESHOLD = 3


def stale_before(as_of: dt.date | None, months: int = DEFAULT_MAX_AGE) -> dt.date | None:
    """The date evidence must not be older than: `as_of` moved back by `months` calendar
    months, the day clamped to the end of that month (docs/scoring.md); None without `as_of`."""
    if as_of is None:
        return None
    total = as_of.year * 12 + (as_of.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(as_of.day, calendar.monthrange(year, month)[1]))


def is_stale(item: Evidence, cutoff: dt.date | None) -> bool:
    """Dated evidence older than the cutoff; undated items and a missing cutoff: not stale."""
    if cutoff is None or not item.date:
        return False
    try:
        return dt.date.fromisoformat(item.date) < cutoff
    except ValueError:
        return False


def is_unsupported(answer: Answer, cutoff: dt.date | None = None) -> bool:
    """A claim of level 3 or 4 with no evidence item behind it that is not stale."""
    return (
        answer.level is not None
        and answer.level >= SUPPORT_THRESHOLD
        and all(is_stale(e, cutoff) for e in answer.evidence)
    )


def evidence_backed_level(answer: Answer, cutoff: dt.date | None = None) -> int:
    """The level an answer counts for once its evidence is considered (don't know: 0)."""
    if answer.dont_know or answer.level is None:
        return 0
    return UNSUPPORTED_CAP if is_unsupported(answer, cutoff) else answer.level


def counted_level(answer: Answer) -> int:
    """The level an answer counts for as claimed (don't know: 0)."""
    return 0 if answer.dont_know or answer.level is None else answer.level


def maturity_level(value: Fraction | None) -> int | None:
    """⌊m⌋, the scale level a maturity falls in."""
    return None if value is None else min(4, math.floor(value))


@dataclass
class DimensionScore:
    """A dimension's figures."""

    id: str
    title: Text
    weight: Fraction
    maturity: Fraction | None
    evidence_backed: Fraction | None
    target: int
    counted: int = 0
    not_applicable: int = 0
    dont_know: int = 0
    unanswered: int = 0
    unsupported: int = 0
    answered: int = 0
    total: int = 0

    @property
    def level(self) -> int | None:
        """The scale level of the (claimed) maturity."""
        return maturity_level(self.maturity)

    @property
    def gap(self) -> Fraction | None:
        """max(0, target − evidence-backed maturity); None when nothing is counted."""
        if self.evidence_backed is None:
            return None
        return max(Fraction(0), self.target - self.evidence_backed)


@dataclass
class Recommendation:
    """A next step (or evidence to gather) for one question."""

    kind: str  # "next_step" or "evidence"
    question: Question
    dimension_id: str
    level: int
    to_level: int
    priority: Fraction
    text: Text
    evidence_examples: tuple[Text, ...] = ()


@dataclass
class ScoreResult:
    """Everything §4 computes for one set of answers."""

    bank: Bank
    answers: dict[str, Answer]
    dimensions: list[DimensionScore]
    maturity: Fraction | None
    evidence_backed: Fraction | None
    unanswered: list[str]
    recommendations: list[Recommendation]
    disagreements: list[Disagreement] = field(default_factory=list)
    with_disagreements: bool = False  # the answers had respondents: report disagreements
    as_of: dt.date | None = None  # the date the answers speak for (evidence freshness)
    evidence_max_age_months: int = DEFAULT_MAX_AGE
    stale_before: dt.date | None = None  # dated evidence older than this is stale

    def is_stale(self, item: Evidence) -> bool:
        """Whether this evidence item is too old to back a level 3 or 4 claim."""
        return is_stale(item, self.stale_before)

    @property
    def complete(self) -> bool:
        """Every question of the bank has an answer (N/A and don't know count as answers)."""
        return not self.unanswered

    @property
    def index(self) -> Fraction | None:
        """Maturity as a percentage of the top level."""
        return None if self.maturity is None else self.maturity / 4 * 100

    @property
    def level(self) -> int | None:
        """The scale level of the overall maturity."""
        return maturity_level(self.maturity)

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        """The score of one dimension."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    @property
    def unsupported(self) -> list[str]:
        """Questions whose level ≥ 3 claim has no evidence, in bank order."""
        return [
            q.id
            for q in self.bank.questions
            if q.id in self.answers and is_unsupported(self.answers[q.id], self.stale_before)
        ]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON document `assessment score --format json` prints (docs/scoring.md)."""
        scale = self.bank.scale
        level = self.level
        out: dict[str, Any] = {
            "bank": {"id": self.bank.id, "version": self.bank.version},
            "complete": self.complete,
            "unanswered": list(self.unanswered),
            "overall": {
                "maturity": round_half_up(self.maturity),
                "evidence_backed": round_half_up(self.evidence_backed),
                "index": round_half_up(self.index, 1),
                "level": level,
                "label": None if level is None else scale[level].get(lang),
            },
            "dimensions": [
                {
                    "id": d.id,
                    "maturity": round_half_up(d.maturity),
                    "evidence_backed": round_half_up(d.evidence_backed),
                    "level": d.level,
                    "target": d.target,
                    "gap": round_half_up(d.gap),
                    "counted": d.counted,
                    "not_applicable": d.not_applicable,
                    "dont_know": d.dont_know,
                    "unanswered": d.unanswered,
                    "unsupported": d.unsupported,
                }
                for d in self.dimensions
            ],
            "recommendations": [recommendation_dict(r, lang) for r in self.recommendations],
        }
        if self.with_disagreements:
            out["disagreements"] = [
                {"question": d.question, "spread": d.spread} for d in self.disagreements
            ]
        return out


def recommendation_dict(rec: Recommendation, lang: str) -> dict[str, Any]:
    """One recommendation in the §4 JSON shape."""
    out: dict[str, Any] = {
        "kind": rec.kind,
        "question": rec.question.id,
        "dimension": rec.dimension_id,
        "level": rec.level,
        "to_level": rec.to_level,
        "priority": round_half_up(rec.priority),
        "source": rec.question.source,
        "text": rec.text.get(lang),
    }
    if rec.kind == "evidence":
        out["evidence_examples"] = [t.get(lang) for t in rec.evidence_examples]
    return out


#: The text of an evidence recommendation (report domain of the catalogues).
EVIDENCE_TEXT = M_("No evidence backs the claimed level %(level)s: add evidence, for example:")


def evidence_text(level: int) -> Text:
    """EVIDENCE_TEXT for `level` in every language of the catalogues."""
    return Text.of({lang: gettext(lang, EVIDENCE_TEXT, level=level) for lang in languages()})


def _weighted_mean(pairs: list[tuple[Fraction | int, Fraction | int]]) -> Fraction | None:
    """Σ w·v / Σ w, exact (None without pairs or weight). Whole weights and values, the usual
    case (weight 1, a level), are summed as integers: one fraction made, not one per step."""
    if not pairs:
        return None
    if all(w.denominator == 1 and v.denominator == 1 for w, v in pairs):
        total = sum(w.numerator for w, _ in pairs)
        if total == 0:
            return None
        return Fraction(sum(w.numerator * v.numerator for w, v in pairs), total)
    total = sum((w for w, _ in pairs), Fraction(0))
    if total == 0:
        return None
    return sum((w * v for w, v in pairs), Fraction(0)) / total


def score(
    bank: Bank,
    answers: Mapping[str, Answer],
    targets: Mapping[str, int] | None = None,
    disagreements: list[Disagreement] | None = None,
    as_of: dt.date | None = None,
    evidence_max_age_months: int | None = None,
) -> ScoreResult:
    """Score `answers` (question id → answer) against `bank` with optional target overrides;
    with `as_of`, evidence older than `evidence_max_age_months` (36) months backs nothing."""
    targets = targets or {}
    max_age = evidence_max_age_months or DEFAULT_MAX_AGE
    cutoff = stale_before(as_of, max_age)
    dimensions: list[DimensionScore] = []
    next_steps: list[Recommendation] = []
    evidence_items: list[Recommendation] = []
    unanswered: list[str] = []
    for dim in bank.dimensions:
        target = int(targets.get(dim.id, dim.target))
        claimed: list[tuple[Fraction, int]] = []
        backed: list[tuple[Fraction, int]] = []
        ds = DimensionScore(
            id=dim.id,
            title=dim.title,
            weight=dim.weight,
            maturity=None,
            evidence_backed=None,
            target=target,
            total=len(dim.questions),
        )
        for question in dim.questions:
            answer = answers.get(question.id)
            if answer is None:
                ds.unanswered += 1
                unanswered.append(question.id)
                continue
            ds.answered += 1
            if answer.not_applicable:
                ds.not_applicable += 1
                continue
            ds.counted += 1
            ds.dont_know += answer.dont_know
            backed_level = evidence_backed_level(answer, cutoff)
            claimed.append((question.weight, counted_level(answer)))
            backed.append((question.weight, backed_level))
            if backed_level < target:
                next_steps.append(
                    Recommendation(
                        kind="next_step",
                        question=question,
                        dimension_id=dim.id,
                        level=backed_level,
                        to_level=backed_level + 1,
                        priority=(target - backed_level) * question.weight * dim.weight,
                        text=question.recommendations[backed_level],
                    )
                )
            if is_unsupported(answer, cutoff):
                ds.unsupported += 1
                evidence_items.append(
                    Recommendation(
                        kind="evidence",
                        question=question,
                        dimension_id=dim.id,
                        level=answer.level,
                        to_level=answer.level,
                        priority=(answer.level - backed_level) * question.weight * dim.weight,
                        text=evidence_text(answer.level),
                        evidence_examples=question.evidence_examples,
                    )
                )
        ds.maturity = _weighted_mean(claimed)
        ds.evidence_backed = _weighted_mean(backed)
        dimensions.append(ds)

    def order(rec: Recommendation) -> tuple[Fraction, int]:
        return (-rec.priority, rec.question.position)

    overall = _weighted_mean([(d.weight, d.maturity) for d in dimensions if d.maturity is not None])
    overall_backed = _weighted_mean(
        [(d.weight, d.evidence_backed) for d in dimensions if d.evidence_backed is not None]
    )
    result = ScoreResult(
        bank=bank,
        answers=dict(answers),
        dimensions=dimensions,
        maturity=overall,
        evidence_backed=overall_backed,
        unanswered=unanswered,
        recommendations=sorted(next_steps, key=order) + sorted(evidence_items, key=order),
        disagreements=list(disagreements or []),
        with_disagreements=disagreements is not None,
        as_of=as_of,
        evidence_max_age_months=max_age,
        stale_before=cutoff,
    )
    return result
