"""A customer service standard (guideline section 2.2): its content, validation and plain rendering.

Plain Python, no Flask. The content of one version is a JSON-able dict with the seven components:

- ``scope``: ``{"kind": "institution|branches|services|contacts", "names": [...], "clients": [...],
  "note": str}`` (2.2.1)
- ``principles``: ``[{"title", "text", "key"}]`` (2.2.2)
- ``qualification``, ``norms``, ``client``: ``[{"text", "key"}]`` (2.2.3, 2.2.4, 2.2.5)
- ``channels``: ``[{"kind": "in_person|remote|telephone", "name", <parameters>}]`` (2.2.6)
- ``indicators``: ``[{"channel", "indicator", "target", "unit", "data_source", "key"}]`` (2.2.7)

``key`` names the guideline item an entry came from (e.g. ``2.2.2a``, ``2.2.4-privacy``), empty
for the institution's own entries. Validation returns error codes (the web layer words them in the
user's language); nothing here raises on bad user input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .i18n import C_, M_, LabelTable

HERE = Path(__file__).resolve().parent

#: Components in the guideline's order: (content key, clause id).
COMPONENTS = (
    ("scope", "2.2.1"),
    ("principles", "2.2.2"),
    ("qualification", "2.2.3"),
    ("norms", "2.2.4"),
    ("client", "2.2.5"),
    ("channels", "2.2.6"),
    ("indicators", "2.2.7"),
)
SECTIONS = tuple(name for name, _ in COMPONENTS)
LIST_SECTIONS = ("qualification", "norms", "client")  # a list of clauses, text only

SCOPE_KINDS = ("institution", "branches", "services", "contacts")
CHANNEL_KINDS = ("in_person", "remote", "telephone")
#: A channel's parameters, in table order; which kinds of channel each one is asked for.
CHANNEL_FIELDS = (
    "name",
    "address",
    "department",
    "hours",
    "postal_address",
    "email",
    "website",
    "e_address",
    "phones",
    "out_of_hours",
)
INDICATOR_FIELDS = ("channel", "indicator", "target", "unit", "data_source")

MAX_TEXT = 4000  # one principle's explanation, one clause
MAX_SHORT = 300  # a title, a channel parameter, a table cell
MAX_ROWS = 100  # entries in one section
MAX_NAMES = 100  # named branches / services / client groups


# --- the guideline's section 2.2 as package data --------------------------------------------------


@cache
def guideline() -> dict[str, Any]:
    """standard_guideline.yaml, read once."""
    with open(HERE / "standard_guideline.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def suggestion_map() -> dict[str, Any]:
    """standard_suggestions.yaml (question id → guideline item keys), read once."""
    with open(HERE / "standard_suggestions.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _in(texts: Mapping[str, str], lang: str) -> str:
    """A guideline text (content, in standard_guideline.yaml) in `lang`, English when the YAML
    has none in that language."""
    return texts.get(lang) or texts["en"]


def component_title(section: str, lang: str) -> str:
    """The component's heading in `lang`."""
    return _in(guideline()["components"][section], lang)


def clause_of(section: str) -> str:
    """The guideline clause of a component."""
    return dict(COMPONENTS)[section]


@dataclass(frozen=True)
class GuidelineItem:
    """One thing section 2.2 recommends, in a component."""

    key: str
    section: str
    clause: str
    entry: Mapping[str, Any]

    def content(self, lang: str) -> dict[str, str]:
        """The entry as the standard stores it, in `lang`."""
        e = self.entry
        if self.section == "principles":
            return {"title": _in(e["title"], lang), "text": _in(e["text"], lang), "key": self.key}
        if self.section == "indicators":
            return {**{f: _in(e[f], lang) for f in INDICATOR_FIELDS}, "key": self.key}
        return {"text": _in(e, lang), "key": self.key}

    def label(self, lang: str) -> str:
        """One line that names the item (for suggestions)."""
        c = self.content(lang)
        if self.section == "principles":
            return c["title"]
        if self.section == "indicators":
            return f"{c['channel']}: {c['indicator']} — {c['target']} {c['unit']}"
        return c["text"]


