"""What changed between two versions of a bank (`assessment bank diff V1 V2`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .bank import Bank, Question
from .mapping import BankMapping


@dataclass
class BankDiff:
    """Questions added, removed, mapped to other ids and changed; scale and dimension changes."""

    older: Bank
    newer: Bank
    mapping: BankMapping | None
    added: list[Question] = field(default_factory=list)
    removed: list[Question] = field(default_factory=list)
    mapped: list[tuple[Question, tuple[Question, ...]]] = field(default_factory=list)
    changed: list[tuple[Question, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    scale: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)


def _question_changes(a: Question, b: Question) -> list[str]:
    """The parts of a question that differ between two versions, named for the reader."""
    out = []
    if a.dimension_id != b.dimension_id:
        out.append(f"dimension {a.dimension_id} → {b.dimension_id}")
    for name in ("text", "help", "source"):
        if getattr(a, name) != getattr(b, name):
            out.append(name)
    if a.weight != b.weight:
        out.append(f"weight {a.weight} → {b.weight}")
    levels = [str(i) for i in range(5) if a.levels[i] != b.levels[i]]
    if levels:
        out.append("levels " + ",".join(levels))
    if a.evidence_examples != b.evidence_examples:
        out.append("evidence examples")
    recs = [str(i) for i in range(4) if a.recommendations[i] != b.recommendations[i]]
    if recs:
        out.append("recommendations " + ",".join(recs))
    return out


def diff_banks(older: Bank, newer: Bank, mapping: BankMapping | None = None) -> BankDiff:
    """Compare two versions; with a mapping, questions that moved are `mapped`, not removed."""
    result = BankDiff(older, newer, mapping)
    targeted: set[str] = set()
    for q in older.questions:
        if mapping is not None:
            targets = mapping.targets(q.id)
        else:
            targets = (q.id,) if newer.question(q.id) is not None else ()
        targeted.update(targets)
        if not targets:
            result.removed.append(q)
        elif targets != (q.id,):
            result.mapped.append((q, tuple(newer.question(t) for t in targets)))
        else:
            changes = _question_changes(q, newer.question(q.id))
            if changes:
                result.changed.append((q, changes))
            else:
                result.unchanged += 1
    result.added = [q for q in newer.questions if q.id not in targeted]
    for n in range(5):
        a, b = older.scale[n], newer.scale[n]
        if a != b:
            result.scale.append(f"level {n}: {a.en} / {a.lv} → {b.en} / {b.lv}")
        ha = older.scale_help[n] if older.scale_help else None
        hb = newer.scale_help[n] if newer.scale_help else None
        if ha != hb:
            result.scale.append(
                f"level {n}: help "
                + ("added" if ha is None else "removed" if hb is None else "changed")
            )
    old_dims = {d.id: d for d in older.dimensions}
    new_dims = {d.id: d for d in newer.dimensions}
    for d in newer.dimensions:
        before = old_dims.get(d.id)
        if before is None:
            result.dimensions.append(f"{d.id}: added")
            continue
        parts = [
            name
            for name in ("title", "description", "source")
            if getattr(before, name) != getattr(d, name)
        ]
        if before.weight != d.weight:
            parts.append(f"weight {before.weight} → {d.weight}")
        if before.target != d.target:
            parts.append(f"target {before.target} → {d.target}")
        if len(before.questions) != len(d.questions):
            parts.append(f"questions {len(before.questions)} → {len(d.questions)}")
        if parts:
            result.dimensions.append(f"{d.id}: " + ", ".join(parts))
    result.dimensions += [f"{i}: removed" for i in old_dims if i not in new_dims]
    return result


def format_diff(diff: BankDiff, lang: str = "en") -> str:
    """The diff as plain text, question texts in `lang`."""
    o, n = diff.older, diff.newer
    lines = [
        f"{o.id} {o.version} → {n.version}: {len(o)} → {len(n)} questions"
        + ("" if diff.mapping else " (no mapping file: questions matched by id)")
    ]

    def section(title: str, rows: list[str]) -> None:
        lines.append(f"\n{title} ({len(rows)})")
        lines.extend(f"  {row}" for row in rows)

    section("Scale", diff.scale)
    section("Dimensions", diff.dimensions)
    section("Added", [f"+ {q.id}  {q.text.get(lang)}" for q in diff.added])
    section("Removed", [f"- {q.id}  {q.text.get(lang)}" for q in diff.removed])
    section(
        "Mapped", [f"{q.id} → {', '.join(t.id for t in targets)}" for q, targets in diff.mapped]
    )
    section("Changed", [f"~ {q.id}: {'; '.join(parts)}" for q, parts in diff.changed])
    lines.append(f"\nUnchanged: {diff.unchanged}")
    return "\n".join(lines) + "\n"
