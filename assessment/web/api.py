"""The JSON API, `/api/v1/…` (README.md "JSON API"; the contract is openapi.yaml).

Only a personal API token (`Authorization: Bearer kas_…`) authenticates here: a session cookie
does not, so CSRF does not apply (the blueprint is exempt). The token acts as its user, with the
user's access (services.access: another organisation's data is a 404); a read-only token cannot
write. Errors are `application/problem+json` (RFC 9457) in the language of Accept-Language, each
with an `errors` list naming the offending member (a JSON pointer) or parameter. Writes go
through the same services as the web app and are one transaction each: the request boundary
(assessment/transactions.py) commits a response below 400 — a write's rows and the token's "last
used" stamp together — and rolls back every refusal (4xx), so a refused write stores nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answer_form import FormAnswer, typed
from ..domain.answers import MAX_FILE_BYTES, parse_answers
from ..domain.errors import AnswersError
from ..domain.i18n import languages
from ..domain.qtypes.indicator import format_value
from ..extensions import csrf, limiter
from ..models import Assessment, KpiIndicator, KpiValue
from ..services import assessments as service
from ..services import files, register
from ..services import results as results_service
from ..services import tokens as token_service
from ..services.access import (
    get_assessment,
    get_organisation,
    organisations_of,
    visible_assessments,
)
from ..services.banks import get_bank, registry
from ..services.errors import NotFound
from .helpers import languages_offered
from .problems import (  # noqa: E402 (the problem documents of every API error)
    Problem,
    api_lang,
    problem_response,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

#: Figures in one request (each is checked before any is stored).
MAX_VALUES = 1000
MAX_VALUES_BYTES = 1024 * 1024
#: Addresses anyone may read: the description of the API itself.
PUBLIC_ENDPOINTS = {"api.openapi", "api.docs"}
SPEC_PATH = Path(__file__).with_name("openapi.yaml")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


@bp.errorhandler(Problem)
def problem_raised(exc: Problem):
    """A refusal (4xx): the request boundary rolls back whatever the request wrote."""
    return problem_response(exc.status, exc.title, exc.detail, exc.errors, exc.kind, exc.headers)


# --- authentication and rate limits --------------------------------------------------------------


def bearer_text() -> str | None:
    """The token of `Authorization: Bearer …`, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def rate_key() -> str:
    """Limits count per token (its public id, as sent); requests without one per address."""
    public_id = token_service.public_id_of(bearer_text())
    return f"api|token|{public_id}" if public_id else f"api|addr|{request.remote_addr}"


def unauthorised(detail: str) -> Problem:
    return Problem(
        401, _("Authentication required"), detail, [{"header": "Authorization", "detail": detail}]
    )


#: The query parameters each address takes (openapi.yaml); any other is refused.
QUERY_PARAMETERS = {"api.results": {"lang"}}


@bp.before_request
def authenticate():
    """Every address but the description needs a live token; the session is never read.
    A query parameter the address does not take is refused (400), not silently ignored."""
    unknown = sorted(set(request.args) - QUERY_PARAMETERS.get(request.endpoint or "", set()))
    if unknown:
        detail = _("This address takes no query parameter “%(name)s”.", name=unknown[0][:60])
        raise Problem(
            400, _("Request refused"), detail, [{"parameter": unknown[0][:60], "detail": detail}]
        )
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    text = bearer_text()
    if text is None:
        raise unauthorised(
            _(
                "Send a personal API token: Authorization: Bearer <token>. "
                "Create one in your account's API tokens page."
            )
        )
    row = token_service.authenticate(text)
    if row is None:
        raise unauthorised(
            _("The API token is not valid: it is unknown, revoked or its user is deactivated.")
        )
    token_service.mark_used(row)  # stored by the request's one commit (a 4xx stores nothing)
    g.api_token = row
    g.api_user = row.user
    return None


def api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or "300 per minute"


limiter.limit(api_rate_limit, key_func=rate_key)(bp)