@cache
def guideline_items() -> dict[str, GuidelineItem]:
    """Every item of section 2.2 by key, in the guideline's order."""
    g = guideline()
    items: dict[str, GuidelineItem] = {}
    for e in g["principles"]:
        items[e["source"]] = GuidelineItem(e["source"], "principles", e["source"], e)
    for section, clause in (
        ("qualification", "2.2.3"),
        ("norms", "2.2.4"),
        ("client", "2.2.5"),
        ("indicators", "2.2.7"),
    ):
        for e in g[section]:
            items[e["key"]] = GuidelineItem(e["key"], section, clause, e)
    return items


def offered(section: str) -> list[GuidelineItem]:
    """The guideline's items of one component, in order."""
    return [i for i in guideline_items().values() if i.section == section]


def initial_content(lang: str, clients: list[str] | None = None) -> dict[str, Any]:
    """A new standard: the five principles of 2.2.2 in `lang`; the organisation's client groups in
    the scope; everything else empty for the institution to fill in or accept from suggestions."""
    return {
        "scope": {"kind": "", "names": [], "clients": list(clients or [])[:MAX_NAMES], "note": ""},
        "principles": [i.content(lang) for i in offered("principles")],
        "qualification": [],
        "norms": [],
        "client": [],
        "channels": [],
        "indicators": [],
    }


def keys_in(content: Mapping[str, Any]) -> set[str]:
    """The guideline items a content already holds."""
    return {
        entry.get("key")
        for section in SECTIONS
        if section != "scope"
        for entry in content.get(section, [])
        if entry.get("key")
    }


# --- suggestions from an assessment's gaps --------------------------------------------------------


def suggestions_from_gaps(
    gap_questions: list[str], bank_id: str, bank_version: str, content: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """What the gaps (question ids answered below target, most important first) suggest adding.

    One suggestion per guideline item not yet in `content`, with every question that led to it;
    none for a bank the mapping does not know."""
    mapping = suggestion_map()
    if (bank_id, bank_version) != (mapping["bank"], mapping["version"]):
        return []
    present = keys_in(content)
    items = guideline_items()
    out: dict[str, dict[str, Any]] = {}
    for qid in gap_questions:
        for key in mapping["suggestions"].get(qid, []):
            if key in present:
                continue
            if key in out:
                out[key]["questions"].append(qid)
                continue
            item = items[key]
            out[key] = {
                "id": len(out) + 1,
                "key": key,
                "section": item.section,
                "clause": item.clause,
                "questions": [qid],
                "status": "pending",
            }
    return list(out.values())


def apply_suggestion(content: dict[str, Any], key: str, lang: str) -> dict[str, Any]:
    """The content with the guideline item `key` added at the end of its component."""
    item = guideline_items()[key]
    if key in keys_in(content):
        return content
    entries = list(content.get(item.section, []))
    entries.append(item.content(lang))
    return {**content, item.section: entries}


# --- validation of one section's form ------------------------------------------------------------


@dataclass
class Problem:
    """A refused field: where (form field name) and why (a code the web layer words)."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


#: Times are written with a colon (8:30, 17:00); a full stop is left alone (24.12. is a date).
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_BAD_TIME = re.compile(r"\d{3,}:\d|\d:\d{3,}|(?<!\d)\d{1,2}:\d(?!\d)")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_WEB = re.compile(r"^(https?://)?[^\s/:@]+\.[^\s/:@]+(:\d+)?(/\S*)?$", re.IGNORECASE)


def hours_problem(text: str) -> bool:
    """Whether opening hours name an impossible time (25:00, 8:75, 123:00)."""
    if _BAD_TIME.search(text):
        return True
    for hours, minutes in _TIME.findall(text):
        h, m = int(hours), int(minutes)
        if m > 59 or h > 24 or (h == 24 and m != 0):
            return True
    return False


def _text(form: Mapping[str, str], name: str, limit: int, problems: list[Problem]) -> str:
    value = (form.get(name) or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        problems.append(Problem(name, "too_long", {"max": limit}))
        return ""
    return value


def _rows(form: Mapping[str, str], prefix: str) -> list[int]:
    """The row numbers a list form sent (fields named `prefix-N-…`), in order."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{1,4}})-")
    return sorted({int(m.group(1)) for k in form.keys() if (m := pattern.match(k))})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _too_many(rows: list, problems: list[Problem], name: str) -> None:
    if len(rows) > MAX_ROWS:
        problems.append(Problem(name, "too_many", {"max": MAX_ROWS}))


