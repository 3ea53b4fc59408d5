"""Accountable answers (issue 16): answer history, the activity (audit) page, the privacy
notice, erasing a respondent's personal data, and everything held about one e-mail address."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms import ConfirmForm
from ..services import audit, history, personal
from ..services.access import get_assessment, require_admin
from ..services.errors import Forbidden, NotFound
from .assessments import bank_of
from .helpers import respondent_label

bp = Blueprint("accountability", __name__)

#: What a viewer (a leader who reads) may open: reports, the standard, the KPI register (its
#: overview and each indicator), the organisation's pages, their own account. Every other
#: page, and every POST but logging out and their own password, is refused (403).
VIEWER_BLUEPRINTS = ("reports", "standards", "main")
VIEWER_ENDPOINTS = {
    "organisations.index",
    "organisations.show",
    "assessments.overview",
    "register.overview",
    "register.indicator",
    "accountability.privacy",
    "auth.logout",
    "auth.password",
    "auth.login",
    "static",
}
VIEWER_POSTS = {"auth.logout", "auth.password", "auth.login"}


@bp.before_app_request
def viewers_read_only():
    """A viewer changes nothing and sees only reports, the standard and the KPI register."""
    if request.routing_exception is not None or request.endpoint == "static":
        return None  # 404 and 405 as for everyone; static files load no user
    if "_user_id" not in session:  # anonymous: no user to load
        return None
    if not current_user.is_authenticated or current_user.role != "viewer":
        return None
    endpoint = request.endpoint or ""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if endpoint not in VIEWER_POSTS:
            raise Forbidden()
        return None
    if endpoint in VIEWER_ENDPOINTS or endpoint.split(".")[0] in VIEWER_BLUEPRINTS:
        return None
    raise Forbidden()


def history_texts() -> dict[str, str]:
    """Labels the history shows and exports, in this request's language."""
    return {
        "na": _("Not applicable"),
        "dk": _("Don't know"),
        "none": _("no answer"),
        "value": _("measured value"),
        "confidence": _("confidence"),
        "low": _("low"),
        "medium": _("medium"),
        "high": _("high"),
        "flag": _("marked for review"),
        "comment": _("Comment"),
        "evidence": _("Evidence"),
        "source_staff": _("questionnaire"),
        "source_consensus": _("workshop (agreed answer)"),
        "source_respondent": _("respondent"),
        "source_import": _("import"),
    }


@bp.get("/assessments/<int:assessment_id>/history")
@login_required
def assessment_history(assessment_id: int):
    """Every change of every answer of the assessment, newest first."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    items = history.entries(assessment, respondent_label)
    return render_template(
        "accountability/history.html",
        assessment=assessment,
        bank=bank,
        items=list(reversed(items)),
        question=None,
        texts=history_texts(),
        describe=history.describe,
    )


@bp.get("/assessments/<int:assessment_id>/history/<question_id>")
@login_required
def question_history(assessment_id: int, question_id: str):
    """Every change of one question's answers (the questionnaire's "History" link)."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    question = bank.question(question_id)
    if question is None:
        raise NotFound()
    items = history.entries(assessment, respondent_label, question_id)
    return render_template(
        "accountability/history.html",
        assessment=assessment,
        bank=bank,
        items=list(reversed(items)),
        question=question,
        texts=history_texts(),
        describe=history.describe,
    )


@bp.get("/assessments/<int:assessment_id>/history.csv", defaults={"kind": "csv"})
@bp.get("/assessments/<int:assessment_id>/history.xlsx", defaults={"kind": "xlsx"})
@login_required
def export_history(assessment_id: int, kind: str):
    """The assessment's answer history as CSV (UTF-8 with BOM) or XLSX."""
    assessment = get_assessment(current_user, assessment_id)
    rows = history.table(history.entries(assessment, respondent_label), history_texts())
    audit.record("export", assessment=assessment, user=current_user, what=f"history.{kind}")
    name = f"assessment-{assessment.id}-history.{kind}"
    if kind == "csv":
        return Response(
            "\ufeff" + history.to_csv(rows),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )
    return Response(
        history.to_xlsx(rows),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def require_activity_reader(org_id: int) -> None:
    """The activity page: the organisation's admins and its consultants, not members/viewers."""
    if current_user.role not in ("admin", "consultant"):
        raise Forbidden()


ACTION_TEXT = {
    "state": lambda: _("state changed"),
    "invite": lambda: _("respondent invited"),
    "reissue": lambda: _("link issued again"),
    "revoke": lambda: _("link revoked"),
    "import": lambda: _("imported"),
    "export": lambda: _("exported"),
    "approve": lambda: _("approved"),
    "erase": lambda: _("personal data erased"),
    "personal_data_export": lambda: _("personal data exported"),
}


@bp.get("/assessments/<int:assessment_id>/activity")
@login_required
def activity(assessment_id: int):
    """The assessment's audit trail: who did what, when, from which address."""
    assessment = get_assessment(current_user, assessment_id)
    require_activity_reader(assessment.organisation_id)
    labels = history.respondent_labels(assessment.id, respondent_label)
    return render_template(
        "accountability/activity.html",
        assessment=assessment,
        events=audit.events(assessment),
        action_text=ACTION_TEXT,
        respondents=labels,
    )


@bp.get("/organisations/<int:org_id>/activity")
@login_required
def organisation_activity(org_id: int):
    """The organisation's audit trail: every assessment's events and the standard's approvals."""
    from ..services.access import get_organisation

    org = get_organisation(current_user, org_id)
    require_activity_reader(org.id)
    return render_template(
        "accountability/org_activity.html",
        org=org,
        events=audit.organisation_events(org.id),
        action_text=ACTION_TEXT,
    )


@bp.get("/privacy")
def privacy():
    """The privacy notice (catalogue entries, in every language): what is kept about
    respondents, why, how long."""
    from flask import current_app

    return render_template(
        "accountability/privacy.html", months=current_app.config["PERSONAL_DATA_MONTHS"]
    )


@bp.post("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/erase")
@login_required
def erase(assessment_id: int, respondent_id: int):
    """Erase a respondent's name and e-mail on request; the answers stay, unnamed."""
    assessment = get_assessment(current_user, assessment_id)
    if current_user.role == "viewer":
        raise Forbidden()
    item = personal.respondent_of(assessment, respondent_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "1":
        from .respondents import InviteForm, render_invite

        flash(_("Nothing was erased: tick the confirmation first."), "error")
        return render_invite(assessment, InviteForm(formdata=None), status=400)
    personal.erase_respondent(item)
    audit.record("erase", assessment=assessment, user=current_user, respondent=item.id)
    flash(
        _(
            "The respondent's name and e-mail address were erased. Their answers stay, "
            "without a name."
        ),
        "success",
    )
    return redirect(url_for("respondents.invite", assessment_id=assessment.id))


@bp.get("/admin/personal-data")
@login_required
def personal_data():
    """Administrators: everything the application holds about one e-mail address (JSON)."""
    require_admin(current_user)
    email = (request.args.get("email") or "").strip()
    if not email:
        return render_template("accountability/personal_data.html", email="")
    if len(email) > 254 or "@" not in email:
        return render_template(
            "accountability/personal_data.html", email=email, error=_("Enter an e-mail address.")
        ), 400
    data = personal.export(email)
    audit.record("personal_data_export", user=current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=personal-data.json"},
    )
