"""The KPI register pages (guideline 2.2.7, 2.3.4): the overview, an indicator, figures.

Addresses: `/organisations/<id>/kpi` (overview, filters ?channel= &service= &segment=),
`…/kpi/new`, `…/kpi/from-standard`, `…/kpi/upload`, `…/kpi/template.csv|.xlsx` (?lang=),
and `/kpi/<indicator id>` (trend, data table, history, the figure form), `…/edit`, `…/values`,
`…/evidence`, `…/link`. Access: everyone who may see the organisation (services.register).

The views commit nothing: the request boundary (assessment/transactions.py) commits a redirect
and rolls back a refused form (400), so a refusal stores nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import i18n, kpi
from ..forms import CSRFOnlyForm
from ..reporting.kpi_chart import trend_svg
from ..services import register as service
from ..services.access import get_organisation
from .helpers import MAX_ID, current_lang

bp = Blueprint("register", __name__)

FIELDS = (
    "name",
    "definition",
    "channel",
    "service",
    "segment",
    "unit",
    "direction",
    "baseline",
    "target",
    "amber",
    "data_source",
    "owner_id",
    "period_kind",
    "review_on",
)


def status_labels() -> dict[str, str]:
    """The four statuses in the user's language."""
    return {
        "green": _("On target"),
        "amber": _("Near target (amber)"),
        "red": _("Off target"),
        "none": _("No figure"),
    }


def period_kind_labels() -> dict[str, str]:
    return {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}


def direction_labels() -> dict[str, str]:
    return {"higher": _("Higher is better"), "lower": _("Lower is better")}


def _id(text: str | None) -> int | None:
    """A positive database id from a form field, else None."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


# --- the overview --------------------------------------------------------------------------------


def _filters() -> dict[str, str]:
    return {
        name: (request.args.get(name) or "").strip()[:200]
        for name in ("channel", "service", "segment")
    }


def render_overview(org_id: int, upload_error: str = "", status: int = 200):
    org = get_organisation(current_user, org_id)
    filters = _filters()
    rows = service.overview(current_user, org.id, **filters)
    counts = {s: sum(r.status == s for r in rows) for s in kpi.STATUSES}
    return render_template(
        "register/overview.html",
        org=org,
        rows=rows,
        filters=filters,
        counts=counts,
        choices=service.filter_choices(current_user, org.id),
        standard_rows=service.standard_rows(current_user, org.id),
        form=CSRFOnlyForm(),
        statuses=status_labels(),
        kinds=period_kind_labels(),
        upload_error=upload_error,
        today=dt.date.today(),
    ), status


@bp.get("/organisations/<int:org_id>/kpi")
@login_required
def overview(org_id: int):
    """Every indicator with its last complete period's status, filterable."""
    return render_overview(org_id)


@bp.post("/organisations/<int:org_id>/kpi/from-standard")
@login_required
def from_standard(org_id: int):
    """One row of the approved standard's 2.2.7 table (key=…) or all of them (key=all)."""
    get_organisation(current_user, org_id)
    key = (request.form.get("key") or "").strip()
    if not key:
        return render_overview(org_id, _("Choose an indicator of the standard."), 400)
    keys = None if key == "all" else [key[:200]]
    try:
        made = service.indicators_from_standard(
            current_user, org_id, keys, request.form.get("period_kind") or "month"
        )
    except service.RegisterInvalid as refused:
        return render_overview(org_id, service.problem_message(refused), 400)
    if len(made) == 1:
        return redirect(url_for("register.indicator", indicator_id=made[0].id, saved=1))
    return redirect(url_for("register.overview", org_id=org_id, saved=1))


@bp.post("/organisations/<int:org_id>/kpi/upload")
@login_required
def upload(org_id: int):
    """Figures from a CSV or XLSX file in the template: all lines checked, all or none stored."""
    get_organisation(current_user, org_id)
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_overview(org_id, _("Choose a CSV or XLSX file to upload."), 400)
    try:
        rows = service.upload_values(current_user, org_id, file.filename, file.read())
    except service.RegisterInvalid as refused:
        return render_overview(org_id, service.problem_message(refused), 400)
    from flask import flash

    flash(_("%(n)s figures saved.", n=len(rows)), "success")
    return redirect(url_for("register.overview", org_id=org_id))


def _template_lang() -> str:
    wanted = request.args.get("lang", "")
    return wanted if wanted in i18n.languages() else current_lang()