def require_write() -> None:
    """A read-only token cannot change anything, nor can any token of a viewer (who reads)."""
    if g.api_user.role == "viewer":
        raise Problem(
            403,
            _("Not allowed"),
            _("A viewer reads and changes nothing: this token cannot write."),
            [{"header": "Authorization", "detail": _("a viewer's token")}],
        )
    if g.api_token.scope != "write":
        raise Problem(
            403,
            _("Not allowed"),
            _("This API token is read-only: create a token that may write."),
            [{"header": "Authorization", "detail": _("read-only token")}],
        )


def read_json(limit: int) -> Any:
    """The body as JSON (400 when it is not JSON, 413 when it is larger than `limit`)."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        raise too_large(limit)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        detail = _("The body must be a JSON document in UTF-8.")
        raise Problem(
            400, _("Request refused"), detail, [{"pointer": "", "detail": detail}]
        ) from None


def too_large(limit: int) -> Problem:
    detail = _("The body is larger than %(limit)s bytes.", limit=limit)
    return Problem(413, _("File too large"), detail, [{"pointer": "", "detail": detail}])


# --- the description ----------------------------------------------------------------------------


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (assessment/web/openapi.yaml), read once."""
    return _with_languages(yaml.safe_load(SPEC_PATH.read_text("utf-8")))


def _with_languages(node: Any) -> Any:
    """The spec with each language enum (written `[lv, en]` in the YAML) listing the
    catalogues' languages (docs/i18n.md: a language is its catalogues)."""
    if isinstance(node, dict):
        if node.get("enum") == ["lv", "en"]:
            node["enum"] = list(languages())
        for value in node.values():
            _with_languages(value)
    elif isinstance(node, list):
        for value in node:
            _with_languages(value)
    return node


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return json_response(openapi_document())


HTTP_METHODS = ("get", "put", "post", "patch", "delete")


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


@bp.get("/docs")
def docs():
    """The description as a readable page, rendered on the server from the same document."""
    document = openapi_document()
    operations = []
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                _resolve(document, p["$ref"]) if "$ref" in p else p
                for p in item.get("parameters", []) + operation.get("parameters", [])
            ]
            responses = []
            for status, response in operation.get("responses", {}).items():
                if "$ref" in response:
                    response = _resolve(document, response["$ref"])
                responses.append((status, response.get("description", "")))
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "auth": operation.get("security", document.get("security")) != [],
                    "body": "requestBody" in operation,
                }
            )
    schemas = document.get("components", {}).get("schemas", {})
    return render_template(
        "api/docs.html",
        document=document,
        operations=operations,
        schemas={name: json.dumps(s, ensure_ascii=False, indent=2) for name, s in schemas.items()},
        spec_url=url_for(".openapi"),
    )


# --- organisations and assessments --------------------------------------------------------------


def organisation_json(org) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind or "",
        "branches": org.branches or 0,
        "segments": list(org.segments or []),
    }


def _time(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives naive UTC
        return value.isoformat() + "Z"
    return value.isoformat()


def assessment_json(item: Assessment) -> dict[str, Any]:
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "title": item.title,
        "bank": {"id": item.bank_id, "version": item.bank_version},
        "language": item.language,
        "state": item.state,
        "evidence_max_age_months": item.evidence_max_age_months,
        "created_at": _time(item.created_at),
        "updated_at": _time(item.updated_at),
        "completed_at": _time(item.completed_at),
    }


@bp.get("/organisations")
def organisations():
    """The organisations the token's user may see."""
    rows = organisations_of(g.api_user)
    return json_response({"items": [organisation_json(o) for o in rows]})


@bp.get("/organisations/<int:org_id>")
def organisation(org_id: int):
    """One organisation."""
    return json_response(organisation_json(get_organisation(g.api_user, org_id)))


@bp.get("/organisations/<int:org_id>/assessments")
def organisation_assessments(org_id: int):
    """The organisation's assessments, newest first."""
    rows = visible_assessments(g.api_user, org_id)
    return json_response({"items": [assessment_json(a) for a in rows]})


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int):
    """One assessment."""
    return json_response(assessment_json(get_assessment(g.api_user, assessment_id)))


