"""The request boundary: one transaction per request.

Services change the session and at most `flush()` it (inside `db.session.begin_nested()` where
they must recover from a conflict of their own); views never commit, roll back or query. After
the view — and after an error handler — `commit_or_roll_back` ends the request's transaction:

- a response below 400 (a page, a redirect, a file) commits;
- a response of 400 or more (a refused form, a conflict, an error page) rolls back, so nothing of
  a refused request is half-saved — unless the request asked, with `keep_on_error()`, to keep
  what it wrote while refusing (answers kept across an expired session); a 5xx (an exception,
  a failed commit, the database gone) always rolls back, whatever the request asked;
- a commit that fails (the database went away, a conflict only the commit saw) is rolled back
  and answered by the error handler registered for its exception (503 for OperationalError,
  409 for IntegrityError), by the 500 handler when none is, never with a traceback; the
  after-request functions registered before this one (the security headers) still run.

What must happen only once the writes are stored (e-mailing a respondent their new link) is
registered with `after_commit(callback)`: it runs after a successful commit, and never when the
request rolls back or its commit fails.

Error handlers that draw a page after a database error call `discard()` first, so that the
page can read from a usable session; views and services never call `commit()` or `rollback()`
(tests/test_layers.py checks it).

CLI commands and the start-up work commit at their own boundary (`assessment.commands`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, g
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import InternalServerError

from .extensions import db


def keep_on_error() -> None:
    """Commit this request's writes although its response refuses the request (4xx). A
    server error (5xx) rolls back all the same."""
    g.keep_on_error = True


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once this request's commit has succeeded (not after a rollback)."""
    g.setdefault("after_commit", []).append(callback)


def commit_or_roll_back(response: Response) -> Response:
    """The one commit (or rollback) of a request."""
    status = response.status_code
    if status >= 500 or (status >= 400 and not g.get("keep_on_error")):
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except SQLAlchemyError as exc:
        discard()
        return failed_commit(exc)
    for callback in g.pop("after_commit", []):
        callback()
    return response


def failed_commit(exc: SQLAlchemyError) -> Response:
    """The answer to a commit that failed: the page of the handler registered for the error,
    else the server error page (the error logged with its traceback, never shown)."""
    try:
        answer = current_app.handle_user_exception(exc)
    except SQLAlchemyError:  # no handler for this one
        current_app.log_exception((type(exc), exc, exc.__traceback__))
        answer = current_app.handle_user_exception(InternalServerError(original_exception=exc))
    return current_app.make_response(answer)


def discard() -> None:
    """An error handler's first step after a database error: end the failed transaction, so
    that the error page can be drawn (it reads the user) and the boundary has nothing to
    commit."""
    db.session.rollback()


def init_app(app: Flask) -> None:
    """Register the boundary last of the application's after-request functions: Flask runs them
    in reverse order, so the commit comes first and the security headers are added to whatever
    response follows it (also an error page for a failed commit). A blueprint's own
    after-request functions run before all of these."""
    app.after_request(commit_or_roll_back)
