"""The answers file `assessment-answers/1`: parsing, validation, writing (docs/answers-file.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .bank import Bank, BankRegistry, storable
from .errors import AnswersError
from .i18n import languages
from .qtypes.indicator import format_value

FORMAT = "assessment-answers/1"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 20_000
MAX_TITLE = 500
MAX_EVIDENCE = 100
MAX_RESPONDENTS = 500
CONFIDENCE = ("low", "medium", "high")
DEFAULT_MAX_AGE = 36  # months: evidence older than this backs no level 3 or 4 claim
MAX_AGE_RANGE = (1, 120)
#: An evidence date: exactly YYYY-MM-DD.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Evidence:
    """A document or record that backs an answer."""

    title: str
    url: str = ""
    date: str = ""

    def to_dict(self) -> dict[str, str]:
        """The §3 form: title, and url and date when given."""
        out = {"title": self.title}
        if self.url:
            out["url"] = self.url
        if self.date:
            out["date"] = self.date
        return out


@dataclass(frozen=True)
class Answer:
    """One answer to one question: a level, not applicable, or don't know. An answer to an
    indicator question also holds the `value` given (and its `period`); its `level` is the one
    the value reaches (docs/scoring.md)."""

    question: str
    level: int | None = None
    not_applicable: bool = False
    dont_know: bool = False
    comment: str = ""
    evidence: tuple[Evidence, ...] = ()
    value: float | int | None = None
    period: str = ""
    confidence: str = ""  # low, medium, high ("": not said); never part of the score
    flag: str | None = None  # marked for review: its note; None: not marked

    @property
    def counted(self) -> bool:
        """Counted answers enter the means: a level or don't know."""
        return self.level is not None or self.dont_know

    @property
    def given(self) -> bool:
        """An answer was given: a level, not applicable or don't know (not only a comment, the
        draft a questionnaire row can hold)."""
        return self.level is not None or self.not_applicable or self.dont_know

    @property
    def choice(self) -> str:
        """The answer as the questionnaire's radio says it: "0"–"4", "na", "dk", "" (none)."""
        if self.level is not None:
            return str(self.level)
        return "na" if self.not_applicable else "dk" if self.dont_know else ""

    def to_dict(self) -> dict[str, Any]:
        """The §3 form of this answer."""
        out: dict[str, Any] = {"question": self.question}
        if self.value is not None:
            out["value"] = _json_number(self.value)
            if self.period:
                out["period"] = self.period
        elif self.level is not None:
            out["level"] = self.level
        elif self.not_applicable:
            out["not_applicable"] = True
        elif self.dont_know:
            out["dont_know"] = True
        if self.comment:
            out["comment"] = self.comment
        if self.evidence:
            out["evidence"] = [e.to_dict() for e in self.evidence]
        if self.confidence:
            out["confidence"] = self.confidence
        if self.flag is not None:
            out["flag"] = {"note": self.flag}
        return out


def content(answer: Answer) -> tuple[Any, ...]:
    """The content of an answer as its fingerprint reads it: (choice, comment, evidence) and,
    only when there are, the figure and its period (5 items), a confidence and a review flag
    (7 items) — so an answer without them keeps the fingerprint it always had. Not who saved
    it, its version or its question."""
    base = (
        answer.choice,
        answer.comment.strip(),
        [e.to_dict() for e in answer.evidence],
    )
    value = format_value(answer.value)
    if answer.confidence or answer.flag is not None:
        return (*base, value, answer.period, answer.confidence, answer.flag)
    return (*base, value, answer.period) if (value or answer.period) else base