def bank_of(item: Assessment):
    bank = get_bank(item.bank_id, item.bank_version)
    if bank is None:
        raise NotFound()
    return bank


def answers_etag(item: Assessment) -> str:
    """A strong ETag of the stored answers: their question ids and versions."""
    rows = service.answer_rows(item)
    text = ",".join(f"{qid}:{row.version}" for qid, row in sorted(rows.items()))
    return '"' + hashlib.sha256(f"{item.id}|{text}".encode()).hexdigest()[:32] + '"'


def answers_document(item: Assessment) -> Response:
    data = files.export_answers(item, bank_of(item)).to_dict()
    return json_response(data, headers={"ETag": answers_etag(item)})


@bp.get("/assessments/<int:assessment_id>/answers")
def answers(assessment_id: int):
    """The assessment's answers as an assessment-answers/1 document, with its ETag."""
    return answers_document(get_assessment(g.api_user, assessment_id))


#: Answers-file refusals that mean "not a JSON object at all" (400); the rest are 422.
UNREADABLE = {"answers.empty", "answers.not_utf8", "answers.not_json", "answers.not_object"}
#: Where a refusal without a path points.
CODE_POINTERS = {
    "answers.format": "/format",
    "answers.unknown_bank": "/bank",
    "answers.language": "/language",
}


