"""An independent re-statement of docs/scoring.md (indicator levels, evidence freshness, means,
gaps, recommendations), written from the text, sharing no code with assessment.domain.scoring.

It reads the raw answers document (§3 JSON as a dict) and the bank's YAML (a dict), and
returns the §4 numbers as exact fractions.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


def months_back(day: dt.date, months: int) -> dt.date:
    """`day` moved back by `months` calendar months, the day clamped to that month's end."""
    year, month = day.year, day.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    last = 31
    while True:
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            last -= 1


def indicator_level(question: dict, value) -> int:
    """How many thresholds the value reaches."""
    n = 0
    for t in question["thresholds"]:
        if question["direction"] == "higher" and value >= t:
            n += 1
        if question["direction"] == "lower" and value <= t:
            n += 1
    return n


def oracle(bank: dict, doc: dict) -> dict:
    """{dimension id: (maturity, evidence_backed, gap, unsupported)}, overall (m, e) and the
    recommendations as (kind, question, level, priority) in order."""
    by_q = {a["question"]: a for a in doc.get("answers", [])}
    cutoff = None
    if doc.get("as_of"):
        cutoff = months_back(
            dt.date.fromisoformat(doc["as_of"]), doc.get("evidence_max_age_months", 36)
        )
    dims = {}
    steps, evid = [], []
    position = 0
    for dim in bank["dimensions"]:
        target = doc.get("targets", {}).get(dim["id"], dim.get("target", 3))
        dim_w = Fraction(str(dim.get("weight", 1)))
        sum_w = Fraction(0)
        sum_m = Fraction(0)
        sum_e = Fraction(0)
        unsupported = 0
        for q in dim["questions"]:
            position += 1
            a = by_q.get(q["id"])
            if a is None or a.get("not_applicable"):
                continue
            w = Fraction(str(q.get("weight", 1)))
            if a.get("dont_know"):
                level = 0
            elif "value" in a:
                level = indicator_level(q, a["value"])
            else:
                level = a["level"]
            fresh = [
                e
                for e in a.get("evidence", [])
                if not (cutoff and e.get("date") and dt.date.fromisoformat(e["date"]) < cutoff)
            ]
            backed = level
            if level >= 3 and not fresh:
                backed = 2
                unsupported += 1
                evid.append(((level - 2) * w * dim_w, position, q["id"], level))
            sum_w += w
            sum_m += w * level
            sum_e += w * backed
            if backed < target:
                steps.append(((target - backed) * w * dim_w, position, q["id"], backed))
        if sum_w:
            m, e = sum_m / sum_w, sum_e / sum_w
            dims[dim["id"]] = (m, e, max(Fraction(0), target - e), unsupported, dim_w)
        else:
            dims[dim["id"]] = (None, None, None, unsupported, dim_w)
    counted = [v for v in dims.values() if v[0] is not None]
    total_w = sum(v[4] for v in counted)
    overall = (
        (sum(v[4] * v[0] for v in counted) / total_w, sum(v[4] * v[1] for v in counted) / total_w)
        if counted
        else (None, None)
    )
    order = sorted(steps, key=lambda s: (-s[0], s[1]))
    recs = [("next_step", s[2], s[3], s[0]) for s in order]
    recs += [("evidence", s[2], s[3], s[0]) for s in sorted(evid, key=lambda s: (-s[0], s[1]))]
    return {
        "dimensions": {k: v[:4] for k, v in dims.items()},
        "overall": overall,
        "recommendations": recs,
    }
