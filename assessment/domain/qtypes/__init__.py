"""Question types, one module each (docs/question-bank-format.md and docs/scoring.md): the registry.

A question type owns, in its one module: the keys it adds to a bank question and their checks
(`schema`, `parse_bank`), the parsing of an answer to such a question in an answers file
(`parse_answer`), the level of an answer (`level`), the questionnaire form fields (`parse_form`,
reading the fields domain.answer_form names) and the markup of its answer fields, built once
per question and language from its template partial `templates/assessments/_qtype_<name>.html`
(`build_markup`, with those names). Adding a type is one module here, one entry in `TYPES`, one
partial and its tests (docs/architecture.md).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ..errors import BankError
from . import indicator, maturity

#: Every question type by its name in the bank (`type:`); the first is the default.
TYPES: dict[str, ModuleType] = {maturity.NAME: maturity, indicator.NAME: indicator}
DEFAULT = maturity.NAME


def get(name: str) -> ModuleType:
    """The module of question type `name` (KeyError when unknown)."""
    return TYPES[name]


def schema_properties() -> dict[str, Any]:
    """JSON-schema properties the types add to a bank question (merged into bank_schema.json
    when it is loaded, so that the file stays as it is)."""
    props: dict[str, Any] = {"type": {"enum": list(TYPES)}}
    for module in TYPES.values():
        props.update(module.SCHEMA)
    return props


def parse_details(raw: dict[str, Any], path: str, source: str) -> tuple[str, Any]:
    """The type of a schema-valid bank question and its type-specific details; a key that
    belongs to another type is refused."""
    name = raw.get("type", DEFAULT)
    module = TYPES[name]
    for other in TYPES.values():
        if other is module:
            continue
        for key in other.SCHEMA:
            if key in raw and key not in module.SCHEMA:
                raise BankError(
                    "bank.schema",
                    source,
                    f"{path}.{key}",
                    detail=f"'{key}' belongs to questions of type '{other.NAME}', "
                    f"this question is of type '{name}'",
                )
    return name, module.parse_bank(raw, path, source)
