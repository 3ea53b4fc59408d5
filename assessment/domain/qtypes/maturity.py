"""The `maturity` question type: a level 0–4 on the bank's scale, not applicable or don't know.

Bank: no keys of its own. Answers file: exactly one of `level` (0–4), `not_applicable: true`,
`dont_know: true`. Form: one radio group `q-<id>-answer` (0–4, na, dk).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import AnswersError

NAME = "maturity"
PARTIAL = "assessments/_qtype_maturity.html"
SCHEMA: dict[str, Any] = {}
CHOICES = ("0", "1", "2", "3", "4", "na", "dk")


def parse_bank(raw: dict[str, Any], path: str, source: str) -> None:
    """No details: the five level descriptors are common to every type."""
    return None


def parse_answer(item: dict[str, Any], question: Any, path: str, source: str) -> dict[str, Any]:
    """The kind of a §3 answer: `level`, `not_applicable` or `dont_know` (exactly one)."""
    if "value" in item or "period" in item:
        key = "value" if "value" in item else "period"
        raise AnswersError(
            "answers.not_indicator", source, path=f"{path}.{key}", question=question.id, key=key
        )
    level = item.get("level")
    not_applicable = item.get("not_applicable", False)
    dont_know = item.get("dont_know", False)
    _check_flags(not_applicable, dont_know, path, source)
    if level is not None and (
        isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4
    ):
        raise AnswersError(
            "answers.level_range", source, path=f"{path}.level", found=json.dumps(level)[:40]
        )
    if (level is not None) + not_applicable + dont_know != 1:
        raise AnswersError("answers.kind", source, path=path)
    return {"level": level, "not_applicable": not_applicable, "dont_know": dont_know}


def _check_flags(not_applicable: Any, dont_know: Any, path: str, source: str) -> None:
    for key, value in (("not_applicable", not_applicable), ("dont_know", dont_know)):
        if not isinstance(value, bool):
            raise AnswersError(
                "answers.field_type", source, path=f"{path}.{key}", expected="true or false"
            )


def level(question: Any, answer: Any) -> int | None:
    """The level an answer states."""
    return answer.level


# --- the questionnaire form (web) -----------------------------------------------------------


def parse_form(question: Any, form: Any, names: Any) -> tuple[str, str, str, list[str]]:
    """(choice, value, period, error keys) from the fields `names` (domain.answer_form.Names)
    of one answer."""
    choice = (form.get(names.answer) or "").strip()
    if choice not in CHOICES and choice != "":
        return "", "", "", ["choice"]
    return choice, "", "", []


def build_markup(parts: Any, question: Any, names: Any, scale: Any, lang: str) -> dict:
    """The answer fields of a question in `lang`, one markup per checked choice ("": none)."""
    from markupsafe import Markup

    labels = [
        (str(n), f"{n} · {scale[n].get(lang)}", level_text.get(lang))
        for n, level_text in enumerate(question.levels)
    ]
    labels += [("na", None, ""), ("dk", None, "")]
    options = tuple(
        (
            value,
            Markup(parts.option_open(names, value, not descriptor)),
            Markup(parts.option_close(names, value, label, descriptor)),
        )
        for value, label, descriptor in labels
    )
    return {
        checked: Markup("").join(
            open_ + (Markup(" checked") if value == checked else "") + close
            for value, open_, close in options
        )
        for checked in ("", *CHOICES)
    }


def answer_markup(markup: dict, values: Any) -> Any:
    """The cached markup of the answer fields with the stored or submitted choice checked."""
    return markup.get(values.choice) or markup[""]
