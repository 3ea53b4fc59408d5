"""The `indicator` question type: a measured figure mapped to levels 1–4 by four thresholds.

Bank (docs/question-bank-format.md): `unit` {lv, en}, `direction` `higher` or `lower` (which is
better) and
`thresholds` t1…t4, the values at which levels 1–4 are reached: strictly increasing for
`higher`, strictly decreasing for `lower`. Answers file (§3): exactly one of `value` (a finite
number), `not_applicable: true`, `dont_know: true`, and optionally `period` ("2026", "2026-Q3"
or "2026-09"); `level` is refused. Level (§4): how many thresholds the value reaches. Form: a
number field `q-<id>-value`, a period field `q-<id>-period` and the radios `q-<id>-answer`:
`v` (the value), `na`, `dk`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import AnswersError, BankError
from ..i18n import decimal_symbol

NAME = "indicator"
PARTIAL = "assessments/_qtype_indicator.html"
DIRECTIONS = ("higher", "lower")
SCHEMA: dict[str, Any] = {
    "unit": {"$ref": "#/$defs/text"},
    "direction": {"enum": list(DIRECTIONS)},
    "thresholds": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
}
PERIOD = re.compile(r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")
MAX_ABS = 1e15  # a figure larger than this is a typing error, and beyond float's exact integers
CHOICES = ("v", "na", "dk")  # the value given, not applicable, don't know


@dataclass(frozen=True)
class Indicator:
    """What a bank says about an indicator question."""

    unit: Any  # bank.Text
    direction: str
    thresholds: tuple[float | int, ...]


def parse_bank(raw: dict[str, Any], path: str, source: str) -> Indicator:
    """Unit, direction and four strictly monotonic finite thresholds, or BankError."""
    from ..text import Text

    for key in ("unit", "direction", "thresholds"):
        if key not in raw:
            raise BankError(
                "bank.schema",
                source,
                path,
                detail=f"missing required key '{key}' (type: indicator)",
            )
    thresholds = tuple(raw["thresholds"])
    for i, t in enumerate(thresholds):
        if not math.isfinite(t):
            raise BankError(
                "bank.schema",
                source,
                f"{path}.thresholds[{i}]",
                detail=f"must be a finite number, found {t}",
            )
    direction = raw["direction"]
    pairs = list(zip(thresholds, thresholds[1:], strict=False))
    ok = all(a < b for a, b in pairs) if direction == "higher" else all(a > b for a, b in pairs)
    if not ok:
        order = "increasing" if direction == "higher" else "decreasing"
        found = ", ".join(_number(t) for t in thresholds)
        raise BankError(
            "bank.schema",
            source,
            f"{path}.thresholds",
            detail=f"must be strictly {order} for direction '{direction}', found [{found}]",
        )
    unit = Text.of(raw["unit"])
    return Indicator(unit=unit, direction=direction, thresholds=thresholds)


def level_of(spec: Indicator, value: float | int) -> int:
    """docs/scoring.md: the number of thresholds the value reaches (≥ for higher, ≤ for lower)."""
    if spec.direction == "higher":
        return sum(value >= t for t in spec.thresholds)
    return sum(value <= t for t in spec.thresholds)


def level(question: Any, answer: Any) -> int | None:
    """The level of an answer to `question`: from its value, else the level it holds."""
    if answer.value is not None:
        return level_of(question.details, answer.value)
    return answer.level


def parse_answer(item: dict[str, Any], question: Any, path: str, source: str) -> dict[str, Any]:
    """The kind of a §3 answer to an indicator: `value` (+ `period`), N/A or don't know."""
    if "level" in item:
        raise AnswersError(
            "answers.not_maturity", source, path=f"{path}.level", question=question.id
        )
    value = item.get("value")
    not_applicable = item.get("not_applicable", False)
    dont_know = item.get("dont_know", False)
    for key, flag in (("not_applicable", not_applicable), ("dont_know", dont_know)):
        if not isinstance(flag, bool):
            raise AnswersError(
                "answers.field_type", source, path=f"{path}.{key}", expected="true or false"
            )
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            raise AnswersError(
                "answers.value",
                source,
                path=f"{path}.value",
                found=json.dumps(value, ensure_ascii=False)[:40],
                limit=_number(MAX_ABS),
            )
    if (value is not None) + not_applicable + dont_know != 1:
        raise AnswersError("answers.kind_indicator", source, path=path)
    period = item.get("period")
    if period is not None:
        if not isinstance(period, str) or not PERIOD.fullmatch(period):
            raise AnswersError(
                "answers.period",
                source,
                path=f"{path}.period",
                found=json.dumps(period, ensure_ascii=False)[:40],
            )
        if value is None:
            raise AnswersError("answers.kind_indicator", source, path=path)
    out = {
        "level": None,
        "not_applicable": not_applicable,
        "dont_know": dont_know,
        "value": value,
        "period": period or "",
    }
    if value is not None:
        out["level"] = level_of(question.details, value)
    return out


