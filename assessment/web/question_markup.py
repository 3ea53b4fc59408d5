"""The hot path's markup, rendered once per process.

The questionnaire (`web/assessments.py`) and the respondents' pages (`web/respondents.py`) are
the pages answered most. Everything of a question that does not change between requests — its
legend, clause and help, the answer fields of its type, the comment, confidence and review flag
fields, the evidence rows — is rendered here once per bank version, dimension and language and
kept in `_QUESTION_TEXTS`; a request only fills in the values (escaped), it never renders these
templates again. So are the site's menu and footer of every page (`site_menu`, `site_footer`):
once per language, mount point and role, the CSRF token put in per request. Nothing else in the
web layer caches markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..domain import answer_form, qtypes
from ..domain.bank import Bank, Dimension


@dataclass(frozen=True)
class QuestionText:
    """A question's fixed parts in one language, rendered once per process (the page is hot)."""

    id: str
    anchor: str
    names: answer_form.Names  # the names of its form fields
    text: str
    source: str
    head: Markup  # legend, clause, help
    type: str  # the question type (domain/qtypes)
    fields: Any  # the type's cached markup of the answer fields (qtypes.<type>.build_markup)
    evidence_hint: str
    blank_row: Markup  # the empty evidence row shown when there is no evidence yet
    row_formats: tuple[str, str]  # markup of an evidence row to fill in: (new, stored) item
    notes_format: str  # markup of the comment, confidence and review flag fields to fill in

    def answer(self, values: Any) -> Markup:
        """The answer fields showing `values` (the type's cached markup, filled in)."""
        return qtypes.get(self.type).answer_markup(self.fields, values)

    def evidence_row(self, n: int, item: dict, stored: bool) -> Markup:
        """Evidence row `n` holding `item`: the cached markup filled in, values escaped."""
        return Markup(
            self.row_formats[stored].format(
                n=n,
                number=n + 1,
                title=_escape(item.get("title") or ""),
                url=_escape(item.get("url") or ""),
                date=_escape(item.get("date") or ""),
            )
        )

    def notes(self, values: Any) -> Markup:
        """The comment, confidence and review flag fields showing `values` (cached markup,
        filled in; texts escaped)."""
        confidence = values.confidence or ""
        flag = values.flag
        return Markup(
            self.notes_format.format(
                comment=_escape(values.comment or ""),
                none="" if confidence else _SELECTED,
                low=_SELECTED if confidence == "low" else "",
                medium=_SELECTED if confidence == "medium" else "",
                high=_SELECTED if confidence == "high" else "",
                flag="" if flag is None else " checked",
                flag_note=_escape(flag or ""),
            )
        )


_SELECTED = " selected"

#: markupsafe's escaping (the same five entities), to a plain str: no Markup object per value.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _escape(value: str) -> str:
    return str(value).translate(_ESCAPES)


def _mark(key: str) -> str:
    return f"\ue000{key}\ue000"


def _format_of(html: str, keys: tuple[str, ...]) -> str:
    """Markup rendered once with markers (_mark) where values go, as a str.format template
    (the caller escapes the values it puts in)."""
    html = str(html).replace("{", "{{").replace("}", "}}")
    for key in keys:
        html = html.replace(_mark(key), "{" + key + "}")
    return html


_ROW_KEYS = ("n", "number", "title", "url", "date")
_NOTES_KEYS = ("comment", "none", "low", "medium", "high", "flag", "flag_note")


def _row_format(parts, names: answer_form.Names, stored: bool) -> str:
    """The evidence-row macro as a format template (evidence_row escapes the values)."""
    html = parts.evidence_row(
        names,
        _mark("n"),
        _mark("number"),
        {"title": _mark("title"), "url": _mark("url"), "date": _mark("date")},
        stored,
    )
    return _format_of(html, _ROW_KEYS)


def _notes_format(parts, names: answer_form.Names) -> str:
    """The notes macro (comment, confidence, review flag) as a format template (notes fills
    it in)."""
    return _format_of(parts.notes(names, {key: _mark(key) for key in _NOTES_KEYS}), _NOTES_KEYS)


_QUESTION_TEXTS: dict[tuple[str, str, str, str], tuple[QuestionText, ...]] = {}


def question_texts(bank: Bank, dimension: Dimension, lang: str) -> tuple[QuestionText, ...]:
    """The fixed parts of a dimension's questions in `lang` (the request's language), cached per
    bank version; the markup comes from templates/assessments/_question_parts.html."""
    key = (bank.id, bank.version, dimension.id, lang)
    texts = _QUESTION_TEXTS.get(key)
    if texts is None:
        env = current_app.jinja_env
        parts = env.get_template("assessments/_question_parts.html").module
        built = []
        for number, q in enumerate(dimension.questions, 1):
            names = answer_form.names(q.id)
            anchor = names.anchor
            qtype = q.qtype
            fields = {
                "anchor": anchor,
                "text": q.text.get(lang),
                "source": q.source,
                "help": q.help.get(lang) if q.help else "",
            }
            built.append(
                QuestionText(
                    id=q.id,
                    anchor=anchor,
                    names=names,
                    text=fields["text"],
                    source=q.source,
                    head=Markup(parts.head(fields, number)),
                    type=q.type,
                    fields=qtype.build_markup(
                        env.get_template(qtype.PARTIAL).module, q, names, bank.scale, lang
                    ),
                    evidence_hint="; ".join(e.get(lang) for e in q.evidence_examples),
                    blank_row=Markup(parts.evidence_row(names, 0, 1, {}, False)),
                    row_formats=(
                        _row_format(parts, names, False),
                        _row_format(parts, names, True),
                    ),
                    notes_format=_notes_format(parts, names),
                )
            )
        texts = _QUESTION_TEXTS[key] = tuple(built)
    return texts


#: Where the request's CSRF token goes in the cached menu (the logout form's hidden field).
_CSRF_MARK = _mark("csrf")


def site_menu(lang: str) -> Markup:
    """The brand and main menu of every page (templates/_site_menu.html) for the request's
    user and mount point in `lang` (the request's language), with the request's CSRF token."""
    user = current_user
    authenticated = bool(user.is_authenticated)
    menu = _site_menu(
        lang, request.script_root, authenticated, user.role if authenticated else None
    )
    if not authenticated:
        return menu
    return Markup(menu.replace(_CSRF_MARK, _escape(generate_csrf())))


def site_footer(lang: str) -> Markup:
    """The footer of every page (templates/_site_footer.html) in `lang`, the request's language."""
    return _site_footer(lang, request.script_root)


@functools.lru_cache(maxsize=64)
def _site_menu(lang: str, script_root: str, authenticated: bool, role: str | None) -> Markup:
    """Rendered in the first request of this key (its language and mount point are the key's)."""
    template = current_app.jinja_env.get_template("_site_menu.html")
    return Markup(template.render(authenticated=authenticated, role=role, csrf_marker=_CSRF_MARK))


@functools.lru_cache(maxsize=16)
def _site_footer(lang: str, script_root: str) -> Markup:
    return Markup(current_app.jinja_env.get_template("_site_footer.html").render())
