"""The maturity report as data: everything the HTML and PDF show, computed once.

Plain Python with no Flask import. Scores come from the scoring engine (`domain.scoring.score`);
templates and the PDF layout only format what is here, they never recompute a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..domain.answers import Answer, Evidence
from ..domain.bank import Bank, Question
from ..domain.consolidation import DISAGREEMENT_SPREAD, Disagreement
from ..domain.i18n import normal, plural_text
from ..domain.scoring import (
    SUPPORT_THRESHOLD,
    ScoreResult,
    is_unsupported,
    score,
)
from .labels import (
    NEXT_COUNT,
    NOW_COUNT,
    fmt_num,
    fmt_pct,
    fmt_signed,
    fmt_value,
    labels,
)

GROUPS = ("now", "next", "later")
STATUSES = ("open", "in_progress", "done")


@dataclass(frozen=True)
class DimensionRow:
    """One dimension's figures in the report language, with its trend when there is one."""

    id: str
    title: str
    source: str
    maturity: Fraction | None
    evidence_backed: Fraction | None
    target: int
    gap: Fraction | None
    level: int | None
    counted: int
    not_applicable: int
    dont_know: int
    unanswered: int
    unsupported: int
    total: int
    previous: Fraction | None = None  # evidence-backed maturity of the previous assessment
    change: Fraction | None = None  # evidence_backed − previous
    given: int = 0  # answers given in the dimension (the facilitator's and respondents')
    low_confidence: int = 0  # of them, given with low confidence (does not change the score)
    confidence_note: str = ""  # "3 of 7 answers given with low confidence", or ""

    @property
    def below_target(self) -> bool:
        """Scored and short of the target level."""
        return self.gap is not None and self.gap > 0


@dataclass(frozen=True)
class Action:
    """One next step of the action plan, with what a manager needs to act on it."""

    rank: int
    group: str  # "now", "next" or "later"
    question_id: str
    question_text: str
    dimension_id: str
    dimension_title: str
    clause: str
    level: int  # current evidence-backed level
    level_label: str  # the scale's name of that level
    level_descriptor: str  # what that level looks like for this question
    to_level: int
    target: int
    next_step: str
    evidence_examples: tuple[str, ...]
    priority: Fraction
    owner: str = ""
    due: dt.date | None = None
    status: str = "open"
    status_label: str = ""


@dataclass(frozen=True)
class ActionGroup:
    """Now, Next or Later, with the actions that fall in it."""

    key: str
    title: str
    hint: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class UnsupportedClaim:
    """A level 3 or 4 answer without evidence, and what would support it."""

    question_id: str
    question_text: str
    dimension_title: str
    clause: str
    level: int
    level_label: str
    level_descriptor: str
    evidence_examples: tuple[str, ...]


@dataclass(frozen=True)
class AppendixRow:
    """One question of the bank with its consolidated answer, comment and evidence."""

    question_id: str
    question_text: str
    clause: str
    kind: str  # "level", "not_applicable", "dont_know" or "unanswered"
    level: int | None
    answer_label: str  # e.g. "Level 3 – Implemented and measured", "Not applicable"
    descriptor: str  # the level's descriptor for this question, or ""
    comment: str
    evidence: tuple[Evidence, ...]
    unsupported: bool
    spread: int | None = None  # respondents' spread when it flags a disagreement
    consensus: bool = False  # the facilitator set a consensus answer
    measured: str = ""  # an indicator's value, unit and period, e.g. "87.5 % of calls (2026-Q3)"
    stale: tuple[bool, ...] = ()  # per evidence item: too old to back a level 3 or 4 claim

    @property
    def comment_paragraphs(self) -> list[str]:
        """The comment split at line breaks, empty lines dropped."""
        return [line.strip() for line in self.comment.splitlines() if line.strip()]


@dataclass(frozen=True)
class FlaggedQuestion:
    """A question someone marked for review, with their note (the annex "marked for review")."""

    question_id: str
    question_text: str
    clause: str
    dimension_title: str
    who: str
    note: str


