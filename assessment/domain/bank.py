"""Question banks: loading a YAML file, validating it, and the typed objects the rest uses."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import BankError

MAX_BANK_BYTES = 2 * 1024 * 1024

#: Clause ids of the guideline (docs/guideline/guidelines-en.md) a question may trace to.
KNOWN_CLAUSES = frozenset(
    ["1.2", "2.0", "2.1", "2.2", "2.3"]
    + [f"2.1.{i}" for i in range(1, 6)]
    + [f"2.2.{i}" for i in range(1, 8)]
    + [f"2.2.2{c}" for c in "abcde"]
    + [f"2.3.{i}" for i in range(1, 10)]
)

from .text import Text  # noqa: E402,F401 (banks' texts; re-exported)

#: Where the bundled banks live: `questions/` beside the package.
BUNDLED_DIR = Path(__file__).resolve().parent.parent.parent / "questions"


@dataclass(frozen=True)
class Question:
    """One question with its five level descriptors and next steps."""

    id: str
    dimension_id: str
    text: Text
    help: Text | None
    source: str
    related: tuple[str, ...]
    weight: Fraction
    levels: tuple[Text, ...]
    evidence_examples: tuple[Text, ...]
    recommendations: tuple[Text, ...]
    position: int  # order of the question in the whole bank
    type: str = "maturity"  # a name in domain/qtypes.TYPES
    details: Any = None  # what the type adds (qtypes.indicator.Indicator; None for maturity)
    rationale: Text | None = None  # why the weight is not 1 (required in banks ≥ 2.0.0)

    @property
    def qtype(self) -> Any:
        """The module of this question's type (domain/qtypes)."""
        from . import qtypes

        return qtypes.get(self.type)


@dataclass(frozen=True)
class Dimension:
    """A dimension of maturity, with its questions in bank order."""

    id: str
    title: Text
    description: Text | None
    source: str
    related: tuple[str, ...]
    weight: Fraction
    target: int
    questions: tuple[Question, ...]
    rationale: Text | None = None  # why the weight is not 1 or the target not 3


@dataclass(frozen=True)
class Bank:
    """A loaded, validated question bank."""

    id: str
    version: str
    title: Text
    source: Text
    scale: tuple[Text, ...]
    dimensions: tuple[Dimension, ...]
    path: str = ""
    #: Per scale level, what the level means in this bank (the ladder rule), or None.
    scale_help: tuple[Text | None, ...] = ()
    _questions: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """(id, version), the identity of a bank."""
        return (self.id, self.version)

    @property
    def questions(self) -> Iterator[Question]:
        """Every question in bank order."""
        for dimension in self.dimensions:
            yield from dimension.questions

    def question(self, question_id: str) -> Question | None:
        """The question with `question_id`, or None."""
        return self._questions.get(question_id)

    def dimension(self, dimension_id: str) -> Dimension | None:
        """The dimension with `dimension_id`, or None."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def __len__(self) -> int:
        return len(self._questions)

    @property
    def version_key(self) -> tuple[int, int, int]:
        """The version as numbers, for semantic-version ordering (2.0.0 < 10.0.0)."""
        return version_key(self.version)


def version_key(version: str) -> tuple[int, int, int]:
    """`"2.10.1"` → (2, 10, 1); a version the schema allows always has three numbers."""
    major, minor, patch = (int(part) for part in version.split("."))
    return (major, minor, patch)


def latest_versions(banks: Iterable[Bank]) -> dict[str, Bank]:
    """Bank id → the bank of that id with the highest (semantic) version."""
    out: dict[str, Bank] = {}
    for bank in banks:
        best = out.get(bank.id)
        if best is None or bank.version_key > best.version_key:
            out[bank.id] = bank
    return out


#: A bank needs no YAML aliases at all; a few are tolerated. Each alias re-uses a whole subtree,
#: so a handful nested can stand for millions of questions (an 11 KB file: 90,601): refused
#: while composing, before anything is expanded.
MAX_ALIASES = 50


class TooManyAliases(Exception):
    """A YAML document with more aliases than MAX_ALIASES."""


class CountingSafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader that counts aliases as it composes the document."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.alias_count = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise TooManyAliases()
        return super().compose_node(parent, index)


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    from . import qtypes

    schema = json.loads((Path(__file__).parent / "bank_schema.json").read_text("utf-8"))
    question = schema["properties"]["dimensions"]["items"]["properties"]["questions"]["items"]
    question["properties"].update(qtypes.schema_properties())  # the keys each type adds
    return jsonschema.Draft202012Validator(schema)


def format_path(parts: Iterable[Any]) -> str:
    """`['dimensions', 3, 'questions', 2]` → `dimensions[3].questions[2]`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _schema_reason(error: jsonschema.ValidationError) -> str:
    """A reason a bank author understands, instead of jsonschema's repr of the value."""
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        return f"missing required key '{missing[0]}'" if missing else error.message
    if kind in ("minItems", "maxItems") and isinstance(value, list):
        low, high = (error.schema.get("minItems"), error.schema.get("maxItems"))
        if low == high:
            return f"must have exactly {low} items, found {len(value)}"
        if kind == "minItems":
            return f"must have at least {low} items, found {len(value)}"
        return f"must have at most {high} items, found {len(value)}"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})), key=str)
        return f"unknown key '{extra[0]}'" if extra else error.message
    if kind == "type":
        hint = ""
        if error.validator_value == "string" and isinstance(value, (int, float)):
            hint = f" (YAML read {value} as a number: put it in quotes)"
        return f"must be of type {error.validator_value}, found {type(value).__name__}{hint}"
    if kind == "exclusiveMinimum":
        return f"must be greater than {error.validator_value}, found {value}"
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"must be from {low} to {high}, found {value}"
    if kind == "pattern":
        if error.validator_value == "\\S":
            return "must not be empty"
        return f"'{value}' does not match the required form {error.validator_value}"
    if kind == "minLength":
        return "must not be empty"
    return error.message


