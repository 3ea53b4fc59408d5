"""The API's problem documents (RFC 9457) and its language: apart from the API's views, so that
the shared error page can answer an API address with one without importing the views."""

from __future__ import annotations

import json

from flask import Response, request

from ..domain.i18n import DEFAULT_LANGUAGE, languages

PREFIX = "/api/"
PROBLEM = "application/problem+json"


class Problem(Exception):
    """An API refusal: status, title, detail and the offending members."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        kind: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.kind = kind
        self.headers = headers or {}


PROBLEM_TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    429: "too-many-requests",
    500: "server-error",
    503: "unavailable",
}


def problem_response(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    kind: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """An RFC 9457 problem document."""
    kind = kind or PROBLEM_TYPES.get(status, "error")
    body = {
        "type": f"/api/v1/docs#problem-{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    response.headers["Content-Language"] = api_lang()
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def is_api_request() -> bool:
    """Whether this request is the API's (its errors are problem documents)."""
    return request.path.startswith(PREFIX)


def api_lang() -> str:
    """The language of API messages: Accept-Language (a language of the catalogues;
    Latvian by default). A session's language choice does not count here: sessions play no
    part in the API."""
    return request.accept_languages.best_match(languages()) or DEFAULT_LANGUAGE