@dataclass(frozen=True)
class AppendixSection:
    """The appendix rows of one dimension."""

    dimension_id: str
    title: str
    rows: tuple[AppendixRow, ...]


@dataclass
class Report:
    """Everything the report shows, in the report language."""

    lang: str
    organisation: str
    title: str
    date: dt.date
    bank: Bank
    score: ScoreResult
    prepared_by: str
    respondents: list[str]
    total_questions: int
    answered: int  # questions with any answer (a level, not applicable or don't know)
    not_applicable: int
    dont_know: int
    unanswered: int
    disagreements_resolved: int
    disagreements_open: int
    dimensions: list[DimensionRow]
    previous: ScoreResult | None
    summary: str
    summary_actions: list[Action]
    evidence_note: str
    unsupported_count: int
    claims_count: int  # answers at level 3 or 4
    actions: list[Action]
    action_groups: list[ActionGroup]
    unsupported_claims: list[UnsupportedClaim]
    appendix: list[AppendixSection]
    strongest: DimensionRow | None = None
    weakest: DimensionRow | None = None
    flagged: list[FlaggedQuestion] | None = None  # the annex "marked for review"
    #: KPI register indicators off target or without a figure (reporting.kpi_report.KpiLine).
    kpi: list[Any] = field(default_factory=list)
    completed_on: dt.date | None = None  # set once the assessment is completed: no more a draft

    @property
    def draft(self) -> bool:
        """Not completed yet: every page is marked as a draft and carries no sign-off lines."""
        return self.completed_on is None

    @property
    def top_actions(self) -> list[Action]:
        """The actions of the first page set: what we do first, who owns it, by when."""
        return self.summary_actions

    @property
    def L(self) -> dict[str, str]:  # noqa: N802 - the templates' name for the labels
        """The fixed strings in the report language."""
        return labels(self.lang)

    @property
    def maturity(self) -> Fraction | None:
        """Overall maturity as answered."""
        return self.score.maturity

    @property
    def evidence_backed(self) -> Fraction | None:
        """Overall evidence-backed maturity."""
        return self.score.evidence_backed

    @property
    def index(self) -> Fraction | None:
        """Overall maturity as a percentage of level 4."""
        return self.score.index

    @property
    def level(self) -> int | None:
        """The scale level of the overall maturity."""
        return self.score.level

    @property
    def level_label(self) -> str:
        """The scale's name of the overall level, or '–'."""
        return "–" if self.level is None else self.bank.scale[self.level].get(self.lang)

    @property
    def bank_title(self) -> str:
        """The bank's title in the report language."""
        return self.bank.title.get(self.lang)

    @property
    def guideline(self) -> str:
        """The guideline the bank is derived from, in the report language."""
        return self.bank.source.get(self.lang)

    @property
    def disagreements_total(self) -> int:
        """Questions whose respondents' levels spread by two or more."""
        return self.disagreements_resolved + self.disagreements_open

    @property
    def below_target(self) -> int:
        """How many dimensions fall short of their target."""
        return sum(d.below_target for d in self.dimensions)

    @property
    def has_trend(self) -> bool:
        """A previous assessment is there to compare with."""
        return self.previous is not None

    @property
    def complete(self) -> bool:
        """Every question has an answer."""
        return self.unanswered == 0

    @property
    def groups_rule(self) -> str:
        """How the action plan is cut into Now / Next / Later, in the report language."""
        return self.L["groups_rule"] % dict(now=NOW_COUNT, next=NEXT_COUNT)

    def pct(self, value: Fraction | None) -> str:
        """A percentage in the report language (`58,8 %` / `58.8%`)."""
        return fmt_pct(value, self.lang)

    def signed(self, value: Fraction | None) -> str:
        """A change with its sign in the report language (`+0,25`)."""
        return fmt_signed(value, self.lang)

    def radar_svg(self) -> str:
        """The radar chart as SVG; every text in it is escaped."""
        from .charts import radar_svg

        return radar_svg(self)

    def gaps_svg(self) -> str:
        """The gap bar chart as SVG; every text in it is escaped."""
        from .charts import gap_bars_svg

        return gap_bars_svg(self)