def json_pointer(path: str) -> str:
    """`answers[3].evidence[0].date` → `/answers/3/evidence/0/date`."""
    if not path:
        return ""
    parts = []
    for piece in path.replace("[", ".").replace("]", "").split("."):
        if piece:
            parts.append(piece.replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(parts)


def answers_problem(exc: AnswersError) -> Problem:
    lang = api_lang()
    detail = exc.message(lang)
    if exc.code == "answers.too_large":
        return Problem(413, _("File too large"), detail, [{"pointer": "", "detail": detail}])
    pointer = json_pointer(str(exc.params.get("path", ""))) or CODE_POINTERS.get(exc.code, "")
    status = 400 if exc.code in UNREADABLE else 422
    title = _("Request refused") if status == 400 else _("The answers were refused")
    return Problem(status, title, detail, [{"pointer": pointer, "detail": detail}])


def to_submitted(answer, row) -> FormAnswer:
    """A file's answer as the questionnaire would send it, on the version stored now. The
    document states the whole answer: its confidence and review flag too."""
    if answer.level is not None:
        choice = str(answer.level)
    else:
        choice = "na" if answer.not_applicable else "dk"
    value = format_value(answer.value) if answer.value is not None else ""
    return typed(
        answer.question,
        choice,
        answer.comment,
        [e.to_dict() for e in answer.evidence],
        version=row.version if row else 0,
        value=value,
        period=answer.period if value else "",
        confidence=answer.confidence,
        flag=answer.flag,
    )


def conflict(detail: str, pointer: str = "") -> Problem:
    return Problem(
        409, _("Conflict: nothing was saved"), detail, [{"pointer": pointer, "detail": detail}]
    )


def check_register_overrides(item: Assessment, bank, submitted: list) -> None:
    """The questionnaire's rule: a question linked to the KPI register given another figure
    than the register's needs a comment (422 naming the answer's comment)."""
    from types import SimpleNamespace

    from .assessments import ERROR_TEXT, register_overrides

    errors: dict[str, list[str]] = {}
    register_overrides(item, SimpleNamespace(questions=bank.questions), submitted, errors)
    for index, answer in enumerate(submitted):
        if answer.question_id in errors:
            detail = ERROR_TEXT["register_comment"]()
            raise Problem(
                422,
                _("The answers were refused"),
                f"answers[{index}]: {detail} " + _("Nothing was saved."),
                [{"pointer": f"/answers/{index}/comment", "detail": detail}],
            )


@bp.post("/assessments/<int:assessment_id>/answers")
def write_answers(assessment_id: int):
    """Store the answers of an assessment-answers/1 document: every answer listed replaces
    that question's answer; the others stay. All or nothing, in one transaction (the request
    boundary commits it; a refusal or a conflict is rolled back there)."""
    require_write()
    item = get_assessment(g.api_user, assessment_id)
    bank = bank_of(item)
    if request.content_length is not None and request.content_length > MAX_FILE_BYTES:
        raise answers_problem(AnswersError("answers.too_large", "", limit=MAX_FILE_BYTES))
    raw = request.get_data(cache=False)
    try:
        parsed, file_bank = parse_answers(raw, registry(item.organisation_id), "")
    except AnswersError as exc:
        raise answers_problem(exc) from None
    if (file_bank.id, file_bank.version) != (bank.id, bank.version):
        detail = _(
            "The assessment uses the bank %(bank)s; the document names %(found)s.",
            bank=f"{bank.id} {bank.version}",
            found=f"{file_bank.id} {file_bank.version}",
        )
        raise Problem(
            422, _("The answers were refused"), detail, [{"pointer": "/bank", "detail": detail}]
        )
    if item.locked:
        raise conflict(
            _(
                "This assessment is completed or archived: its answers are locked. "
                "Nothing was saved."
            )
        )
    if_match = request.headers.get("If-Match")
    if if_match and if_match.strip() != "*" and if_match.strip() != answers_etag(item):
        raise Problem(
            409,
            _("Conflict: nothing was saved"),
            _(
                "The answers changed since you read them (the ETag differs). Nothing "
                "was saved: read them again and send your changes."
            ),
            [{"header": "If-Match", "detail": _("stale ETag")}],
        )
    records = service.answer_rows(item, [a.question for a in parsed.answers])
    submitted = [to_submitted(a, records.get(a.question)) for a in parsed.answers]
    check_register_overrides(item, bank, submitted)
    try:
        conflicts = service.save_dimension(item, submitted, g.api_user, records=records)
    except (IntegrityError, StaleDataError):  # the 409 is rolled back by the request boundary
        raise conflict(
            _(
                "Someone else saved the same answers at the same moment. Nothing was "
                "saved: read them again and retry."
            )
        ) from None
    if conflicts:  # cannot happen on the versions read just now; kept as the web app does
        raise conflict(_("Someone else changed these answers meanwhile. Nothing was saved."))
    return answers_document(get_assessment(g.api_user, assessment_id))


@bp.get("/assessments/<int:assessment_id>/results")
def results(assessment_id: int):
    """The scores, as `assessment score --format json` prints them for the exported file."""
    item = get_assessment(g.api_user, assessment_id)
    lang = request.args.get("lang", item.language)
    if lang not in languages() or len(request.args.getlist("lang")) > 1:
        detail = _("The language must be %(languages)s.", languages=languages_offered())
        raise Problem(400, _("Request refused"), detail, [{"parameter": "lang", "detail": detail}])
    return json_response(results_service.score_assessment(item, bank_of(item)).to_dict(lang))


# --- the KPI register -----------------------------------------------------------------------------


def indicator_json(item: KpiIndicator) -> dict[str, Any]:
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "name": item.name,
        "definition": item.definition or "",
        "channel": item.channel or "",
        "service": item.service or "",
        "segment": item.segment or "",
        "unit": item.unit or "",
        "direction": item.direction,
        "baseline": item.baseline,
        "target": item.target,
        "amber": item.amber or 0.0,
        "data_source": item.data_source or "",
        "period_kind": item.period_kind,
        "review_on": item.review_on.isoformat() if item.review_on else None,
    }


def value_json(row: KpiValue, indicator: KpiIndicator) -> dict[str, Any]:
    return {
        "indicator": row.indicator_id,
        "period": row.period,
        "value": row.value,
        "comment": row.comment or "",
        "source": row.source,
        "status": register.status(indicator, row.value),
        "entered_at": _time(row.entered_at),
    }