def content_digest(answer: Answer) -> str:
    """A short fingerprint of an answer's content (`content`): a questionnaire page carries the
    one of each stored answer it shows, so a save can tell the questions the user changed from
    those they left as they were, without reading the database first. Byte for byte the one
    pages have always carried."""
    text = json.dumps(content(answer), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _json_number(value: float | int) -> float | int:
    """95.0 read back from the database is written as 95, as it was given."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


@dataclass(frozen=True)
class Respondent:
    """A respondent's own answers (docs/scoring.md, section 6)."""

    name: str
    answers: tuple[Answer, ...]


@dataclass
class AnswersFile:
    """A parsed, validated answers file."""

    bank_id: str
    bank_version: str
    organisation: str = ""
    title: str = ""
    language: str = "lv"
    targets: dict[str, int] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    respondents: list[Respondent] = field(default_factory=list)
    as_of: str = ""  # YYYY-MM-DD: the date the answers speak for (evidence freshness, §4)
    evidence_max_age_months: int | None = None  # None: not in the file (36 applies)

    @property
    def max_age(self) -> int:
        """The evidence age limit in months (default 36)."""
        return self.evidence_max_age_months or DEFAULT_MAX_AGE

    @property
    def as_of_date(self) -> dt.date | None:
        """`as_of` as a date, or None."""
        return dt.date.fromisoformat(self.as_of) if self.as_of else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this file, keys in the order of docs/answers-file.md."""
        out: dict[str, Any] = {
            "format": FORMAT,
            "bank": {"id": self.bank_id, "version": self.bank_version},
            "organisation": self.organisation,
            "title": self.title,
            "language": self.language,
            "targets": dict(self.targets),
        }
        if self.as_of:
            out["as_of"] = self.as_of
        if self.evidence_max_age_months is not None:
            out["evidence_max_age_months"] = self.evidence_max_age_months
        out["answers"] = [a.to_dict() for a in self.answers]
        if self.respondents:
            out["respondents"] = [
                {"name": r.name, "answers": [a.to_dict() for a in r.answers]}
                for r in self.respondents
            ]
        return out

    def to_json(self) -> str:
        """UTF-8 JSON text, indented for people who open it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _require_type(
    value: Any, kind: type | tuple[type, ...], path: str, expected: str, source: str
) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise AnswersError("answers.field_type", source, path=path, expected=expected)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _string(
    obj: dict[str, Any], key: str, path: str, source: str, limit: int, required: bool = False
) -> str:
    if key not in obj or obj[key] is None:
        if required:
            raise AnswersError("answers.missing", source, path=_join(path, key))
        return ""
    value = obj[key]
    _require_type(value, str, _join(path, key), "a string", source)
    if len(value) > limit:
        raise AnswersError("answers.too_long", source, path=_join(path, key), limit=limit)
    if not storable(value):
        raise AnswersError("answers.bad_char", source, path=_join(path, key))
    return value


def decode_answers(raw: bytes, source: str = "<answers>") -> dict[str, Any]:
    """Bytes → the JSON object, refusing empty, oversized, non-UTF-8 and non-JSON input."""
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersError("answers.too_large", source, limit=MAX_FILE_BYTES)
    if not raw.strip():
        raise AnswersError("answers.empty", source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswersError("answers.not_utf8", source, position=exc.start) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(
            "answers.not_json", source, detail=exc.msg, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise AnswersError(
            "answers.not_json", source, detail="nested too deeply", line=1, column=1
        ) from None
    except ValueError:  # int() refuses a number of more than 4,300 digits
        digits = re.search(r"[0-9]{4301,}", text)
        start = digits.start() if digits else 0
        line = text.count("\n", 0, start) + 1
        raise AnswersError(
            "answers.not_json",
            source,
            detail="a number has too many digits",
            line=line,
            column=start - text.rfind("\n", 0, start),
        ) from None
    if not isinstance(data, dict):
        raise AnswersError("answers.not_object", source)
    return data


def parse_answer_list(items: Any, bank: Bank, path: str, source: str) -> list[Answer]:
    """Validate a list of §3 answers against `bank`: ids known, one answer a question."""
    _require_type(items, list, path, "a list", source)
    seen: dict[str, str] = {}
    answers: list[Answer] = []
    for index, item in enumerate(items):
        a_path = f"{path}[{index}]"
        _require_type(item, dict, a_path, "an object", source)
        qid = item.get("question")
        if qid is None:
            raise AnswersError("answers.missing", source, path=f"{a_path}.question")
        _require_type(qid, str, f"{a_path}.question", "a string", source)
        if bank.question(qid) is None:
            raise AnswersError(
                "answers.unknown_question",
                source,
                path=a_path,
                question=qid[:200],
                bank=f"{bank.id} {bank.version}",
            )
        if qid in seen:
            raise AnswersError(
                "answers.duplicate", source, path=a_path, question=qid, first=seen[qid]
            )
        seen[qid] = a_path
        answers.append(_parse_answer(item, bank.question(qid), a_path, source))
    return answers


def _parse_answer(item: dict[str, Any], question: Any, path: str, source: str) -> Answer:
    qid = question.id
    kind = question.qtype.parse_answer(item, question, path, source)  # level, N/A, don't know
    comment = _string(item, "comment", path, source, MAX_TEXT)
    raw_evidence = item.get("evidence", [])
    if raw_evidence is None:
        raw_evidence = []
    _require_type(raw_evidence, list, f"{path}.evidence", "a list", source)
    if len(raw_evidence) > MAX_EVIDENCE:
        raise AnswersError("answers.too_many", source, path=f"{path}.evidence", limit=MAX_EVIDENCE)
    evidence = tuple(
        _parse_evidence(e, f"{path}.evidence[{i}]", source) for i, e in enumerate(raw_evidence)
    )
    confidence = item.get("confidence")
    if confidence is not None and confidence not in CONFIDENCE:
        raise AnswersError("answers.confidence", source, path=f"{path}.confidence")
    flag = item.get("flag")
    if flag is not None:
        _require_type(flag, dict, f"{path}.flag", "an object", source)
        flag = _string(flag, "note", f"{path}.flag", source, MAX_TEXT)
    return Answer(
        question=qid,
        comment=comment,
        evidence=evidence,
        **kind,
        confidence=confidence or "",
        flag=flag,
    )


def _parse_evidence(item: Any, path: str, source: str) -> Evidence:
    _require_type(item, dict, path, "an object", source)
    title = _string(item, "title", path, source, MAX_TITLE, required=True).strip()
    if not title:
        raise AnswersError("answers.missing", source, path=f"{path}.title")
    url = _string(item, "url", path, source, 2000).strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise AnswersError(
            "answers.bad_url",
            source,
            path=f"{path}.url",
            found=json.dumps(url[:60], ensure_ascii=False),
        )
    date = _string(item, "date", path, source, 10).strip()
    if date:
        try:
            if not ISO_DATE.fullmatch(date):  # fromisoformat also takes 20260101, 2026-W01-1
                raise ValueError(date)
            dt.date.fromisoformat(date)
        except ValueError:
            raise AnswersError(
                "answers.bad_date",
                source,
                path=f"{path}.date",
                found=json.dumps(date, ensure_ascii=False),
            ) from None
    return Evidence(title=title, url=url, date=date)


def parse_targets(raw: Any, bank: Bank, source: str, path: str = "targets") -> dict[str, int]:
    """Dimension targets overriding the bank's defaults: integers 1–4 for known dimensions."""
    if raw is None:
        return {}
    _require_type(raw, dict, path, "an object", source)
    targets: dict[str, int] = {}
    for dim_id, value in raw.items():
        if bank.dimension(dim_id) is None:
            raise AnswersError(
                "answers.unknown_dimension",
                source,
                path=f"{path}.{dim_id[:60]}",
                dimension=dim_id[:60],
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise AnswersError(
                "answers.target_range",
                source,
                path=f"{path}.{dim_id}",
                found=json.dumps(value)[:40],
            )
        targets[dim_id] = value
    return targets


def parse_answers(
    raw: bytes, registry: BankRegistry, source: str = "<answers>"
) -> tuple[AnswersFile, Bank]:
    """Parse and validate an answers file; refuse it with a message naming the offending entry."""
    data = decode_answers(raw, source)
    found = data.get("format")
    if found != FORMAT:
        raise AnswersError(
            "answers.format", source, found=json.dumps(found, ensure_ascii=False)[:60]
        )
    bank_ref = data.get("bank")
    _require_type(bank_ref, dict, "bank", "an object", source)
    bank_id, version = bank_ref.get("id"), bank_ref.get("version")
    _require_type(bank_id, str, "bank.id", "a string", source)
    _require_type(version, str, "bank.version", "a string", source)
    bank = registry.get(bank_id, version)
    if bank is None:
        raise AnswersError("answers.unknown_bank", source, id=bank_id[:80], version=version[:40])
    language = data.get("language", "lv")
    if language not in languages():
        raise AnswersError(
            "answers.language",
            source,
            found=json.dumps(language, ensure_ascii=False)[:40],
            languages=languages(),
        )
    answers = parse_answer_list(data.get("answers", []), bank, "answers", source)
    respondents: list[Respondent] = []
    raw_respondents = data.get("respondents", [])
    if raw_respondents is None:
        raw_respondents = []
    _require_type(raw_respondents, list, "respondents", "a list", source)
    if len(raw_respondents) > MAX_RESPONDENTS:
        raise AnswersError("answers.too_many", source, path="respondents", limit=MAX_RESPONDENTS)
    for index, item in enumerate(raw_respondents):
        r_path = f"respondents[{index}]"
        _require_type(item, dict, r_path, "an object with a name and answers", source)
        name = _string(item, "name", r_path, source, MAX_TITLE)
        r_answers = parse_answer_list(item.get("answers", []), bank, f"{r_path}.answers", source)
        respondents.append(Respondent(name=name or f"#{index + 1}", answers=tuple(r_answers)))
    as_of = _string(data, "as_of", "", source, 10)
    if as_of:
        try:
            if len(as_of) != 10:
                raise ValueError
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise AnswersError(
                "answers.bad_date",
                source,
                path="as_of",
                found=json.dumps(as_of, ensure_ascii=False),
            ) from None
    max_age = data.get("evidence_max_age_months")
    if max_age is not None and (
        isinstance(max_age, bool)
        or not isinstance(max_age, int)
        or not MAX_AGE_RANGE[0] <= max_age <= MAX_AGE_RANGE[1]
    ):
        raise AnswersError(
            "answers.max_age",
            source,
            path="evidence_max_age_months",
            found=json.dumps(max_age)[:40],
        )
    result = AnswersFile(
        bank_id=bank_id,
        bank_version=version,
        organisation=_string(data, "organisation", "", source, MAX_TITLE).strip(),
        title=_string(data, "title", "", source, MAX_TITLE).strip(),
        language=language,
        targets=parse_targets(data.get("targets"), bank, source),
        answers=answers,
        respondents=respondents,
        as_of=as_of,
        evidence_max_age_months=max_age,
    )
    return result, bank