def _scale_label(bank: Bank, level: int | None, lang: str) -> str:
    return "–" if level is None else bank.scale[level].get(lang)


def _group_of(rank: int) -> str:
    """The documented cut: the first NOW_COUNT actions, the next NEXT_COUNT, the rest."""
    if rank <= NOW_COUNT:
        return "now"
    if rank <= NOW_COUNT + NEXT_COUNT:
        return "next"
    return "later"


def _meta_for(
    action_meta: Mapping[str, Mapping[str, Any]] | None, question_id: str
) -> tuple[str, dt.date | None, str]:
    meta = (action_meta or {}).get(question_id) or {}
    owner = str(meta.get("owner") or "").strip()
    due = meta.get("due")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            due = None
    if isinstance(due, dt.datetime):
        due = due.date()
    if not isinstance(due, dt.date):
        due = None
    status = meta.get("status") or "open"
    return owner, due, status if status in STATUSES else "open"


def _actions(
    result: ScoreResult, lang: str, action_meta: Mapping[str, Mapping[str, Any]] | None
) -> list[Action]:
    bank = result.bank
    t = labels(lang)
    out: list[Action] = []
    steps = [r for r in result.recommendations if r.kind == "next_step"]
    for rank, rec in enumerate(steps, 1):
        question = rec.question
        dimension = bank.dimension(rec.dimension_id)
        dim_score = result.dimension(rec.dimension_id)
        owner, due, status = _meta_for(action_meta, question.id)
        out.append(
            Action(
                rank=rank,
                group=_group_of(rank),
                question_id=question.id,
                question_text=question.text.get(lang),
                dimension_id=rec.dimension_id,
                dimension_title=dimension.title.get(lang) if dimension else rec.dimension_id,
                clause=question.source,
                level=rec.level,
                level_label=_scale_label(bank, rec.level, lang),
                level_descriptor=question.levels[rec.level].get(lang),
                to_level=rec.to_level,
                target=dim_score.target if dim_score else rec.to_level,
                next_step=rec.text.get(lang),
                evidence_examples=tuple(e.get(lang) for e in question.evidence_examples),
                priority=rec.priority,
                owner=owner,
                due=due,
                status=status,
                status_label=t[f"status_{status}"],
            )
        )
    return out


def _groups(actions: list[Action], lang: str) -> list[ActionGroup]:
    t = labels(lang)
    return [
        ActionGroup(
            key=key,
            title=t[f"group_{key}"],
            hint=t[f"group_{key}_hint"] % dict(now=NOW_COUNT, next=NEXT_COUNT),
            actions=tuple(a for a in actions if a.group == key),
        )
        for key in GROUPS
    ]


def _dimension_rows(
    result: ScoreResult, previous: ScoreResult | None, lang: str
) -> list[DimensionRow]:
    rows = []
    for ds in result.dimensions:
        dim = result.bank.dimension(ds.id)
        prev = previous.dimension(ds.id) if previous is not None else None
        prev_backed = prev.evidence_backed if prev is not None else None
        change = (
            ds.evidence_backed - prev_backed
            if ds.evidence_backed is not None and prev_backed is not None
            else None
        )
        rows.append(
            DimensionRow(
                id=ds.id,
                title=ds.title.get(lang),
                source=dim.source if dim else "",
                maturity=ds.maturity,
                evidence_backed=ds.evidence_backed,
                target=ds.target,
                gap=ds.gap,
                level=ds.level,
                counted=ds.counted,
                not_applicable=ds.not_applicable,
                dont_know=ds.dont_know,
                unanswered=ds.unanswered,
                unsupported=ds.unsupported,
                total=ds.total,
                previous=prev_backed,
                change=change,
            )
        )
    return rows