def _text(raw: dict[str, str] | None) -> Text | None:
    return Text.of(raw) if raw else None


def parse_bank(data: Any, source: str = "<bank>") -> Bank:
    """Validate the parsed YAML of a bank and build a `Bank`, or raise `BankError`."""
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        # The deepest error at the first path is the most precise one.
        first = errors[0]
        best = max(
            (e for e in errors if list(e.absolute_path)[:1] == list(first.absolute_path)[:1]),
            key=lambda e: len(e.absolute_path),
        )
        raise BankError(
            "bank.schema", source, format_path(best.absolute_path), detail=_schema_reason(best)
        )
    _check_values(data, [], source)
    from . import qtypes

    dimensions: list[Dimension] = []
    seen_questions: dict[str, str] = {}
    seen_dimensions: set[str] = set()
    position = 0
    for d_index, raw_dim in enumerate(data["dimensions"]):
        d_path = f"dimensions[{d_index}]"
        if raw_dim["id"] in seen_dimensions:
            raise BankError("bank.duplicate_dimension", source, f"{d_path}.id", id=raw_dim["id"])
        seen_dimensions.add(raw_dim["id"])
        _check_clauses(source, d_path, raw_dim)
        questions: list[Question] = []
        for q_index, raw_q in enumerate(raw_dim["questions"]):
            q_path = f"{d_path}.questions[{q_index}]"
            qid = raw_q["id"]
            if qid in seen_questions:
                raise BankError(
                    "bank.duplicate_question",
                    source,
                    f"{q_path}.id",
                    id=qid,
                    first=seen_questions[qid],
                )
            if not qid.startswith(raw_dim["id"] + "."):
                raise BankError(
                    "bank.question_prefix", source, f"{q_path}.id", id=qid, dimension=raw_dim["id"]
                )
            seen_questions[qid] = q_path
            _check_clauses(source, q_path, raw_q)
            qtype, details = qtypes.parse_details(raw_q, q_path, source)
            questions.append(
                Question(
                    id=qid,
                    dimension_id=raw_dim["id"],
                    text=_text(raw_q["text"]),
                    help=_text(raw_q.get("help")),
                    source=raw_q["source"],
                    related=tuple(raw_q.get("related", ())),
                    weight=Fraction(str(raw_q.get("weight", 1))),
                    levels=tuple(_text(t) for t in raw_q["levels"]),
                    evidence_examples=tuple(_text(t) for t in raw_q["evidence_examples"]),
                    recommendations=tuple(_text(t) for t in raw_q["recommendations"]),
                    position=position,
                    type=qtype,
                    details=details,
                    rationale=_text(raw_q.get("rationale")),
                )
            )
            position += 1
        dimensions.append(
            Dimension(
                id=raw_dim["id"],
                title=_text(raw_dim["title"]),
                description=_text(raw_dim.get("description")),
                source=raw_dim["source"],
                related=tuple(raw_dim.get("related", ())),
                weight=Fraction(str(raw_dim.get("weight", 1))),
                target=int(raw_dim.get("target", 3)),
                questions=tuple(questions),
                rationale=_text(raw_dim.get("rationale")),
            )
        )
    bank = Bank(
        id=data["id"],
        version=data["version"],
        title=_text(data["title"]),
        source=_text(data["source"]),
        scale=tuple(_text(t) for t in data["scale"]),
        dimensions=tuple(dimensions),
        path=source,
        scale_help=tuple(_text(t.get("help")) for t in data["scale"]),
    )
    _check_rationales(bank, source)
    bank._questions.update({q.id: q for q in bank.questions})
    return bank


#: From this major version on, a bank must argue every weight ≠ 1 and every target ≠ 3.
RATIONALE_FROM_MAJOR = 2


