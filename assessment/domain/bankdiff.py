"""What changed between two versions of a bank (`assessment bank diff V1 V2`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .bank import Bank, Question
from .i18n import C_, M_, gettext
from .mapping import BankMapping

#: The parts of a question or a dimension, named for the reader.
PARTS = {
    "text": C_("bank diff", "text"),
    "help": C_("bank diff", "help"),
    "source": C_("bank diff", "source"),
    "title": C_("bank diff", "title"),
    "description": C_("bank diff", "description"),
}
#: What happened to a scale level's help.
HELP_CHANGE = {
    "added": M_("level %(n)s: help added"),
    "removed": M_("level %(n)s: help removed"),
    "changed": M_("level %(n)s: help changed"),
}


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


def _question_changes(a: Question, b: Question, lang: str = "en") -> list[str]:
    """The parts of a question that differ between two versions, named for the reader (in
    `lang`)."""
    out = []
    if a.dimension_id != b.dimension_id:
        out.append(
            gettext(lang, M_("dimension %(old)s → %(new)s"), old=a.dimension_id, new=b.dimension_id)
        )
    for name in ("text", "help", "source"):
        if getattr(a, name) != getattr(b, name):
            out.append(gettext(lang, PARTS[name]))
    if a.weight != b.weight:
        out.append(gettext(lang, M_("weight %(old)s → %(new)s"), old=a.weight, new=b.weight))
    levels = [str(i) for i in range(5) if a.levels[i] != b.levels[i]]
    if levels:
        out.append(gettext(lang, M_("levels %(levels)s"), levels=",".join(levels)))
    if a.evidence_examples != b.evidence_examples:
        out.append(gettext(lang, M_("evidence examples")))
    recs = [str(i) for i in range(4) if a.recommendations[i] != b.recommendations[i]]
    if recs:
        out.append(gettext(lang, M_("recommendations %(levels)s"), levels=",".join(recs)))
    return out


def _all_languages(text) -> str:
    """A bank text in every language it is written in, English first: `Optimised / Optimizēts`."""
    return " / ".join(value for _lang, value in text.items())


def diff_banks(
    older: Bank, newer: Bank, mapping: BankMapping | None = None, lang: str = "en"
) -> BankDiff:
    """Compare two versions; with a mapping, questions that moved are `mapped`, not removed.
    The changes are described in `lang` (the bank's texts are quoted in all their languages)."""
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
            changes = _question_changes(q, newer.question(q.id), lang)
            if changes:
                result.changed.append((q, changes))
            else:
                result.unchanged += 1
    result.added = [q for q in newer.questions if q.id not in targeted]
    for n in range(5):
        a, b = older.scale[n], newer.scale[n]
        if a != b:
            result.scale.append(
                gettext(
                    lang,
                    M_("level %(n)s: %(old)s → %(new)s"),
                    n=n,
                    old=_all_languages(a),
                    new=_all_languages(b),
                )
            )
        ha = older.scale_help[n] if older.scale_help else None
        hb = newer.scale_help[n] if newer.scale_help else None
        if ha != hb:
            change = "added" if ha is None else "removed" if hb is None else "changed"
            result.scale.append(gettext(lang, HELP_CHANGE[change], n=n))
    old_dims = {d.id: d for d in older.dimensions}
    new_dims = {d.id: d for d in newer.dimensions}
    for d in newer.dimensions:
        before = old_dims.get(d.id)
        if before is None:
            result.dimensions.append(gettext(lang, M_("%(id)s: added"), id=d.id))
            continue
        parts = [
            gettext(lang, PARTS[name])
            for name in ("title", "description", "source")
            if getattr(before, name) != getattr(d, name)
        ]
        if before.weight != d.weight:
            parts.append(
                gettext(lang, M_("weight %(old)s → %(new)s"), old=before.weight, new=d.weight)
            )
        if before.target != d.target:
            parts.append(
                gettext(lang, M_("target %(old)s → %(new)s"), old=before.target, new=d.target)
            )
        if len(before.questions) != len(d.questions):
            parts.append(
                gettext(
                    lang,
                    M_("questions %(old)s → %(new)s"),
                    old=len(before.questions),
                    new=len(d.questions),
                )
            )
        if parts:
            result.dimensions.append(f"{d.id}: " + ", ".join(parts))
    result.dimensions += [
        gettext(lang, M_("%(id)s: removed"), id=i) for i in old_dims if i not in new_dims
    ]
    return result


def format_diff(diff: BankDiff, lang: str = "en", ui: str = "en") -> str:
    """The diff as plain text: question texts in `lang`, the frame (headings, counts) in `ui`,
    the command line's language."""
    o, n = diff.older, diff.newer
    params = dict(id=o.id, old=o.version, new=n.version, n_old=len(o), n_new=len(n))
    head = (
        M_("%(id)s %(old)s → %(new)s: %(n_old)s → %(n_new)s questions")
        if diff.mapping
        else M_(
            "%(id)s %(old)s → %(new)s: %(n_old)s → %(n_new)s questions "
            "(no mapping file: questions matched by id)"
        )
    )
    lines = [gettext(ui, head, **params)]

    def section(title: str, rows: list[str]) -> None:
        lines.append("\n" + gettext(ui, title, n=len(rows)))
        lines.extend(f"  {row}" for row in rows)

    section(M_("Scale (%(n)s)"), diff.scale)
    section(M_("Dimensions (%(n)s)"), diff.dimensions)
    section(M_("Added (%(n)s)"), [f"+ {q.id}  {q.text.get(lang)}" for q in diff.added])
    section(M_("Removed (%(n)s)"), [f"- {q.id}  {q.text.get(lang)}" for q in diff.removed])
    section(
        M_("Mapped (%(n)s)"),
        [f"{q.id} → {', '.join(t.id for t in targets)}" for q, targets in diff.mapped],
    )
    section(M_("Changed (%(n)s)"), [f"~ {q.id}: {'; '.join(parts)}" for q, parts in diff.changed])
    lines.append("\n" + gettext(ui, M_("Unchanged: %(n)s"), n=diff.unchanged))
    return "\n".join(lines) + "\n"