@bp.get("/organisations/<int:org_id>/kpi/template.csv")
@login_required
def template_csv(org_id: int):
    """The upload template as CSV (UTF-8 with BOM, `;` between cells, as Excel in Latvia)."""
    lang = _template_lang()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(kpi.headers(lang))
    for indicator_id, name, period in service.template_rows(current_user, org_id):
        writer.writerow([indicator_id, _csv_safe(name), period, "", ""])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="kpi-{org_id}-{lang}.csv"'},
    )


def _csv_safe(text: str) -> str:
    """A name that a spreadsheet would read as a formula starts with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/organisations/<int:org_id>/kpi/template.xlsx")
@login_required
def template_xlsx(org_id: int):
    """The upload template as an XLSX workbook."""
    from openpyxl import Workbook

    lang = _template_lang()
    rows = service.template_rows(current_user, org_id)
    book = Workbook()
    sheet = book.active
    sheet.title = i18n.gettext(lang, i18n.M_("Indicators"))
    sheet.append(kpi.headers(lang))
    for indicator_id, name, period in rows:
        sheet.append([indicator_id, _csv_safe(name), period, None, None])
    for column, width in zip("ABCDE", (14, 40, 12, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    data = io.BytesIO()
    book.save(data)
    return Response(
        data.getvalue(),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={"Content-Disposition": f'attachment; filename="kpi-{org_id}-{lang}.xlsx"'},
    )


# --- defining ------------------------------------------------------------------------------------


def _form_data() -> tuple[service.IndicatorData | None, dict[str, str], dict[str, str]]:
    """The posted definition: (data or None, the raw values, errors by field)."""
    raw = {name: (request.form.get(name) or "") for name in FIELDS}
    errors: dict[str, str] = {}
    owner = raw["owner_id"].strip()
    review = raw["review_on"].strip()
    review_on = None
    if review:
        try:
            if len(review) != 10:
                raise ValueError(review)
            review_on = dt.date.fromisoformat(review)
        except ValueError:
            errors["review_on"] = _("Enter the date as YYYY-MM-DD, such as 2027-01-31.")
    owner_id = None
    if owner:
        owner_id = _id(owner)
        if owner_id is None:
            errors["owner_id"] = service.problem_message(
                service.RegisterInvalid("owner", "owner_id")
            )
    if errors:
        return None, raw, errors
    data = service.IndicatorData(
        name=raw["name"],
        target=raw["target"],
        unit=raw["unit"],
        direction=raw["direction"],
        amber=raw["amber"],
        baseline=raw["baseline"],
        definition=raw["definition"],
        channel=raw["channel"],
        service=raw["service"],
        segment=raw["segment"],
        data_source=raw["data_source"],
        owner_id=owner_id,
        period_kind=raw["period_kind"],
        review_on=review_on,
    )
    return data, raw, errors


def _defaults(item=None) -> dict[str, str]:
    if item is None:
        return {name: "" for name in FIELDS} | {"direction": "higher", "period_kind": "month"}
    from .helpers import fmt_measured

    return {
        "name": item.name,
        "definition": item.definition,
        "channel": item.channel,
        "service": item.service,
        "segment": item.segment,
        "unit": item.unit,
        "direction": item.direction,
        "baseline": fmt_measured(item.baseline) if item.baseline is not None else "",
        "target": fmt_measured(item.target),
        "amber": fmt_measured(item.amber or 0),
        "data_source": item.data_source,
        "owner_id": str(item.owner_id or ""),
        "period_kind": item.period_kind,
        "review_on": item.review_on.isoformat() if item.review_on else "",
    }


def render_form(org, item, values, errors, status=200):
    return render_template(
        "register/form.html",
        org=org,
        item=item,
        values=values,
        errors=errors,
        form=CSRFOnlyForm(),
        owners=service.possible_owners(current_user, org.id),
        kinds=period_kind_labels(),
        directions=direction_labels(),
    ), status


def _save(org, item):
    data, raw, errors = _form_data()
    if data is not None:
        try:
            if item is None:
                item = service.create_indicator(current_user, org.id, data)
            else:
                item = service.update_indicator(current_user, item.id, data)
        except service.RegisterInvalid as refused:
            errors[refused.field or "name"] = service.problem_message(refused)
    if errors:
        return render_form(org, item if item and item.id else None, raw, errors, 400)
    return redirect(url_for("register.indicator", indicator_id=item.id, saved=1))


@bp.route("/organisations/<int:org_id>/kpi/new", methods=["GET", "POST"])
@login_required
def new(org_id: int):
    """Define an indicator directly."""
    org = get_organisation(current_user, org_id)
    if request.method == "POST":
        return _save(org, None)
    return render_form(org, None, _defaults(), {})


@bp.route("/kpi/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit(indicator_id: int):
    """Change an indicator's definition (its figures stay)."""
    item = service.get_indicator(current_user, indicator_id)
    org = get_organisation(current_user, item.organisation_id)
    if request.method == "POST":
        return _save(org, item)
    return render_form(org, item, _defaults(item), {})