def _check_rationales(bank: Bank, source: str) -> None:
    """In banks of version ≥ 2.0.0: a `rationale` for every question whose weight is not 1 and
    every dimension whose weight is not 1 or whose target is not 3 (1.x banks stay valid)."""
    if bank.version_key[0] < RATIONALE_FROM_MAJOR:
        return
    for d_index, dim in enumerate(bank.dimensions):
        d_path = f"dimensions[{d_index}]"
        if dim.rationale is None and (dim.weight != 1 or dim.target != 3):
            raise BankError(
                "bank.rationale_dimension",
                source,
                d_path,
                id=dim.id,
                weight=dim.weight,
                target=dim.target,
            )
        for q_index, q in enumerate(dim.questions):
            if q.rationale is None and q.weight != 1:
                raise BankError(
                    "bank.rationale_question",
                    source,
                    f"{d_path}.questions[{q_index}]",
                    id=q.id,
                    weight=q.weight,
                )


def storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it in text) and no unpaired surrogate (an escape such as
    \\ud800 makes one; it cannot be written as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_values(value: Any, path: list[Any], source: str) -> None:
    """What the schema cannot say: texts must be storable, numbers not NaN (NaN passes both
    `exclusiveMinimum` and `maximum`, as every comparison with it is false)."""
    if isinstance(value, str):
        if not storable(value):
            raise BankError("bank.bad_char", source, format_path(path))
    elif isinstance(value, float) and math.isnan(value):
        raise BankError(
            "bank.schema", source, format_path(path), detail="must be a number, found nan"
        )
    elif isinstance(value, dict):
        for key, child in value.items():
            _check_values(child, [*path, key], source)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _check_values(child, [*path, index], source)


def _check_clauses(source: str, path: str, raw: dict[str, Any]) -> None:
    if raw["source"] not in KNOWN_CLAUSES:
        raise BankError("bank.unknown_clause", source, f"{path}.source", clause=raw["source"])
    for i, clause in enumerate(raw.get("related", ())):
        if clause not in KNOWN_CLAUSES:
            raise BankError("bank.unknown_clause", source, f"{path}.related[{i}]", clause=clause)


def parse_bank_text(text: str | bytes, source: str = "<bank>") -> Bank:
    """Parse YAML text (or UTF-8 bytes) of a bank, refusing what is not a valid bank."""
    if isinstance(text, bytes):
        if len(text) > MAX_BANK_BYTES:
            raise BankError("bank.too_large", source, limit=MAX_BANK_BYTES)
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BankError(
                "bank.unreadable", source, detail=f"not UTF-8 (byte {exc.start})"
            ) from None
    if len(text) > MAX_BANK_BYTES:
        raise BankError("bank.too_large", source, limit=MAX_BANK_BYTES)
    try:
        data = yaml.load(text, Loader=CountingSafeLoader)  # noqa: S506 - a SafeLoader
    except TooManyAliases:
        raise BankError(
            "bank.not_yaml", source, detail=f"more than {MAX_ALIASES} YAML aliases (*name)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BankError("bank.not_yaml", source, detail=f"{problem}{where}") from None
    except RecursionError:
        raise BankError("bank.not_yaml", source, detail="nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise plain errors for
        # values they cannot build: 2026-13-45 (ValueError), an int of more than 4,300 digits
        # (ValueError), a bare `!!int` (IndexError), a bare `!!timestamp` (AttributeError)
        detail = f"{type(exc).__name__}: {exc}"[:200]
        raise BankError("bank.not_yaml", source, detail=detail) from None
    return parse_bank(data, source)


def load_bank(path: str | Path) -> Bank:
    """Read and validate the bank at `path`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BankError("bank.unreadable", str(path), detail=exc.strerror or str(exc)) from None
    return parse_bank_text(raw, str(path))


def bundled_bank_paths(directory: Path = BUNDLED_DIR) -> list[Path]:
    """The YAML files of the bundled banks, sorted by name."""
    return sorted(p for p in directory.glob("*.y*ml") if p.is_file())


class BankRegistry:
    """Banks available to score against, by (id, version)."""

    def __init__(self, banks: Iterable[Bank] = ()) -> None:
        self._banks: dict[tuple[str, str], Bank] = {}
        for bank in banks:
            self.add(bank)

    def add(self, bank: Bank) -> None:
        """Make `bank` available; a later bank with the same key replaces the earlier."""
        self._banks[bank.key] = bank

    def get(self, bank_id: str, version: str) -> Bank | None:
        """The bank with this id and version, or None."""
        return self._banks.get((bank_id, version))

    def __iter__(self) -> Iterator[Bank]:
        return iter(sorted(self._banks.values(), key=lambda b: (b.id, b.version_key)))

    def latest(self, bank_id: str) -> Bank | None:
        """The bank of this id with the highest semantic version, or None."""
        return latest_versions(self).get(bank_id)

    def __len__(self) -> int:
        return len(self._banks)


@cache
def bundled_registry() -> BankRegistry:
    """The bundled banks of `questions/`, loaded once per process."""
    return BankRegistry(load_bank(p) for p in bundled_bank_paths())
