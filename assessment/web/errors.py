"""Error pages in the user's language.

The request boundary (assessment/transactions.py) rolls back every response of 400 or more
after its handler has drawn it. A handler whose page follows a database error calls
`transactions.discard()` first, so that the page can read (the user's menu) from a session that
is usable again; the others leave the transaction to the boundary."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .. import transactions
from ..domain.errors import DomainError
from ..services.errors import Forbidden, Invalid, NotFound
from .error_pages import error_page, wants_json  # noqa: F401 (the handlers' page)
from .helpers import current_lang


def address_takes_any(methods) -> bool:
    """Whether the address matches a route for one of `methods`. Werkzeug answers 405 for an
    id beyond MAX_ID when a route with the same shape takes another method, though no route
    takes that address at all: that is a 404."""
    from flask import current_app
    from werkzeug.exceptions import MethodNotAllowed
    from werkzeug.exceptions import NotFound as RoutingNotFound

    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in methods or ():
        try:
            adapter.match(request.path, method=method)
        except (RoutingNotFound, MethodNotAllowed):
            continue
        except HTTPException:
            return True  # a redirect: the address exists
        return True
    return False


def init_app(app: Flask) -> None:
    """Register the handlers."""

    # No teardown of our own: the request boundary rolls back every error response, and
    # Flask-SQLAlchemy removes the session after every request.

    def refuse_nul() -> None:
        """PostgreSQL cannot store NUL in text: a NUL in the address or any field is a 400."""
        pairs = [*request.args.items(multi=True), *request.form.items(multi=True)]
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in pairs):
            abort(400)

    # First of all, before the CSRF check: an expired token keeps the posted answers.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul)

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(exc):
        return error_page(
            404, _("Page not found"), _("There is no such page, or you may not see it.")
        )

    @app.errorhandler(Forbidden)
    @app.errorhandler(403)
    def forbidden(exc):
        return error_page(403, _("Not allowed"), _("Your role does not allow this."))

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid):
        return error_page(400, _("Request refused"), exc.message)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        lang = current_lang()
        return error_page(400, _("Request refused"), exc.message(lang))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        from .assessments import rescue_expired_form
        from .respondents import rescue_expired_respondent_form

        try:
            rescued = rescue_expired_form() or rescue_expired_respondent_form()
        except NotFound:  # raised inside this handler, nothing else would catch it: a 500
            return not_found(None)
        except HTTPException as refused:  # 429: too many answers kept for this address
            return http_error(refused)
        if rescued is not None:
            return rescued
        return error_page(
            400,
            _("The form has expired"),
            _(
                "The page was open too long or was sent from elsewhere. Go back, "
                "reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 429:
            return error_page(
                429,
                _("Too many attempts"),
                _("Too many attempts. Wait a few minutes and try again."),
            )
        if exc.code == 413:
            return error_page(413, _("File too large"), _("The file or form is too large."))
        known = {
            400: (
                _("Request refused"),
                _("The request could not be understood. Go back and try again."),
            ),
            405: (_("Not allowed"), _("This address does not accept this kind of request.")),
            410: (_("No longer available"), _("This page is no longer available.")),
        }
        if exc.code == 405 and not address_takes_any(getattr(exc, "valid_methods", None)):
            return not_found(exc)
        title, message = known.get(exc.code, (exc.name, exc.description or ""))
        response = error_page(exc.code or 500, title, message)
        valid = getattr(exc, "valid_methods", None)
        if exc.code == 405 and valid and isinstance(response, Response):  # an API's answer
            response.headers["Allow"] = ", ".join(sorted(valid))
        return response

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def conflict(exc):
        """Two requests wrote the same rows at once (a unique key, a row's version): this one
        loses, whole."""
        transactions.discard()
        return error_page(
            409,
            _("Saved at the same time"),
            _(
                "Someone saved the same thing at the same moment, so nothing of "
                "this request was saved. Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(exc):
        """A value the database cannot hold (a number beyond its integers): the request's
        fault, not the database's."""
        transactions.discard()
        return error_page(
            400,
            _("Request refused"),
            _("The form sent a number out of range. Reload the page and answer again."),
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_down(exc):
        transactions.discard()
        app.logger.warning("database unavailable: %s", exc.__class__.__name__)
        return error_page(
            503,
            _("Service unavailable"),
            _(
                "The database is not reachable just now. Nothing was half-saved: "
                "try again in a minute."
            ),
        )

    @app.errorhandler(500)
    def server_error(exc):
        # The page needs no database (errors/standalone.html, no user): the boundary's
        # rollback after it is enough.
        return error_page(
            500,
            _("Something went wrong"),
            _("An unexpected error occurred. Nothing was half-saved."),
        )
