"""Login (throttled per account and address), logout, change password, API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.i18n import languages
from ..extensions import limiter
from ..forms import ConfirmForm, LoginForm, PasswordForm, TokenForm
from ..services import tokens as token_service
from ..services import users
from ..services.errors import Invalid
from .helpers import safe_next

bp = Blueprint("auth", __name__)


def login_key() -> str:
    """Throttle per account *and* address: a stranger's failed attempts from elsewhere never
    keep the real user out."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login|{request.remote_addr}|{email}"


def failed(response) -> bool:
    """Only failed attempts count (a wrong password answers 401)."""
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=login_key,
    methods=["POST"],
    deduct_when=failed,
)
def login():
    """Log in by email and password.

    A failed attempt answers 401 and stores nothing: the request boundary's rollback loses
    nothing, so no `keep_on_error()`. Its count for throttling lives in the rate limiter's
    storage (memory or Redis), outside the database transaction, and survives the rollback."""
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None:
            rotate_csrf_token()
            login_user(user)
            if user.language in languages() and "lang" not in session:
                session["lang"] = user.language
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
        flash(_("Wrong email or password."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


def rotate_csrf_token() -> None:
    """A new CSRF token from now on: one read before the login (by whoever saw the login
    page) is worth nothing after it."""
    from flask import g

    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


@bp.post("/logout")
def logout():
    """Log out (a POST with a CSRF token, so no other site can log you out). Every copy of
    this user's session cookie stops working, on every worker: the session version rises."""
    ConfirmForm().validate_on_submit()
    if current_user.is_authenticated:
        users.end_sessions(current_user._get_current_object())
    logout_user()
    rotate_csrf_token()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current.data, form.new.data)
        except Invalid as exc:
            if exc.message == "current":
                form.current.errors.append(_("The current password is wrong."))
            else:  # the policy (the form checks it first; this is the service's own check)
                from ..forms import PASSWORD_PROBLEMS

                form.new.errors.append(str(PASSWORD_PROBLEMS.get(exc.message, exc.message)))
            return render_template("auth/password.html", form=form), 400
        # change_password raised the session version: other sessions of this user end; this
        # one goes on under the new version.
        login_user(current_user._get_current_object())
        flash(_("Password changed."), "success")
        return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The user's personal API tokens: list, create (the token is shown this once only)."""
    user = current_user._get_current_object()
    form = TokenForm()
    new_token = None
    status = 200
    if form.validate_on_submit():
        try:
            _row, new_token = token_service.create_token(
                user, form.name.data or "", form.scope.data
            )
        except Invalid as exc:  # refused before anything was stored
            messages = {
                "token_many": _("You have too many API tokens: revoke one first."),
                "token_name": _("The name is too long (at most 100 characters)."),
                "token_scope": _("Choose one of the offered values."),
            }
            form.name.errors.append(messages.get(exc.message, exc.message))
            status = 400
        else:
            form = TokenForm(formdata=None)
    elif form.errors:
        status = 400
    return render_template(
        "auth/tokens.html", form=form, new_token=new_token, tokens=token_service.active_tokens(user)
    ), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own tokens: it authenticates nothing from now on."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token_service.revoke_token(current_user._get_current_object(), token_id)
    flash(_("Token revoked: it no longer works."), "success")
    return redirect(url_for(".tokens"))
