"""The terminal form of a score: a table of dimensions, then the top recommendations."""

from __future__ import annotations

import textwrap

from .i18n import C_, M_, LabelTable
from .scoring import ScoreResult, round_half_up

LABELS = LabelTable(
    {
        "dimension": M_("Dimension"),
        "maturity": M_("Maturity"),
        "backed": C_("terminal", "Evidence"),
        "target": M_("Target"),
        "gap": C_("terminal", "Gap"),
        "overall": M_("Overall"),
        "index": M_("index"),
        "complete": M_("complete"),
        "incomplete": M_("incomplete: %(n)s unanswered"),
        "top": M_("Top recommendations"),
        "none": M_("No recommendations: every dimension meets its target."),
        "priority": M_("priority"),
        "clause": M_("clause"),
        "disagreements": M_("Disagreements (spread ≥ 2)"),
        "level": M_("level"),
        "more": M_("… and %(n)s more (use --format json for all)"),
    }
)


def _num(value) -> str:
    rounded = round_half_up(value)
    return "–" if rounded is None else f"{rounded:.2f}"


def format_text(result: ScoreResult, lang: str = "en", top: int = 10, width: int = 100) -> str:
    """A plain-text summary a person reads in a terminal."""
    t = LABELS[lang]
    bank = result.bank
    lines = [f"{bank.title.get(lang)} ({bank.id} {bank.version})"]
    status = t["complete"] if result.complete else t["incomplete"] % dict(n=len(result.unanswered))
    level = result.level
    label = "–" if level is None else f"{level} {bank.scale[level].get(lang)}"
    index = round_half_up(result.index, 1)
    lines.append(
        f"{t['overall']}: {_num(result.maturity)} ({t['backed']}: {_num(result.evidence_backed)}),"
        f" {t['index']} {'–' if index is None else f'{index:.1f}'}, {t['level']} {label};"
        f" {status}"
    )
    lines.append("")
    name_width = max(len(t["dimension"]), *(len(d.title.get(lang)) for d in result.dimensions))
    name_width = min(name_width, 48)
    header = (
        f"{t['dimension']:<{name_width}}  {t['maturity']:>9}  {t['backed']:>9}  "
        f"{t['target']:>6}  {t['gap']:>5}"
    )
    lines += [header, "-" * len(header)]
    for d in result.dimensions:
        title = d.title.get(lang)
        if len(title) > name_width:
            title = title[: name_width - 1] + "…"
        lines.append(
            f"{title:<{name_width}}  {_num(d.maturity):>9}  {_num(d.evidence_backed):>9}"
            f"  {d.target:>6}  {_num(d.gap):>5}"
        )
    lines.append("")
    lines.append(t["top"])
    steps = [r for r in result.recommendations if r.kind == "next_step"]
    if not steps:
        lines.append(t["none"])
    for n, rec in enumerate(steps[:top], 1):
        head = (
            f"{n:>2}. [{rec.question.id}] {rec.level}→{rec.to_level}, {t['priority']} "
            f"{_num(rec.priority)}, {t['clause']} {rec.question.source}"
        )
        lines.append(head)
        lines += textwrap.wrap(
            rec.text.get(lang), width=width, initial_indent="    ", subsequent_indent="    "
        )
    if len(steps) > top:
        lines.append(t["more"] % dict(n=len(steps) - top))
    if result.with_disagreements and result.disagreements:
        lines += ["", t["disagreements"]]
        lines += [f"  {d.question}: {d.spread}" for d in result.disagreements]
    return "\n".join(lines) + "\n"
