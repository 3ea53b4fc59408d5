"""Administration: users and question banks (admins only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.errors import DomainError
from ..forms import BankUploadForm, UserForm
from ..services import users as user_service
from ..services.access import require_admin
from ..services.banks import bank_owners, install_bank, installed_banks
from ..services.errors import Invalid
from ..services.organisations import all_organisations, organisation_by_id
from .helpers import current_lang

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    """List users and create one."""
    require_admin(current_user)
    form = UserForm()
    orgs = all_organisations()
    form.organisation.choices = [(0, "—")] + [(o.id, o.name) for o in orgs]
    if form.validate_on_submit():
        org = organisation_by_id(form.organisation.data)
        # The service's refusals are worded for the command line; the form says it its way.
        if form.role.data == "member" and org is None:
            form.organisation.errors.append(_("A member belongs to an organisation: choose one."))
        elif user_service.email_taken(form.email.data):
            form.email.errors.append(_("A user with this e-mail address exists already."))
        else:
            try:
                user_service.create_user(
                    form.email.data, form.password.data, form.role.data, org, form.name.data or ""
                )
            except Invalid:
                form.email.errors.append(_("The user could not be created: check the fields."))
            else:
                flash(_("User created."), "success")
                return redirect(url_for(".users"))
    people = user_service.all_users()
    return render_template("admin/users.html", form=form, users=people), 400 if form.errors else 200


@bp.route("/banks", methods=["GET", "POST"])
@login_required
def banks():
    """Installed banks; upload a new bank or a new version of one."""
    require_admin(current_user)
    form = BankUploadForm()
    orgs = all_organisations()
    form.organisation.choices = [(0, _("All organisations"))] + [(o.id, o.name) for o in orgs]
    error = None
    if form.validate_on_submit():
        raw = form.file.data.read(2 * 1024 * 1024 + 1)
        try:
            bank = install_bank(
                raw,
                form.file.data.filename or "bank.yaml",
                organisation_id=form.organisation.data or None,
            )
        except DomainError as exc:  # refused before anything was stored
            error = exc.message(current_lang())
        else:
            flash(
                _("Question bank %(id)s %(version)s installed.", id=bank.id, version=bank.version),
                "success",
            )
            return redirect(url_for(".banks"))
    owners = {o.id: o.name for o in orgs}
    status = 400 if (form.errors or error) else 200
    return render_template(
        "admin/banks.html",
        form=form,
        banks=installed_banks(),
        owners=owners,
        owner_of=bank_owners(),
        error=error,
    ), status
