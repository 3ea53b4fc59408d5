"""Every fixed string of the maturity report (keys → English msgids of the `report` gettext
domain, docs/i18n.md), and the number/date formats.

The report language is the report's own (`Report.lang`), independent of the UI locale:
`LABELS[lang]` / `labels(lang)` look the texts up in that language's catalogue through
`domain.i18n`, not through Flask-Babel. Terms follow docs/glossary.md.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ..domain.i18n import (
    C_,
    M_,
    LabelTable,
    decimal_symbol,
    format_date,
    format_number,
    gettext,
)

#: How many of the ranked actions go to "Now" and "Next" (the rest are "Later").
NOW_COUNT = 5
NEXT_COUNT = 10

LABELS = LabelTable(
    {
        "report_kind": M_("Customer service standard readiness report"),
        "report_title": M_("Readiness report"),
        "subject": M_("Customer service standard readiness self-assessment"),
        "date": M_("Date"),
        "bank": M_("Question bank"),
        "version": M_("version"),
        "guideline": M_("Guideline"),
        "prepared_by": M_("Prepared by"),
        "approved_by": M_("Approved by"),
        "respondents": M_("Respondents"),
        "completeness": M_("Completeness"),
        "answered": M_("Answered"),
        "of_questions": M_("of %(total)s questions"),
        "not_applicable": M_("Not applicable"),
        "dont_know": M_("Don't know"),
        "unanswered": M_("Unanswered"),
        "disagreements": M_("Disagreements"),
        "disagreements_text": M_(
            "On %(total)s questions the respondents' levels differ by 2 or more: "
            "%(resolved)s resolved by consensus, %(open)s still to discuss."
        ),
        "summary_heading": M_("Executive summary"),
        "overall_maturity": M_("Overall maturity"),
        "as_claimed": M_("as answered"),
        "evidence_backed": M_("Evidence-backed maturity"),
        "evidence_backed_hint": M_("levels ≥ 3 without evidence count as 2"),
        "index": M_("Maturity index"),
        "index_hint": M_("overall maturity as a percentage of level 4"),
        "level": M_("Maturity level"),
        "evidence_note_heading": M_("Evidence"),
        "radar_heading": M_("Maturity by dimension"),
        "radar_title": M_("Maturity chart: %(organisation)s"),
        "radar_desc": M_(
            "Radar chart with %(n)s axes, one per dimension, scale 0–4. Evidence-backed "
            "maturity: %(backed)s. Target level: %(target)s."
        ),
        "radar_desc_previous": M_(" Previous assessment: %(previous)s."),
        "radar_table_caption": M_("Chart data"),
        "legend_backed": M_("Evidence-backed maturity"),
        "legend_target": M_("Target level"),
        "legend_previous": M_("Previous assessment"),
        "gaps_heading": M_("Gap to target"),
        "gaps_title": M_("Gap to target by dimension"),
        "gaps_desc": M_(
            "Bar chart: gap to the target level (target minus evidence-backed maturity), "
            "scale 0–4. %(values)s."
        ),
        "gaps_none": M_("Every dimension meets its target."),
        "dimensions_heading": M_("Dimensions"),
        "dimensions_caption": M_("Maturity, target and gap by dimension"),
        "col_dimension": M_("Dimension"),
        "col_maturity": M_("Maturity"),
        "col_backed": M_("Backed by evidence"),
        "col_target": M_("Target"),
        "col_gap": M_("Gap"),
        "col_counted": M_("Counted"),
        "col_na": M_("N/A"),
        "col_dk": M_("Don't know"),
        "col_unsupported": M_("Unsupported"),
        "overall": M_("Overall"),
        "dimensions_note": M_(
            "Maturity is the weighted mean level of the questions (0–4); “evidence-backed” "
            "is the same with levels ≥ 3 that have no evidence counted as 2. Gap = target − "
            "evidence-backed maturity. “Don't know” counts as 0; “not applicable” and "
            "unanswered questions are left out."
        ),
        "action_plan_heading": M_("Action plan"),
        "action_plan_intro": M_(
            "Each action is the next step that takes a practice to the level above. "
            "Priority = (target level − current level) × question weight × dimension "
            "weight; actions are ranked by priority, equal priorities in question order."
        ),
        "groups_rule": M_(
            "Groups: “Now” — the %(now)s highest-priority actions (named in the executive "
            "summary); “Next” — the following %(next)s; “Later” — the rest."
        ),
        "group_now": M_("Now"),
        "group_next": M_("Next"),
        "group_later": M_("Later"),
        "group_now_hint": M_("the %(now)s highest-priority actions — start these first"),
        "group_next_hint": M_("the following %(next)s actions"),
        "group_later_hint": M_("the remaining actions"),
        "col_no": M_("No."),
        "col_action": M_("Action"),
        "col_owner": M_("Owner"),
        "col_due": M_("Due date"),
        "col_status": M_("Status"),
        "current_level": M_("Current"),
        "target_level": M_("target"),
        "next_step": M_("Next step"),
        "evidence_examples": M_("Evidence that would prove it"),
        "clause": M_("Guideline clause"),
        "priority": M_("Priority"),
        "status_open": M_("Open"),
        "status_in_progress": M_("In progress"),
        "status_done": M_("Done"),
        "no_actions": M_("No action needed: every answer meets its dimension's target level."),
        "unsupported_heading": M_("Unsupported claims"),
        "unsupported_intro": M_(
            "These answers claim level 3 or 4 but have no evidence attached, so they count "
            "as level 2 in the evidence-backed maturity. Attach evidence such as:"
        ),
        "claimed_level": M_("Claimed level"),
        "col_question": M_("Question"),
        "trend_heading": M_("Trend since the previous assessment"),
        "trend_intro": M_("Change in evidence-backed maturity per dimension."),
        "trend_caption": M_("Change in evidence-backed maturity"),
        "col_previous": M_("Previous"),
        "col_current": C_("column", "Current"),
        "col_change": M_("Change"),
        "confidence_heading": M_("Confidence in the answers"),
        "confidence_none": M_("No answer was given with low confidence."),
        "confidence_note": M_(
            "Confidence does not change the score: it shows where answers still need checking."
        ),
        "flagged_heading": M_("Marked for review"),
        "flagged_intro": M_("Questions someone marked for review, with their note."),
        "flagged_none": M_("No question is marked for review."),
        "flagged_by": M_("Marked by"),
        "flagged_facilitator": M_("facilitator"),
        "appendix_heading": M_("All answers"),
        "appendix_intro": M_(
            "Every question of the bank with its consolidated answer, comment and evidence."
        ),
        "answer": M_("Answer"),
        "comment": M_("Comment"),
        "evidence": M_("Evidence"),
        "no_evidence": M_("none attached"),
        "measured": M_("Measured value"),
        "stale_flag": M_("outdated (older than %(months)s months) — backs no level 3 or 4"),
        "unsupported_flag": M_("no evidence — counts as level 2"),
        "spread": M_("respondents' spread: %(spread)s"),
        "consensus": M_("consensus"),
        "answer_na": M_("Not applicable"),
        "answer_dk": M_("Don't know (counts as 0)"),
        "answer_none": C_("answer", "Unanswered"),
        "level_n": M_("Level %(n)s"),
        "signoff_heading": M_("Sign-off"),
        "signoff_intro": M_(
            "The report and the action plan were reviewed and approved by the institution's "
            "leadership."
        ),
        "name_position": M_("Name, position"),
        "signature": M_("Signature"),
        "sum_overall": M_(
            "Overall maturity is %(maturity)s of 4 as answered and %(backed)s when only "
            "evidence-backed answers count: level %(level)s, “%(label)s” (index %(index)s)."
        ),
        "sum_strong_weak": M_(
            "The strongest dimension is “%(strongest)s” (%(s)s), the weakest “%(weakest)s” (%(w)s)."
        ),
        "sum_equal": M_(
            "Every scored dimension stands at the same evidence-backed maturity, %(value)s."
        ),
        "sum_below_none": M_("Every scored dimension reaches its target level."),
        "sum_unscored": M_("Dimensions with no counted answers are not scored: %(names)s."),
        "sum_no_actions": M_("No further action is needed to reach the target levels."),
        "sum_nothing": M_("No answers are counted yet, so there is no maturity to report."),
        "draft_mark": M_("DRAFT"),
        "draft_note": M_(
            "Draft: the self-assessment is not completed yet. The sign-off lines appear "
            "once it is completed."
        ),
        "completed_on": M_("Completed"),
        "status_draft_line": M_("Draft, as of"),
        "where_heading": M_("Where we are"),
        "sure_heading": M_("How sure we are"),
        "sure_text": M_(
            "As claimed, maturity is %(claimed)s of 4; backed by evidence it is %(backed)s. "
            "%(unsupported)s of %(claims)s claims of level 3 or 4 have no evidence."
        ),
        "col_claimed": M_("As claimed"),
        "first_heading": M_("What we do first"),
        "owners_heading": M_("Who owns it and by when"),
        "owner_missing": M_("not assigned"),
        "due_missing": M_("not set"),
        "annexes_heading": M_("Annexes"),
        "annex_n": M_("Annex %(n)s"),
        "page_of": M_("Page %(page)s of %(pages)s"),
        "none": M_("–"),
    }
)


def labels(lang: str) -> dict[str, str]:
    """The report strings in `lang` (English for a language without a catalogue)."""
    return LABELS[lang]


def fmt_num(value: Fraction | float | int | None, lang: str, places: int = 2) -> str:
    """A figure rounded half-up: `2,35` in Latvian, `2.35` in English, `–` when there is none."""
    if value is None:
        return "–"
    return format_number(value, lang, places)


def fmt_value(value: float | int | None, lang: str) -> str:
    """An indicator's figure as given (no rounding): `87,5` in Latvian, `87.5` in English."""
    from ..domain.qtypes.indicator import format_value

    text = format_value(value).replace("-", "−")
    return text.replace(".", decimal_symbol(lang))


def fmt_signed(value: Fraction | float | int | None, lang: str, places: int = 2) -> str:
    """A change with its sign: `+0,25`, `−0,50`, `0,00`."""
    text = fmt_num(value, lang, places)
    if value is None or text.startswith("−") or float(value) == 0:
        return text
    return "+" + text


def fmt_pct(value: Fraction | float | int | None, lang: str, places: int = 1) -> str:
    """A percentage: `58,8 %` in Latvian, `58.8%` in English."""
    if value is None:
        return "–"
    # Translators: a percentage; Latvian puts a no-break space before the sign.
    return gettext(lang, M_("%(number)s%%"), number=fmt_num(value, lang, places))


def fmt_date(d: dt.date | None, lang: str) -> str:
    """`26.11.2026.` in Latvian, `26 November 2026` in English, empty without a date."""
    return "" if d is None else format_date(d, lang)
