"""Organisations: list, create, edit, assign consultants and members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms import AssignForm, OrganisationForm
from ..services import organisations as service
from ..services import results, users
from ..services.access import get_organisation, require_manager
from ..services.errors import Invalid
from .helpers import MAX_ID

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
PAGE = 50


@bp.get("/")
@login_required
def index():
    """Organisations the user may see, searchable, paginated."""
    q = (request.args.get("q") or "").strip()[:100]
    try:
        page = min(max(1, int(request.args.get("page", 1))), MAX_ID)
    except ValueError:
        page = 1
    orgs, total = service.visible_page(current_user, q, page, PAGE)
    return render_template(
        "organisations/index.html",
        organisations=orgs,
        q=q,
        page=page,
        pages=max(1, -(-total // PAGE)),
        total=total,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """A consultant or admin adds an organisation."""
    require_manager(current_user)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = service.create_organisation(
                form.name.data,
                form.kind.data or "",
                form.branches.data or 0,
                service.clean_segments(form.segments.data or ""),
                consultant=current_user,
            )
        except Invalid:
            form.name.errors.append(_("An organisation with this name exists already."))
        else:
            flash(_("Organisation created."), "success")
            return redirect(url_for(".show", org_id=org.id))
    return render_template(
        "organisations/form.html", form=form, org=None
    ), 400 if form.errors else 200


@bp.get("/<int:org_id>")
@login_required
def show(org_id: int):
    """An organisation with its assessments, consultants and members."""
    org = get_organisation(current_user, org_id)
    assessments = service.assessments_of(org)
    members = users.members_of(org)
    assign = None
    if current_user.role == "admin":
        assign = AssignForm()
        candidates = users.assignable_users()
        assign.user.choices = [(u.id, f"{u.email} ({_(u.role)})") for u in candidates]
    maturity = results.evidence_backed(a.id for a in assessments)  # stored, one query
    return render_template(
        "organisations/show.html",
        org=org,
        assessments=assessments,
        members=members,
        assign=assign,
        maturity=maturity,
    )


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    """Change an organisation's details."""
    org = get_organisation(current_user, org_id)
    require_manager(current_user)
    form = OrganisationForm(obj=org)
    if not isinstance(form.segments.data, str):  # the stored list: a GET, or a POST without it
        form.segments.data = "\n".join(form.segments.data or [])
    if form.validate_on_submit():
        try:
            service.update_organisation(
                org,
                form.name.data,
                form.kind.data or "",
                form.branches.data or 0,
                service.clean_segments(form.segments.data or ""),
            )
        except Invalid:
            form.name.errors.append(_("An organisation with this name exists already."))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".show", org_id=org.id))
    return render_template(
        "organisations/form.html", form=form, org=org
    ), 400 if form.errors else 200


@bp.post("/<int:org_id>/assign")
@login_required
def assign(org_id: int):
    """An admin assigns a consultant or a member to the organisation."""
    org = get_organisation(current_user, org_id)
    if current_user.role != "admin":
        abort(403)
    form = AssignForm()
    form.user.choices = (
        [(form.user.data, "")] if form.user.data and 0 < form.user.data <= MAX_ID else []
    )
    user = users.get_user(form.user.data) if form.validate_on_submit() else None
    if user is None:
        abort(400)
    if user.role == "consultant":
        service.assign_consultant(org, user)
    else:
        service.set_member(org, user)
    flash(_("Assigned."), "success")
    return redirect(url_for(".show", org_id=org.id))
