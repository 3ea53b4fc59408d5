"""The error page: what every handler and view shows for a refusal or a failure (status, title,
message, and a questionnaire post's typed answers read back). Apart from the handlers in
web/errors.py, which import the views that rescue expired forms, so that views can show it
without an import cycle."""

from __future__ import annotations

import re

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .helpers import current_lang


def wants_json() -> bool:
    """API-like requests get JSON errors."""
    return request.path.endswith(".json") or request.path == "/healthz"


TYPED_FIELD = re.compile(
    r"q-(?P<qid>[\w.:-]{1,130}?)-(?P<field>answer|comment|"
    r"ev-(?P<n>\d{1,3})-(?:title|url|date))"
)


def typed_answers() -> list[tuple[str, str]]:
    """What a questionnaire post said, question by question, as (label, text): an error page
    shows it back read-only, so that nothing typed is lost (e.g. while the database is down).
    Needs no database: labels come from the bundled banks, else the question's id."""
    if request.method != "POST":
        return []
    try:
        if not request.form:
            return []
    except RequestEntityTooLarge:  # a post too large to read has nothing to show back
        return []
    from ..domain.bank import bundled_registry

    choices = {"na": _("Not applicable"), "dk": _("Don't know")}
    lines: dict[str, list[str]] = {}
    evidence: dict[tuple[str, str], list[str]] = {}
    for key, value in request.form.items(multi=True):
        match = TYPED_FIELD.fullmatch(key)
        value = value.strip()
        if match is None or not value:
            continue
        qid, field = match.group("qid"), match.group("field")
        lines.setdefault(qid, [])
        if field == "answer":
            lines[qid].insert(0, _("Answer") + ": " + choices.get(value, value))
        elif field == "comment":
            lines[qid].append(_("Comment") + ": " + value)
        else:
            evidence.setdefault((qid, match.group("n")), []).append(value)
    for (qid, _n), parts in evidence.items():
        lines[qid].append(_("Evidence") + ": " + " | ".join(parts))
    lang = current_lang()
    out = []
    for qid, texts in lines.items():
        if not texts:
            continue
        question = next((q for bank in bundled_registry() if (q := bank.question(qid))), None)
        label = f"{qid} – {question.text.get(lang)}" if question is not None else qid
        out.append((label, "\n".join(texts)))
    return out


def error_page(status: int, title: str, message: str):
    """Render the error page (or JSON) with this status; a questionnaire post's answers are
    shown back on it, read-only."""
    from .problems import is_api_request

    if is_api_request():
        return api_problem(status, title, message)
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    # Server-side failures use a page that needs no database: no user menu, and the user
    # treated as anonymous so that no context processor loads it from a database that is gone.
    if status >= 500:
        from flask import g

        from ..extensions import login_manager

        g._login_user = login_manager.anonymous_user()
    template = "errors/standalone.html" if status >= 500 else "errors/error.html"
    return render_template(
        template, status=status, title=title, message=message, typed=typed_answers()
    ), status


def api_problem(status: int, title: str, message: str):
    """An error of an API address as a problem document (RFC 9457); a 404 names the address's
    identifier that found nothing."""
    from .problems import problem_response

    errors = []
    if status == 404 and request.view_args:
        name = list(request.view_args)[-1]
        errors.append({"parameter": name, "detail": message})
    elif status == 405:
        errors.append({"parameter": "method", "detail": message})
    return problem_response(status, title, message, errors)