@bp.get("/organisations/<int:org_id>/indicators")
def indicators(org_id: int):
    """The organisation's register: its indicators."""
    rows = register.list_indicators(g.api_user, org_id)
    return json_response({"items": [indicator_json(i) for i in rows]})


@bp.get("/indicators/<int:indicator_id>")
def indicator(indicator_id: int):
    """One indicator with its figures (the latest of each period, oldest period first)."""
    item = register.get_indicator(g.api_user, indicator_id)
    values = register.current_values(g.api_user, indicator_id)
    return json_response(
        {**indicator_json(item), "values": [value_json(v, item) for v in values.values()]}
    )


def _value_item(index: int, raw: Any) -> register.ValueInput:
    """One figure of the body, its member types checked (the register checks the rest)."""
    where = f"/values/{index}"
    if not isinstance(raw, dict):
        raise invalid(where, _("Each figure must be an object with indicator, period and value."))
    indicator_id = raw.get("indicator")
    if isinstance(indicator_id, bool) or not isinstance(indicator_id, int):
        raise invalid(
            f"{where}/indicator", _("The indicator must be an indicator's id (an integer).")
        )
    period = raw.get("period")
    if not isinstance(period, str):
        raise invalid(f"{where}/period", _("The period must be text: 2026-09, 2026-Q3 or 2026."))
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid(f"{where}/value", _("The value must be a number."))
    comment = raw.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise invalid(f"{where}/comment", _("The comment must be text."))
    unknown = sorted(set(raw) - {"indicator", "period", "value", "comment"})
    if unknown:
        raise invalid(f"{where}/{unknown[0]}", _("Unknown member: %(name)s.", name=unknown[0][:60]))
    if "\x00" in period or "\x00" in comment:
        raise invalid(f"{where}/comment", _("The text holds a character that is not allowed."))
    return register.ValueInput(indicator_id, period, value, comment, line=index)


def invalid(pointer: str, detail: str) -> Problem:
    return Problem(
        422,
        _("The figures were refused"),
        detail + " " + _("Nothing was saved."),
        [{"pointer": pointer, "detail": detail}],
    )


FIELD_MEMBERS = {"id": "indicator", "indicator": "indicator"}


@bp.post("/organisations/<int:org_id>/indicator-values")
def write_values(org_id: int):
    """Store figures of the organisation's indicators: all checked before any is stored, one
    transaction. A figure for a period that has one is a correction (the earlier stays in the
    indicator's history)."""
    require_write()
    get_organisation(g.api_user, org_id)
    body = read_json(MAX_VALUES_BYTES)
    if not isinstance(body, dict) or not isinstance(body.get("values"), list):
        raise invalid("/values", _("The body must be an object with a list “values”."))
    unknown = sorted(set(body) - {"values"})
    if unknown:
        raise invalid(f"/{unknown[0][:60]}", _("Unknown member: %(name)s.", name=unknown[0][:60]))
    raw_items = body["values"]
    if not raw_items:
        raise invalid("/values", _("There are no figures to save."))
    if len(raw_items) > MAX_VALUES:
        raise invalid("/values", _("At most %(max)s figures in one request.", max=MAX_VALUES))
    items = [_value_item(n, raw) for n, raw in enumerate(raw_items)]
    try:
        rows = register.record_values(g.api_user, org_id, items, source="api")
    except register.RegisterInvalid as exc:
        plain = register.RegisterInvalid(exc.code, exc.field, None, **exc.params)
        member = FIELD_MEMBERS.get(exc.field, exc.field)
        pointer = f"/values/{exc.line}/{member}" if exc.line is not None else "/values"
        raise invalid(pointer, register.problem_message(plain)) from None
    known = register.indicators_by_id(g.api_user, org_id, {r.indicator_id for r in rows})
    return json_response(
        {"stored": len(rows), "items": [value_json(r, known[r.indicator_id]) for r in rows]},
        status=201,
    )