def parse_scope(form: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """2.2.1: a kind, named branches or services when the kind asks for them, client groups."""
    problems: list[Problem] = []
    kind = form.get("kind") or ""
    names = _lines(_text(form, "names", MAX_TEXT, problems))
    clients = _lines(_text(form, "clients", MAX_TEXT, problems))
    note = _text(form, "note", MAX_TEXT, problems)
    if kind not in SCOPE_KINDS:
        problems.append(Problem("kind", "scope_empty"))
    elif kind in ("branches", "services") and not names:
        problems.append(Problem("names", "scope_names"))
    for name, values in (("names", names), ("clients", clients)):
        if len(values) > MAX_NAMES:
            problems.append(Problem(name, "too_many", {"max": MAX_NAMES}))
        if any(len(v) > MAX_SHORT for v in values):
            problems.append(Problem(name, "line_too_long", {"max": MAX_SHORT}))
    return {
        "kind": kind,
        "names": names if kind in ("branches", "services") else [],
        "clients": clients,
        "note": note,
    }, problems


def _keep_key(form: Mapping[str, str], name: str) -> str:
    """A row's guideline key, kept only when it names a real item."""
    key = (form.get(name) or "").strip()
    return key if key in guideline_items() else ""


def parse_principles(form: Mapping[str, str]) -> tuple[list[dict[str, str]], list[Problem]]:
    """2.2.2: rows of title and explanation; blank or ticked-for-removal rows are dropped."""
    problems: list[Problem] = []
    out = []
    for n in _rows(form, "p"):
        if form.get(f"p-{n}-remove"):
            continue
        title = _text(form, f"p-{n}-title", MAX_SHORT, problems)
        text = _text(form, f"p-{n}-text", MAX_TEXT, problems)
        if not title and not text:
            continue
        if not title:
            problems.append(Problem(f"p-{n}-title", "required"))
        if not text:
            problems.append(Problem(f"p-{n}-text", "required"))
        out.append({"title": title, "text": text, "key": _keep_key(form, f"p-{n}-key")})
    _too_many(out, problems, "p")
    return out, problems


def parse_clauses(
    form: Mapping[str, str], section: str
) -> tuple[list[dict[str, str]], list[Problem]]:
    """2.2.3 / 2.2.4 / 2.2.5: rows of one clause each; the guideline's offers ticked to add."""
    problems: list[Problem] = []
    out = []
    for n in _rows(form, "c"):
        if form.get(f"c-{n}-remove"):
            continue
        text = _text(form, f"c-{n}-text", MAX_TEXT, problems)
        if text:
            out.append({"text": text, "key": _keep_key(form, f"c-{n}-key")})
    present = {e["key"] for e in out if e["key"]}
    for item in offered(section):
        slot = f"offer-{item.key}"
        if form.get(f"{slot}-add") and item.key not in present:
            text = _text(form, f"{slot}-text", MAX_TEXT, problems)
            if not text:
                problems.append(Problem(f"{slot}-text", "required"))
            out.append({"text": text, "key": item.key})
    _too_many(out, problems, "c")
    return out, problems


def parse_channels(form: Mapping[str, str]) -> tuple[list[dict[str, str]], list[Problem]]:
    """2.2.6: a table; each row a kind of channel and its parameters, hours checked."""
    problems: list[Problem] = []
    out = []
    for n in _rows(form, "ch"):
        if form.get(f"ch-{n}-remove"):
            continue
        row = {f: _text(form, f"ch-{n}-{f}", MAX_SHORT, problems) for f in CHANNEL_FIELDS}
        kind = form.get(f"ch-{n}-kind") or ""
        if not any(row.values()):
            continue
        if kind not in CHANNEL_KINDS:
            problems.append(Problem(f"ch-{n}-kind", "channel_kind"))
        if not row["name"]:
            problems.append(Problem(f"ch-{n}-name", "required"))
        for name in ("hours", "out_of_hours"):
            if row[name] and hours_problem(row[name]):
                problems.append(Problem(f"ch-{n}-{name}", "hours"))
        emails = [e.strip() for e in re.split(r"[,;\s]+", row["email"]) if e.strip()]
        if any(not _EMAIL.match(e) for e in emails):
            problems.append(Problem(f"ch-{n}-email", "email"))
        if row["website"] and not _WEB.match(row["website"]):
            problems.append(Problem(f"ch-{n}-website", "website"))
        out.append({"kind": kind, **row})
    _too_many(out, problems, "ch")
    return out, problems


def parse_indicators(form: Mapping[str, str]) -> tuple[list[dict[str, str]], list[Problem]]:
    """2.2.7: a table; every indicator needs a target (the KPI register measures against it)."""
    problems: list[Problem] = []
    out = []
    for n in _rows(form, "i"):
        if form.get(f"i-{n}-remove"):
            continue
        row = {f: _text(form, f"i-{n}-{f}", MAX_SHORT, problems) for f in INDICATOR_FIELDS}
        if not any(row.values()):
            continue
        for name in ("channel", "indicator", "target"):
            if not row[name]:
                problems.append(
                    Problem(f"i-{n}-{name}", "target_required" if name == "target" else "required")
                )
        out.append({**row, "key": _keep_key(form, f"i-{n}-key")})
    present = {e["key"] for e in out if e["key"]}
    for item in offered("indicators"):
        slot = f"offer-{item.key}"
        if form.get(f"{slot}-add") and item.key not in present:
            row = {f: _text(form, f"{slot}-{f}", MAX_SHORT, problems) for f in INDICATOR_FIELDS}
            for name in ("channel", "indicator", "target"):
                if not row[name]:
                    problems.append(
                        Problem(
                            f"{slot}-{name}", "target_required" if name == "target" else "required"
                        )
                    )
            out.append({**row, "key": item.key})
    _too_many(out, problems, "i")
    return out, problems


def parse_section(section: str, form: Mapping[str, str]) -> tuple[Any, list[Problem]]:
    """The section's new value from its form, and what is wrong with it."""
    if section == "scope":
        return parse_scope(form)
    if section == "principles":
        return parse_principles(form)
    if section in LIST_SECTIONS:
        return parse_clauses(form, section)
    if section == "channels":
        return parse_channels(form)
    if section == "indicators":
        return parse_indicators(form)
    raise KeyError(section)


def completeness(content: Mapping[str, Any]) -> list[str]:
    """What an approvable standard still lacks (section names): a scope, at least one principle,
    one norm, one channel and one indicator."""
    missing = []
    scope = content.get("scope") or {}
    if scope.get("kind") not in SCOPE_KINDS or (
        scope.get("kind") in ("branches", "services") and not scope.get("names")
    ):
        missing.append("scope")
    for section in ("principles", "norms", "channels", "indicators"):
        if not content.get(section):
            missing.append(section)
    return missing


# --- rendering: one structure for HTML, DOCX, PDF and the diff -----------------------------------

LABELS = LabelTable(
    {
        "title": M_("Customer service standard"),
        "version": M_("Version"),
        "state_draft": M_("draft"),
        "state_approved": M_("approved"),
        "state_superseded": M_("superseded"),
        "approved": M_("Approved"),
        "approved_by": M_("Approved by"),
        "decision": M_("Order / decision No."),
        "date": M_("Date"),
        "scope_institution": M_("The standard applies to the whole institution."),
        "scope_branches": M_("The standard applies to these branches of the institution:"),
        "scope_services": M_("The standard applies to the delivery of these services:"),
        "scope_contacts": M_(
            "The standard applies to every contact of any employee with a client."
        ),
        "scope_unset": M_("The scope is not set yet."),
        "clients": M_("Client groups:"),
        "in_person": M_("In person"),
        "remote": M_("Remote"),
        "telephone": M_("Telephone"),
        "kind": M_("Kind"),
        "name": M_("Channel"),
        "parameters": M_("Parameters"),
        "address": M_("Address"),
        "department": C_("channel", "Department"),
        "hours": M_("Hours"),
        "postal_address": M_("Postal address"),
        "email": M_("E-mail"),
        "website": M_("Web site"),
        "e_address": M_("E-address"),
        "phones": M_("Phone numbers"),
        "out_of_hours": M_("Out of hours"),
        "channel": M_("Channel"),
        "indicator": M_("Indicator"),
        "target": M_("Target"),
        "unit": M_("Unit"),
        "data_source": M_("Data source"),
        "empty": M_("Not set."),
        "source_note": M_(
            'Prepared following the "Guidelines for preparing a customer service standard" '
            "(VARAM, 2013), section 2.2."
        ),
        "page_of": M_("page %(page)s of %(pages)s"),
    }
)


@dataclass
class Block:
    """One component as documents show it: numbered heading, paragraphs, clauses or a table."""

    number: int
    section: str
    clause: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    clauses: list[tuple[str, str, str]] = field(default_factory=list)  # (number, title, text)
    table: list[list[str]] | None = None  # header row first
    after: list[str] = field(default_factory=list)  # paragraphs after the clauses

    @property
    def numbered_heading(self) -> str:
        return f"{self.number}. {self.heading}"


def channel_parameters(row: Mapping[str, str], lang: str) -> list[str]:
    """A channel's parameters as 'Label: value' lines (the name and kind have their columns)."""
    t = LABELS[lang]
    return [f"{t[f]}: {row[f]}" for f in CHANNEL_FIELDS[1:] if row.get(f)]


def blocks(content: Mapping[str, Any], lang: str) -> list[Block]:
    """The seven components, numbered 1–7, in `lang`."""
    t = LABELS[lang]
    out: list[Block] = []
    for number, (section, clause) in enumerate(COMPONENTS, start=1):
        block = Block(number, section, clause, component_title(section, lang))
        value = content.get(section)
        if section == "scope":
            scope = value or {}
            kind = scope.get("kind")
            block.paragraphs.append(t[f"scope_{kind}"] if kind in SCOPE_KINDS else t["scope_unset"])
            for i, name in enumerate(scope.get("names") or [], start=1):
                block.clauses.append((f"{number}.{i}.", "", name))
            if scope.get("clients"):
                block.after.append(t["clients"] + " " + "; ".join(scope["clients"]) + ".")
            if scope.get("note"):
                block.after.append(scope["note"])
        elif section == "principles":
            for i, p in enumerate(value or [], start=1):
                block.clauses.append((f"{number}.{i}.", p.get("title", ""), p.get("text", "")))
        elif section in LIST_SECTIONS:
            for i, c in enumerate(value or [], start=1):
                block.clauses.append((f"{number}.{i}.", "", c.get("text", "")))
        elif section == "channels":
            if value:
                block.table = [[t["kind"], t["name"], t["parameters"]]] + [
                    [
                        t.get(r.get("kind"), r.get("kind", "")),
                        r.get("name", ""),
                        "\n".join(channel_parameters(r, lang)),
                    ]
                    for r in value
                ]
        elif section == "indicators":
            if value:
                block.table = [[t[f] for f in INDICATOR_FIELDS]] + [
                    [r.get(f, "") for f in INDICATOR_FIELDS] for r in value
                ]
        if not block.clauses and block.table is None and not block.paragraphs:
            block.paragraphs.append(t["empty"])
        out.append(block)
    return out


def text_lines(content: Mapping[str, Any], lang: str) -> list[str]:
    """The standard as plain lines, one clause or table row a line (for the diff)."""
    lines: list[str] = []
    for block in blocks(content, lang):
        lines.append(block.numbered_heading)
        lines.extend(block.paragraphs)
        for number, title, text in block.clauses:
            lines.append(" ".join(p for p in (number, f"{title}." if title else "", text) if p))
        if block.table:
            for row in block.table[1:]:
                lines.append(" | ".join(cell.replace("\n", "; ") for cell in row))
        lines.extend(block.after)
        lines.append("")
    return lines


def diff_lines(
    old: Mapping[str, Any], new: Mapping[str, Any], lang: str, old_name: str, new_name: str
) -> list[tuple[str, str]]:
    """A readable diff of two versions: (kind, line) with kind ' ', '-', '+' or '@'."""
    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(
        text_lines(old, lang),
        text_lines(new, lang),
        fromfile=old_name,
        tofile=new_name,
        lineterm="",
        n=2,
    ):
        if line.startswith(("---", "+++")):
            continue
        kind = line[:1] if line[:1] in "+-@" else " "
        out.append((kind, line[1:] if kind in "+- " else line))
    return out