def _confidence_and_flags(
    bank: Bank, rows: list[DimensionRow], given: Iterable[tuple[str, Answer]], lang: str
) -> tuple[list[DimensionRow], list[FlaggedQuestion]]:
    """The dimension rows with their confidence counts and note; the flagged questions, in
    bank order."""
    from dataclasses import replace

    counts: dict[str, list[int]] = {}
    flags: dict[str, list[tuple[str, str]]] = {}
    for who, answer in given:
        question = bank.question(answer.question)
        if question is None:
            continue
        if answer.level is not None or answer.not_applicable or answer.dont_know:
            count = counts.setdefault(question.dimension_id, [0, 0])
            count[0] += 1
            count[1] += answer.confidence == "low"
        if answer.flag is not None:
            flags.setdefault(question.id, []).append((who, answer.flag))
    out_rows = []
    for row in rows:
        total, low = counts.get(row.id, (0, 0))
        note = (
            plural_text(
                lang,
                "%(n)s of %(total)s answer given with low confidence",
                "%(n)s of %(total)s answers given with low confidence",
                low,
                total=total,
            )
            if low
            else ""
        )
        out_rows.append(replace(row, given=total, low_confidence=low, confidence_note=note))
    flagged = []
    for question in bank.questions:
        for who, note in flags.get(question.id, []):
            dim = bank.dimension(question.dimension_id)
            flagged.append(
                FlaggedQuestion(
                    question.id,
                    question.text.get(lang),
                    question.source,
                    dim.title.get(lang) if dim else "",
                    who,
                    note,
                )
            )
    return out_rows, flagged


def _unsupported_claims(result: ScoreResult, lang: str) -> list[UnsupportedClaim]:
    bank = result.bank
    out = []
    for qid in result.unsupported:
        question = bank.question(qid)
        answer = result.answers[qid]
        dimension = bank.dimension(question.dimension_id)
        out.append(
            UnsupportedClaim(
                question_id=qid,
                question_text=question.text.get(lang),
                dimension_title=dimension.title.get(lang),
                clause=question.source,
                level=answer.level,
                level_label=_scale_label(bank, answer.level, lang),
                level_descriptor=question.levels[answer.level].get(lang),
                evidence_examples=tuple(e.get(lang) for e in question.evidence_examples),
            )
        )
    return out


def _appendix(
    result: ScoreResult, lang: str, spreads: Mapping[str, int], consensus_ids: Iterable[str]
) -> list[AppendixSection]:
    bank = result.bank
    t = labels(lang)
    consensus = set(consensus_ids)
    sections = []
    for dim in bank.dimensions:
        rows = []
        for question in dim.questions:
            answer = result.answers.get(question.id)
            if answer is None:
                kind, level, label, descriptor = "unanswered", None, t["answer_none"], ""
            elif answer.not_applicable:
                kind, level, label, descriptor = "not_applicable", None, t["answer_na"], ""
            elif answer.dont_know:
                kind, level, label, descriptor = "dont_know", None, t["answer_dk"], ""
            else:
                kind, level = "level", answer.level
                label = (
                    f"{t['level_n'] % dict(n=answer.level)} – "
                    f"{_scale_label(bank, answer.level, lang)}"
                )
                descriptor = question.levels[answer.level].get(lang)
            rows.append(
                AppendixRow(
                    question_id=question.id,
                    question_text=question.text.get(lang),
                    clause=question.source,
                    kind=kind,
                    level=level,
                    answer_label=label,
                    descriptor=descriptor,
                    comment=answer.comment if answer else "",
                    evidence=answer.evidence if answer else (),
                    unsupported=answer is not None and is_unsupported(answer, result.stale_before),
                    spread=spreads.get(question.id),
                    consensus=question.id in consensus and answer is not None,
                    measured=_measured(question, answer, lang),
                    stale=tuple(result.is_stale(e) for e in (answer.evidence if answer else ())),
                )
            )
        sections.append(
            AppendixSection(dimension_id=dim.id, title=dim.title.get(lang), rows=tuple(rows))
        )
    return sections


