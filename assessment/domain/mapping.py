"""Mappings between two versions of a bank: which questions of the older version became which
questions of the newer one (`questions/mappings/<bank>_<from>_<to>.yaml`).

A mapping file:

    bank: lv-customer-service-2013
    from: 1.0.0
    to: 2.0.0
    questions:
      values.mission: [values.mission]                  # kept (possibly reworded)
      procedures.complaints: [procedures.complaints, procedures.root-cause]   # split
      technology.once-only: [procedures.admin-burden]   # merged with another into one
      leadership.recognition: removed

Every question of the older version must be listed, and every id it maps to must exist in the
newer version. The compare view and `assessment bank diff` use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .bank import BUNDLED_DIR, Bank, BankRegistry, bundled_registry
from .errors import BankError

MAPPINGS_DIR = BUNDLED_DIR / "mappings"
REMOVED = "removed"


@dataclass(frozen=True)
class BankMapping:
    """Question ids of version `from_version` → ids in version `to_version` (empty: removed)."""

    bank_id: str
    from_version: str
    to_version: str
    questions: dict[str, tuple[str, ...]]
    path: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.bank_id, self.from_version, self.to_version)

    def targets(self, old_id: str) -> tuple[str, ...]:
        """The newer ids an older question became (empty when removed or unknown)."""
        return self.questions.get(old_id, ())

    def sources(self) -> dict[str, tuple[str, ...]]:
        """Newer id → the older ids mapped to it, in the older bank's (file) order."""
        out: dict[str, list[str]] = {}
        for old_id, new_ids in self.questions.items():
            for new_id in new_ids:
                out.setdefault(new_id, []).append(old_id)
        return {k: tuple(v) for k, v in out.items()}

    def removed(self) -> list[str]:
        """Older ids that have no successor."""
        return [old for old, new in self.questions.items() if not new]


def _fail(source: str, path: str, detail: str) -> BankError:
    return BankError("mapping.invalid", source, path, detail=detail)


def parse_mapping(data: Any, source: str = "<mapping>") -> BankMapping:
    """Check the shape of a parsed mapping file and build a `BankMapping`, or raise BankError."""
    if not isinstance(data, dict):
        raise _fail(source, "", "must be a mapping with bank, from, to and questions")
    for key in ("bank", "from", "to", "questions"):
        if key not in data:
            raise _fail(source, "", f"missing required key '{key}'")
    extra = sorted(set(data) - {"bank", "from", "to", "questions"}, key=str)
    if extra:
        raise _fail(source, "", f"unknown key '{extra[0]}'")
    for key in ("bank", "from", "to"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise _fail(source, key, "must be a string (put a version in quotes)")
    if not isinstance(data["questions"], dict) or not data["questions"]:
        raise _fail(source, "questions", "must be a non-empty mapping of question ids")
    questions: dict[str, tuple[str, ...]] = {}
    for old_id, target in data["questions"].items():
        where = f"questions.{old_id}"
        if not isinstance(old_id, str):
            raise _fail(source, where, "a question id must be a string")
        if target == REMOVED:
            questions[old_id] = ()
            continue
        if (
            not isinstance(target, list)
            or not target
            or not all(isinstance(t, str) and t for t in target)
        ):
            raise _fail(source, where, f"must be a list of question ids or '{REMOVED}'")
        if len(set(target)) != len(target):
            raise _fail(source, where, "lists a question id twice")
        questions[old_id] = tuple(target)
    return BankMapping(data["bank"], data["from"], data["to"], questions, source)


def check_mapping(mapping: BankMapping, older: Bank, newer: Bank) -> None:
    """Every question of `older` is listed, nothing else is, and every target is in `newer`."""
    source = mapping.path
    if (older.id, older.version) != (mapping.bank_id, mapping.from_version) or (
        newer.id,
        newer.version,
    ) != (mapping.bank_id, mapping.to_version):
        raise _fail(
            source,
            "",
            f"maps {mapping.bank_id} {mapping.from_version} → "
            f"{mapping.to_version}, not {older.id} {older.version} → {newer.version}",
        )
    for old_id, new_ids in mapping.questions.items():
        if older.question(old_id) is None:
            raise _fail(
                source,
                f"questions.{old_id}",
                f"'{old_id}' is not a question of version {older.version}",
            )
        for new_id in new_ids:
            if newer.question(new_id) is None:
                raise _fail(
                    source,
                    f"questions.{old_id}",
                    f"'{new_id}' is not a question of version {newer.version}",
                )
    missing = [q.id for q in older.questions if q.id not in mapping.questions]
    if missing:
        raise _fail(
            source,
            "questions",
            f"question '{missing[0]}' of version "
            f"{older.version} is not mapped ({len(missing)} missing): give its new "
            f"ids or '{REMOVED}'",
        )


def load_mapping(path: str | Path, registry: BankRegistry) -> BankMapping:
    """Read a mapping file and check it against the two bank versions in `registry`."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise BankError("bank.unreadable", str(path), detail=exc.strerror or str(exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BankError("bank.not_yaml", str(path), detail=str(exc).splitlines()[0]) from None
    mapping = parse_mapping(data, str(path))
    older = registry.get(mapping.bank_id, mapping.from_version)
    newer = registry.get(mapping.bank_id, mapping.to_version)
    for version, bank in ((mapping.from_version, older), (mapping.to_version, newer)):
        if bank is None:
            raise _fail(str(path), "", f"bank {mapping.bank_id} version {version} is not installed")
    check_mapping(mapping, older, newer)
    return mapping


def bundled_mapping_paths(directory: Path = MAPPINGS_DIR) -> list[Path]:
    """The mapping files beside the bundled banks, sorted by name."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.y*ml") if p.is_file())


class MappingRegistry:
    """Mappings by (bank id, from version, to version)."""

    def __init__(self, mappings: Iterable[BankMapping] = ()) -> None:
        self._mappings = {m.key: m for m in mappings}

    def get(self, bank_id: str, from_version: str, to_version: str) -> BankMapping | None:
        return self._mappings.get((bank_id, from_version, to_version))

    def __iter__(self):
        return iter(self._mappings.values())

    def __len__(self) -> int:
        return len(self._mappings)


@cache
def bundled_mappings() -> MappingRegistry:
    """The bundled mappings, checked against the bundled banks, loaded once per process."""
    registry = bundled_registry()
    return MappingRegistry(load_mapping(p, registry) for p in bundled_mapping_paths())


def question_links(
    older: Bank, newer: Bank, mappings: MappingRegistry | None = None
) -> dict[str, tuple[str, ...]]:
    """Newer question id → the older question ids it continues, for comparing two assessments.

    The same version: each question continues itself. Two versions with a mapping (either
    direction is not needed: older → newer): the mapping. Without a mapping: the ids the two
    versions share."""
    if older.key == newer.key:
        return {q.id: (q.id,) for q in newer.questions}
    mappings = bundled_mappings() if mappings is None else mappings
    mapping = mappings.get(older.id, older.version, newer.version) if older.id == newer.id else None
    if mapping is not None:
        sources = mapping.sources()
        return {q.id: sources.get(q.id, ()) for q in newer.questions}
    return {q.id: ((q.id,) if older.question(q.id) is not None else ()) for q in newer.questions}