# --- one indicator -------------------------------------------------------------------------------


def _periods_shown() -> int:
    raw = request.args.get("periods", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 120 else 0


def render_indicator(
    indicator_id: int,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
):
    item = service.get_indicator(current_user, indicator_id)
    org = get_organisation(current_user, item.organisation_id)
    shown = _periods_shown() or {"month": 12, "quarter": 8, "year": 5}[item.period_kind]
    points = service.series(current_user, item.id, periods=shown)
    lang = current_lang()
    title = _("%(name)s: figures by period against the target", name=item.name)
    corrections = [r for r in service.history(current_user, item.id)]
    latest_ids = {p.row.id for p in points if p.row is not None}
    owners = {u.id: (u.name or u.email) for u in service.possible_owners(current_user, org.id)}
    return render_template(
        "register/indicator.html",
        org=org,
        item=item,
        points=points,
        chart=trend_svg(points, item.target, item.unit, title, lang),
        chart_title=title,
        history=[r for r in corrections if r.id not in latest_ids],
        form=CSRFOnlyForm(),
        statuses=status_labels(),
        kinds=period_kind_labels(),
        directions=direction_labels(),
        errors=errors or {},
        values=values or {"period": service.last_complete_period(item), "value": "", "comment": ""},
        owner_name=owners.get(item.owner_id, ""),
        assessments=service.indicator_questions(current_user, org.id),
        last_period=service.last_complete_period(item),
    ), status


@bp.get("/kpi/<int:indicator_id>")
@login_required
def indicator(indicator_id: int):
    """The trend chart with the target line, the data table, corrections, the figure form."""
    return render_indicator(indicator_id)


@bp.post("/kpi/<int:indicator_id>/values")
@login_required
def record(indicator_id: int):
    """A figure of one period (a correction when the period has one)."""
    values = {
        name: (request.form.get(name) or "")[:2100] for name in ("period", "value", "comment")
    }
    try:
        service.record_value(
            current_user, indicator_id, values["period"], values["value"], values["comment"]
        )
    except service.RegisterInvalid as refused:
        return render_indicator(
            indicator_id, {refused.field or "value": service.problem_message(refused)}, values, 400
        )
    return redirect(url_for("register.indicator", indicator_id=indicator_id, saved=1))


def _target() -> tuple[int | None, str]:
    """The assessment and question chosen in the evidence and link forms ("<id>:<question>")."""
    raw = (request.form.get("target") or "").strip()
    assessment, _sep, question = raw.partition(":")
    return _id(assessment), question[:130]


@bp.post("/kpi/<int:indicator_id>/evidence")
@login_required
def evidence(indicator_id: int):
    """Attach the measured series to a questionnaire answer as evidence."""
    return _to_answer(
        indicator_id, service.attach_evidence, _("The figures were added to the answer's evidence.")
    )


@bp.post("/kpi/<int:indicator_id>/link")
@login_required
def link(indicator_id: int):
    """Let a bank indicator question take the figure of the latest complete period."""
    return _to_answer(
        indicator_id,
        service.link_question,
        _("The question now takes its figure from the register."),
    )


def _to_answer(indicator_id: int, action, done: str):
    from flask import flash

    service.get_indicator(current_user, indicator_id)
    assessment_id, question_id = _target()
    if assessment_id is None or not question_id:
        return render_indicator(
            indicator_id, {"target": _("Choose an assessment's question.")}, status=400
        )
    try:
        action(current_user, indicator_id, assessment_id, question_id)
    except service.RegisterInvalid as refused:
        return render_indicator(
            indicator_id, {"target": service.problem_message(refused)}, status=400
        )
    flash(done, "success")
    return redirect(url_for("register.indicator", indicator_id=indicator_id))


@bp.app_template_global("kpi_labels")
def kpi_labels(lang: str) -> dict[str, str]:
    """The report's KPI section texts in the report's language (reporting.kpi_report)."""
    from ..reporting.kpi_report import LABELS

    return LABELS[lang]