def _measured(question: Question, answer: Answer | None, lang: str) -> str:
    """An indicator answer's value, unit and period as the report shows it beside the level."""
    if answer is None or answer.value is None or question.type != "indicator":
        return ""
    text = f"{fmt_value(answer.value, lang)} {question.details.unit.get(lang)}"
    return f"{text} ({answer.period})" if answer.period else text


def _summary(
    rows: list[DimensionRow],
    result: ScoreResult,
    actions: list[Action],
    lang: str,
    unanswered: int,
    total: int,
) -> tuple[str, DimensionRow | None, DimensionRow | None]:
    """The executive summary paragraph, and the strongest and weakest dimensions."""
    t = labels(lang)
    if result.maturity is None:
        return t["sum_nothing"], None, None
    level = result.level
    sentences = [
        t["sum_overall"]
        % dict(
            maturity=fmt_num(result.maturity, lang),
            backed=fmt_num(result.evidence_backed, lang),
            level=level,
            label=_scale_label(result.bank, level, lang),
            index=fmt_pct(result.index, lang),
        )
    ]
    scored = [r for r in rows if r.evidence_backed is not None]
    strongest = weakest = None
    if scored:
        strongest = max(scored, key=lambda r: r.evidence_backed)  # first of equals: bank order
        weakest = min(scored, key=lambda r: r.evidence_backed)
        if strongest.evidence_backed == weakest.evidence_backed:
            sentences.append(t["sum_equal"] % dict(value=fmt_num(strongest.evidence_backed, lang)))
            strongest = weakest = None
        else:
            sentences.append(
                t["sum_strong_weak"]
                % dict(
                    strongest=strongest.title,
                    s=fmt_num(strongest.evidence_backed, lang),
                    weakest=weakest.title,
                    w=fmt_num(weakest.evidence_backed, lang),
                )
            )
    below = sum(r.below_target for r in rows)
    if below == 0:
        sentences.append(t["sum_below_none"])
    else:
        sentences.append(
            plural_text(
                lang,
                "%(n)s of %(total)s dimensions is below its target level.",
                "%(n)s of %(total)s dimensions are below their target level.",
                below,
                total=len(rows),
            )
        )
    unscored = [r.title for r in rows if r.evidence_backed is None]
    if unscored:
        sentences.append(t["sum_unscored"] % dict(names=", ".join(unscored)))
    if unanswered:
        sentences.append(
            plural_text(
                lang,
                "%(n)s of %(total)s questions is still unanswered; the figures cover the answers "
                "given.",
                "%(n)s of %(total)s questions are still unanswered; the figures cover the answers "
                "given.",
                unanswered,
                total=total,
            )
        )
    if not actions:
        sentences.append(t["sum_no_actions"])
    elif len(actions) > NOW_COUNT:
        sentences.append(
            plural_text(
                lang,
                "The action plan holds %(n)s action; the five highest-priority ones to start with:",
                "The action plan holds %(n)s actions; the five highest-priority ones to start "
                "with:",
                len(actions),
            )
        )
    else:
        sentences.append(
            plural_text(
                lang,
                "The action plan holds %(n)s action:",
                "The action plan holds %(n)s actions:",
                len(actions),
            )
        )
    return " ".join(sentences), strongest, weakest


def _evidence_note(unsupported: int, claims: int, lang: str) -> str:
    if not unsupported:
        return ""
    return plural_text(
        lang,
        "%(n)s of %(claims)s claims of level 3 or 4 has no evidence attached; it counts as level "
        "2 in the evidence-backed figures (see \u201cUnsupported claims\u201d).",
        "%(n)s of %(claims)s claims of level 3 or 4 have no evidence attached; they count as "
        "level 2 in the evidence-backed figures (see \u201cUnsupported claims\u201d).",
        unsupported,
        claims=claims,
    )


