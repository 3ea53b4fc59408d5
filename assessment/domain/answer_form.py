"""The questionnaire form of an answer: its field names (spelt here and nowhere else), the one
converter from a posted form to answers (with error keys) and the one from an answer to what a
page shows.

An answer's content is the domain's `answers.Answer`. `FormAnswer` wraps it with what only the
form carries: the version of the stored answer the page showed, the fingerprint of the content
it showed (`seen`), and — to show them again, nothing lost — what the model cannot hold: a
figure as typed that is not one (or beside N/A or don't know), the indicator's choice "v"
without a figure. Pure Python: the question types' `parse_form` and the templates (through the
question markup) take the names from here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .answers import (
    CONFIDENCE,
    ISO_DATE,
    MAX_EVIDENCE,
    MAX_TEXT,
    MAX_TITLE,
    Answer,
    Evidence,
    content_digest,
)
from .qtypes.indicator import format_value

#: The answers a questionnaire radio can send (an indicator's "v" becomes its figure's level).
CHOICES = ("0", "1", "2", "3", "4", "na", "dk")
#: The largest version an answer can have (PostgreSQL `integer`).
MAX_VERSION = 2**31 - 1

# --- the field names ---------------------------------------------------------------------------

#: The fields of one question on a questionnaire page, `q-<question id>-<part>`.
PARTS = (
    "answer",
    "value",
    "period",
    "comment",
    "version",
    "seen",
    "confidence",
    "flag",
    "flag-note",
    "evcount",
)
#: The fields of evidence row n, `q-<question id>-ev-<n>-<part>`.
EVIDENCE_PARTS = ("title", "url", "date", "remove")


def prefix(question_id: str) -> str:
    """The start of every field name of a question (also its fieldset's id, the anchor)."""
    return f"q-{question_id}"


def field(question_id: str, part: str) -> str:
    """The name of field `part` (PARTS) of a question."""
    return f"{prefix(question_id)}-{part}"


#: Any field of a questionnaire page's questions (what an expired session's post may keep).
FIELD = re.compile(
    r"q-[\w.:-]{1,130}-("
    + "|".join(re.escape(part) for part in PARTS)
    + r"|ev-\d{1,3}-("
    + "|".join(EVIDENCE_PARTS)
    + "))"
)


@dataclass(frozen=True)
class Names:
    """The field names of one answer on a form (attributes: PARTS, "-" spelt "_"), and the
    `anchor` that starts the ids of its other elements."""

    anchor: str
    answer: str
    value: str
    period: str
    comment: str
    version: str
    seen: str
    confidence: str
    flag: str
    flag_note: str
    evcount: str
    evidence_prefix: str

    def evidence(self, n: int | str, part: str) -> str:
        """The name of field `part` of evidence row `n`."""
        return f"{self.evidence_prefix}{n}-{part}"


def names(question_id: str) -> Names:
    """The field names of a question on a questionnaire page."""
    return Names(
        anchor=prefix(question_id),
        **{part.replace("-", "_"): field(question_id, part) for part in PARTS},
        evidence_prefix=f"{prefix(question_id)}-ev-",
    )


#: The workshop's form of the agreed answer of one question (one question a page).
CONSENSUS = Names(
    anchor="agreed",
    answer="answer",
    value="agreed-value",
    period="agreed-period",
    comment="comment",
    version="version",
    seen="",
    confidence="confidence",
    flag="",
    flag_note="",
    evcount="",
    evidence_prefix="",
)

# --- the answer as a form holds it -------------------------------------------------------------


@dataclass
class FormAnswer:
    """An answer as a questionnaire page holds it: the content (`answer`) and the form's own
    state. The properties are the values the page shows."""

    answer: Answer
    version: int = 0  # the version of the stored answer the page showed; 0: none
    seen: str = ""  # content_digest of the stored answer the page showed; "": not known
    raw_choice: str | None = None  # a choice the model cannot hold ("v" without a figure)
    raw_value: str | None = None  # a figure as typed that the answer does not hold

    @property
    def question_id(self) -> str:
        return self.answer.question

    @property
    def choice(self) -> str:
        return self.answer.choice if self.raw_choice is None else self.raw_choice

    @property
    def value(self) -> str:
        return format_value(self.answer.value) if self.raw_value is None else self.raw_value

    @property
    def period(self) -> str:
        return self.answer.period

    @property
    def comment(self) -> str:
        return self.answer.comment

    @property
    def evidence(self) -> list[dict[str, str]]:
        return [e.to_dict() for e in self.answer.evidence]

    @property
    def confidence(self) -> str:
        return self.answer.confidence

    @property
    def flag(self) -> str | None:
        return self.answer.flag

    def unchanged(self) -> bool:
        """Whether the user sends back what the page showed them (nothing to store). A page
        that showed no stored answer (version 0) showed an empty one."""
        seen = self.seen or (EMPTY_DIGEST if self.version == 0 else "")
        return bool(seen) and content_digest(self.answer) == seen


EMPTY_DIGEST = content_digest(Answer(question=""))


def shown(answer: Answer, version: int = 0) -> FormAnswer:
    """Answer → form: what a page shows for a stored answer (an empty `Answer` when there is
    none), with its version and fingerprint."""
    return FormAnswer(answer, version, content_digest(answer))


def typed(
    question_id: str,
    choice: str = "",
    comment: str = "",
    evidence: Iterable[Mapping[str, str]] = (),
    version: int = 0,
    seen: str = "",
    value: str = "",
    period: str = "",
    confidence: str = "",
    flag: str | None = None,
) -> FormAnswer:
    """Form → answer: the answer that the form's values say (a choice, a figure as text, the
    evidence rows as dicts). What the model cannot hold is kept as typed, to show again."""
    level = int(choice) if choice.isdigit() else None
    figure, raw_value = None, None
    if value:
        try:
            number = float(value)
        except ValueError:
            number = None
        if level is not None and number is not None and format_value(number) == value:
            figure = number
        else:
            raw_value = value
    answer = Answer(
        question=question_id,
        level=level,
        not_applicable=choice == "na",
        dont_know=choice == "dk",
        comment=comment,
        evidence=tuple(
            Evidence(title=e.get("title", ""), url=e.get("url", ""), date=e.get("date", ""))
            for e in evidence
        ),
        value=figure,
        period=period,
        confidence=confidence,
        flag=flag,
    )
    return FormAnswer(
        answer,
        version,
        seen,
        raw_choice=None if choice == answer.choice else choice,
        raw_value=raw_value,
    )


# --- parsing a posted page ---------------------------------------------------------------------


def parse_page(
    form: Mapping[str, str] | Any, questions: Iterable[Any]
) -> tuple[list[FormAnswer], dict[str, list[str]]]:
    """Read the questionnaire form of these questions (a page); return the answers and, per
    question, error keys (the view translates them). Every typed word is in the answers, also
    where there are errors, to show again."""
    answers: list[FormAnswer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        n = names(question.id)
        choice, value, period, errs = question.qtype.parse_form(question, form, n)
        comment = form.get(n.comment) or ""
        if len(comment) > MAX_TEXT:
            errs.append("comment_long")
            comment = comment[:MAX_TEXT]
        version, bad_version = _version(form.get(n.version))
        if bad_version:  # no row has it; the database could not even bind it
            errs.append("version")
        confidence = form.get(n.confidence) or ""
        if confidence not in ("", *CONFIDENCE):
            errs.append("confidence")
            confidence = ""
        flag = None
        if form.get(n.flag):
            flag = (form.get(n.flag_note) or "").strip()
            if len(flag) > MAX_TEXT:
                errs.append("flag_long")
                flag = flag[:MAX_TEXT]
        seen = form.get(n.seen) or ""
        if len(seen) != len(EMPTY_DIGEST):
            seen = ""
        evidence = _evidence(form, n, errs)
        answers.append(
            typed(
                question.id,
                choice,
                comment,
                evidence,
                version,
                seen,
                value,
                period,
                confidence,
                flag,
            )
        )
        if errs:
            errors[question.id] = sorted(set(errs))
    return answers, errors


def _version(raw: str | None) -> tuple[int, bool]:
    """The version a form sent (0 when none or not a number), and whether it is out of range."""
    try:
        version = int(raw or 0)
    except ValueError:
        return 0, False
    if not 0 <= version <= MAX_VERSION:
        return 0, True
    return version, False


def _evidence(form: Mapping[str, str] | Any, n: Names, errs: list[str]) -> list[dict[str, str]]:
    """The evidence rows of one question (empty and removed rows left out)."""
    evidence: list[dict[str, str]] = []
    try:
        count = min(int(form.get(n.evcount) or 0), MAX_EVIDENCE + 1)
    except ValueError:
        count = 0
    for row in range(count):
        if form.get(n.evidence(row, "remove")):
            continue
        title = (form.get(n.evidence(row, "title")) or "").strip()
        url = (form.get(n.evidence(row, "url")) or "").strip()
        date = (form.get(n.evidence(row, "date")) or "").strip()
        if not (title or url or date):
            continue
        item = {"title": title[:MAX_TITLE]}
        if not title:
            errs.append("evidence_title")
        if len(title) > MAX_TITLE:
            errs.append("evidence_title_long")
        if url:
            if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
                errs.append("evidence_url")
            item["url"] = url[:2000]
        if date:
            if not valid_date(date):
                errs.append("evidence_date")
            item["date"] = date[:10]
        evidence.append(item)
    if len(evidence) > MAX_EVIDENCE:
        errs.append("evidence_many")
    return evidence


def valid_date(text: str) -> bool:
    """Exactly YYYY-MM-DD, and a real day."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_consensus(
    form: Mapping[str, str] | Any, question: Any, stored: Answer | None
) -> tuple[FormAnswer, list[str]]:
    """Read the workshop's form of one question's agreed answer (`CONSENSUS` names): the
    answer to store (its evidence and review flag those of the `stored` answer) and error
    keys, the first of which the page says. With errors, the answer holds what was typed."""
    n = CONSENSUS
    evidence = [e.to_dict() for e in stored.evidence] if stored else []
    flag = stored.flag if stored else None
    comment = (form.get(n.comment) or "")[:MAX_TEXT]
    confidence = form.get(n.confidence) or ""
    version, bad_version = _version(form.get(n.version))
    if question.type == "indicator":  # the agreed figure (its level follows), N/A or don't know
        choice, value, period, errs = question.qtype.parse_form(question, form, n)
    else:
        choice, value, period, errs = (form.get(n.answer) or "").strip(), "", "", []
        if choice not in CHOICES and choice != "":
            errs.append("choice")
    if bad_version:
        errs.append("version")
    if confidence not in ("", *CONFIDENCE):
        errs.append("confidence")
    if errs:  # shown again as typed
        return typed(
            question.id,
            (form.get(n.answer) or "").strip(),
            form.get(n.comment) or "",
            evidence,
            version,
            value=(form.get(n.value) or "").strip()[:40],
            period=(form.get(n.period) or "").strip()[:7],
            confidence=confidence[:6],
            flag=flag,
        ), errs
    return typed(
        question.id,
        choice,
        comment,
        evidence,
        version,
        value=value,
        period=period,
        confidence=confidence,
        flag=flag,
    ), []
