"""The maturity report: HTML, PDF, DOCX, and the action plan's owners, due dates and statuses."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import i18n
from ..forms import ActionForm
from ..models import Assessment
from ..services import audit, register, results
from ..services.access import get_assessment
from ..services.action_plan import action_meta, store_action
from ..services.errors import Forbidden
from .assessments import bank_of
from .filenames import assessment_filename, disposition

bp = Blueprint("reports", __name__)


def build(assessment: Assessment, lang: str):
    """The Report object for this assessment, in `lang` (services.results computes it), with
    the KPI register's indicators off target or without a figure."""
    from ..reporting.kpi_report import kpi_lines

    report = results.assessment_report(
        assessment, bank_of(assessment), lang, action_meta(assessment)
    )
    # as of the assessment's date: its completion date, today while in progress
    report.kpi = kpi_lines(
        register.attention(assessment.organisation_id, today=assessment.as_of), lang
    )
    return report


def report_lang(assessment: Assessment) -> str:
    """The assessment's language, or the other one when asked (?lang=)."""
    lang = request.args.get("lang")
    return lang if lang in i18n.languages() else assessment.language


@bp.get("/assessments/<int:assessment_id>/report")
@login_required
def html(assessment_id: int):
    """The report as a web page, printable (A4 print stylesheet)."""
    from ..reporting.labels import LABELS, fmt_date, fmt_num

    assessment = get_assessment(current_user, assessment_id)
    lang = report_lang(assessment)
    report = build(assessment, lang)
    return render_template(
        "reports/report.html",
        assessment=assessment,
        report=report,
        L=LABELS[lang],
        fmt_num=fmt_num,
        fmt_date=fmt_date,
        report_lang=lang,
        can_edit=not assessment.state == "archived",
    )


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def pdf(assessment_id: int):
    """The report as a PDF for printing and signing."""
    from ..reporting.pdf import render_pdf

    assessment = get_assessment(current_user, assessment_id)
    data = render_pdf(build(assessment, report_lang(assessment)))
    audit.record("export", assessment=assessment, user=current_user, what="report.pdf")
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": disposition(assessment_filename(assessment, "pdf"), inline=True)
        },
    )


@bp.get("/assessments/<int:assessment_id>/report.docx")
@login_required
def docx(assessment_id: int):
    """The report as an editable DOCX (Word, LibreOffice), with the PDF's sections."""
    from ..reporting.docx import DOCX_MIMETYPE, render_docx

    assessment = get_assessment(current_user, assessment_id)
    data = render_docx(build(assessment, report_lang(assessment)))
    audit.record("export", assessment=assessment, user=current_user, what="report.docx")
    return Response(
        data,
        mimetype=DOCX_MIMETYPE,
        headers={"Content-Disposition": disposition(assessment_filename(assessment, "docx"))},
    )


@bp.get("/assessments/<int:assessment_id>/actions.xlsx")
@login_required
def actions_xlsx(assessment_id: int):
    """The action plan as an Excel workbook, in the report's language (?lang=)."""
    from ..services.spreadsheets import actions_xlsx as render
    from .assessments import XLSX_MIMETYPE

    assessment = get_assessment(current_user, assessment_id)
    lang = report_lang(assessment)
    data = render(build(assessment, lang))
    kind = i18n.gettext(lang, i18n.M_("action plan"))
    return Response(
        data,
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": disposition(assessment_filename(assessment, "xlsx", kind))},
    )


@bp.post("/assessments/<int:assessment_id>/actions/<question_id>")
@login_required
def update_action(assessment_id: int, question_id: str):
    """Store the owner, due date and status of one action of the plan."""
    assessment = get_assessment(current_user, assessment_id)
    if bank_of(assessment).question(question_id) is None:
        abort(404)
    if assessment.state == "archived":  # an archived assessment changes no more
        raise Forbidden()
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The action was not saved: check the date and the status."), "error")
        return redirect(
            url_for(".html", assessment_id=assessment.id, _anchor=f"action-{question_id}")
        ), 303
    store_action(
        assessment, question_id, (form.owner.data or "").strip(), form.due.data, form.status.data
    )
    flash(_("Action saved."), "success")
    return redirect(url_for(".html", assessment_id=assessment.id, _anchor=f"action-{question_id}"))