def _finite(value: float | int) -> bool:
    try:
        return math.isfinite(value) and abs(value) <= MAX_ABS
    except OverflowError:  # an int too large for a float
        return False


def _number(value: float | int) -> str:
    """A figure as people write it: 95, 0.85, 1e+15 (no trailing .0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def format_value(value: float | int | None) -> str:
    """The text of a stored or given value for the form and the reports ("" for none)."""
    return "" if value is None else _number(value)


# --- the questionnaire form (web) -----------------------------------------------------------


def parse_form(question: Any, form: Any, names: Any) -> tuple[str, str, str, list[str]]:
    """(choice, value, period, error keys) from the fields `names` (domain.answer_form.Names)
    of one answer. A value (with the radio `v` or none) makes the choice its level; N/A or
    don't know beside a value is refused, as are `v` without a value, a value that is not a
    finite number and a period not of the forms 2026, 2026-Q3, 2026-09."""
    choice = (form.get(names.answer) or "").strip()
    raw = (form.get(names.value) or "").strip().replace(",", ".").replace(" ", "")
    raw = raw.replace("\u00a0", "")
    period = (form.get(names.period) or "").strip()
    errs: list[str] = []
    if choice not in CHOICES and choice != "":
        errs.append("choice")
        choice = ""
    if len(period) > 7 or (period and not PERIOD.fullmatch(period)):
        errs.append("period")
        period = period[:7]
    if not raw:
        if choice == "v":
            return choice, "", period, [*errs, "value_missing"]
        if period and "period" not in errs:
            errs.append("period_alone")
        return choice, "", period, errs
    try:
        value = float(raw)
    except ValueError:
        return choice, raw[:40], period, [*errs, "value"]
    if not _finite(value):
        return choice, raw[:40], period, [*errs, "value"]
    if choice in ("na", "dk"):
        return choice, raw[:40], period, [*errs, "value_and_choice"]
    return str(level_of(question.details, value)), _number(value), period, errs


def build_markup(parts: Any, question: Any, names: Any, scale: Any, lang: str) -> dict:
    """The answer fields in `lang`: a format string for the value and period, and the radios
    N/A and don't know once per checked choice."""
    from markupsafe import Markup

    spec = question.details

    def mark(key: str) -> str:
        return f"\ue000{key}\ue000"

    bands = [
        (n, band_text(spec, n, lang), descriptor.get(lang))  # lv: decimal comma
        for n, descriptor in enumerate(question.levels)
    ]
    html = str(
        parts.value_fields(
            names,
            spec.unit.get(lang),
            spec.direction,
            [_number(t) for t in spec.thresholds],
            bands,
            mark("value"),
            mark("period"),
        )
    )
    html = html.replace("{", "{{").replace("}", "}}")
    for key in ("value", "period"):
        html = html.replace(mark(key), "{" + key + "}")
    radios = {checked: Markup(parts.other_options(names, checked)) for checked in ("", *CHOICES)}
    return {"fields": html, "radios": radios, "lang": lang}


def _band(spec: Indicator, n: int) -> str:
    """The values of level `n`, e.g. "≥ 80 and < 90" (for higher) or "≤ 60" (lower)."""
    t = [_number(x) for x in spec.thresholds]
    better, worse = ("≥", "<") if spec.direction == "higher" else ("≤", ">")
    if n == 0:
        return f"{worse} {t[0]}"
    if n == 4:
        return f"{better} {t[3]}"
    return f"{better} {t[n - 1]}, {worse} {t[n]}"


def band_text(spec: Indicator, n: int, lang: str) -> str:
    """`_band` as printed in `lang`: its decimal sign (a comma in Latvian: "≥ 3,5, < 4")."""
    return _band(spec, n).replace(".", decimal_symbol(lang))


_CANONICAL = re.compile(r"-?[0-9]+\.[0-9]+")  # a figure as `_number` writes it, with decimals
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def answer_markup(markup: dict, values: Any) -> Any:
    """The cached fields filled with the value and period shown (escaped), and the radios."""
    from markupsafe import Markup

    shown = str(values.value)
    if _CANONICAL.fullmatch(shown):
        # a stored figure as the language writes it (Latvian: a comma, which is accepted)
        shown = shown.replace(".", decimal_symbol(markup.get("lang")))
    fields = markup["fields"].format(
        value=shown.translate(_ESCAPES), period=str(values.period).translate(_ESCAPES)
    )
    checked = "v" if values.value else values.choice if values.choice in CHOICES else ""
    return Markup(fields) + markup["radios"][checked]