def build_report(
    bank: Bank,
    answers: Mapping[str, Answer],
    *,
    lang: str,
    organisation: str,
    title: str,
    date: dt.date,
    targets: Mapping[str, int] | None = None,
    respondents: Iterable[str] = (),
    disagreements: list[Disagreement] | None = None,
    consensus_ids: Iterable[str] = frozenset(),
    previous: ScoreResult | None = None,
    action_meta: Mapping[str, Mapping[str, Any]] | None = None,
    prepared_by: str = "",
    as_of: dt.date | None = None,
    evidence_max_age_months: int | None = None,
    result: ScoreResult | None = None,
    given: Iterable[tuple[str, Answer]] | None = None,
    completed_on: dt.date | None = None,
) -> Report:
    """Assemble the report of `result`, the scores services.results computed (§5, then §4) of
    `answers` (question id → consolidated answer); without `result` (offline use and tests),
    `answers` are scored here with `targets`, `disagreements` and the evidence freshness.

    `disagreements` are the §5 disagreements of the respondents (None without respondents); one
    is resolved when its question is in `consensus_ids` (the facilitator set a consensus answer).
    `previous` is the score of the organisation's previous assessment, for the trend.
    `action_meta` maps a question id to {"owner", "due", "status"} of its action.
    With `as_of`, evidence older than `evidence_max_age_months` is stale (§4).
    `given` are every answer given, as (who, answer): the facilitator's ("") and each
    respondent's; their confidence is counted per dimension and their review flags listed in
    the annex "marked for review" (neither changes a score). Default: `answers`.
    `completed_on` is the completion date; without it the report is a draft.
    """
    lang = normal(lang)
    if result is None:
        result = score(
            bank,
            answers,
            targets,
            disagreements,
            as_of=as_of,
            evidence_max_age_months=evidence_max_age_months,
        )
    consensus = frozenset(consensus_ids)
    flagged = [d for d in result.disagreements if d.spread >= DISAGREEMENT_SPREAD]
    resolved = sum(d.question in consensus for d in flagged)
    rows, review_flags = _confidence_and_flags(
        bank,
        _dimension_rows(result, previous, lang),
        given if given is not None else [("", a) for a in answers.values()],
        lang,
    )
    actions = _actions(result, lang, action_meta)
    unsupported_claims = _unsupported_claims(result, lang)
    claims = sum(
        1 for a in result.answers.values() if a.level is not None and a.level >= SUPPORT_THRESHOLD
    )
    total = len(bank)
    not_applicable = sum(d.not_applicable for d in result.dimensions)
    dont_know = sum(d.dont_know for d in result.dimensions)
    unanswered = len(result.unanswered)
    summary, strongest, weakest = _summary(rows, result, actions, lang, unanswered, total)
    return Report(
        lang=lang,
        organisation=organisation or "",
        title=title or "",
        date=date,
        bank=bank,
        score=result,
        prepared_by=prepared_by or "",
        respondents=list(respondents),
        total_questions=total,
        answered=total - unanswered,
        not_applicable=not_applicable,
        dont_know=dont_know,
        unanswered=unanswered,
        disagreements_resolved=resolved,
        disagreements_open=len(flagged) - resolved,
        dimensions=rows,
        previous=previous,
        summary=summary,
        summary_actions=actions[:NOW_COUNT],
        evidence_note=_evidence_note(len(unsupported_claims), claims, lang),
        unsupported_count=len(unsupported_claims),
        claims_count=claims,
        actions=actions,
        action_groups=_groups(actions, lang),
        unsupported_claims=unsupported_claims,
        appendix=_appendix(result, lang, {d.question: d.spread for d in flagged}, consensus),
        strongest=strongest,
        weakest=weakest,
        flagged=review_flags,
        completed_on=completed_on,
    )


__all__ = [
    "Action",
    "ActionGroup",
    "AppendixRow",
    "AppendixSection",
    "DimensionRow",
    "Report",
    "UnsupportedClaim",
    "build_report",
]
