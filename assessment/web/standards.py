"""The customer service standard (guideline 2.2): draft from the gaps, edit, approve, publish.

Addresses: `/organisations/<id>/standard` (HTML), `.docx`, `.pdf`, the sections' forms under
`/organisations/<id>/standard/versions/<n>/…`, and the public page `/standards/<slug>` (no login;
only an approved version the organisation chose to publish).

The views commit nothing: the request boundary (assessment/transactions.py) commits a redirect
and rolls back a refusal (a 4xx page), so a refused form stores nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import standard as doc
from ..forms import ApproveStandardForm, CSRFOnlyForm, NewStandardForm
from ..models import Organisation, Standard, StandardVersion
from ..services import audit
from ..services import standards as service
from ..services.access import get_organisation
from ..services.banks import get_bank
from ..services.errors import Invalid, NotFound
from .helpers import MAX_ID, current_lang

bp = Blueprint("standards", __name__)

SECTION_ENDPOINT = "standards.section"


def problem_messages() -> dict[str, str]:
    """The validation codes of domain.standard in the user's language."""
    return {
        "required": _("This field is required."),
        "too_long": _("Too long: at most %(max)s characters."),
        "line_too_long": _("A line is too long: at most %(max)s characters a line."),
        "too_many": _("Too many entries: at most %(max)s."),
        "scope_empty": _(
            "Choose the scope of the standard: the whole institution, named "
            "branches, named services or every contact with a client."
        ),
        "scope_names": _("Name at least one branch or service, one a line."),
        "channel_kind": _("Choose the kind of channel: in person, remote or telephone."),
        "hours": _(
            "The hours name a time that does not exist. Write times as 8:30–17:00 "
            "(hours 0–24, minutes 00–59)."
        ),
        "email": _("Enter valid e-mail addresses, separated by commas."),
        "website": _("Enter a web address such as https://www.example.lv."),
        "target_required": _("Every indicator needs a target (the value to reach)."),
    }


def refusal(code: str) -> str:
    """A service refusal (Invalid) in the user's language."""
    return {
        "exists": _("This organisation already has a standard."),
        "draft_exists": _("A draft is already being prepared: finish or approve it first."),
        "not_draft": _(
            "Only a draft can be changed: approved versions are kept as they were. "
            "Start a new version to make changes."
        ),
        "incomplete": _(
            "The standard cannot be approved yet: it needs a scope, at least one "
            "principle, one service norm, one channel and one indicator."
        ),
        "nothing_approved": _("Only an approved version can be published."),
        "decided": _("This suggestion has already been decided."),
        "language": _("Choose one of the languages offered."),
    }.get(code, _("The request could not be carried out."))


@bp.errorhandler(413)
def too_large(exc):
    """A form over the request limit (a 5 MB principle): said in terms of the standard's texts."""
    from .error_pages import error_page

    return error_page(
        413,
        _("Text too long"),
        _(
            "Nothing was saved: the form is too large. One entry of the standard may have at most "
            "%(max)s characters; shorten the text and send it again.",
            max=doc.MAX_TEXT,
        ),
    )


def refuse(code: str):
    """Raise a 400 (or 409 for a state conflict) with the refusal in the user's language."""
    raise Invalid(refusal(code))


# --- loading, with access checked ----------------------------------------------------------------


def load(org_id: int) -> tuple[Organisation, Standard | None]:
    """The organisation (404 unless the user may see it) and its standard."""
    org = get_organisation(current_user, org_id)
    return org, service.get_standard(org)


def load_version(org_id: int, number: int) -> tuple[Organisation, Standard, StandardVersion]:
    """Organisation, standard and one of its versions; 404 when any is missing or hidden."""
    org, standard = load(org_id)
    if standard is None:
        raise NotFound()
    return org, standard, service.get_version(standard, number)


def chosen_version(standard: Standard) -> StandardVersion:
    """?version=N, else the version in force, else the newest."""
    number = request.args.get("version", "")
    if number:
        if not number.isdigit() or not 0 < int(number) <= MAX_ID:
            abort(404)
        return service.get_version(standard, int(number))
    return service.current_approved(standard) or service.latest(standard)


def _question_texts(version: StandardVersion, lang: str) -> dict[str, str]:
    """Question id → its text, from the assessment the suggestions came from."""
    assessment = service.source_assessment(version)
    bank = get_bank(assessment.bank_id, assessment.bank_version) if assessment else None
    if bank is None:
        return {}
    return {q.id: q.text.get(lang) for q in bank.questions}


# --- pages ---------------------------------------------------------------------------------------


@bp.get("/organisations/<int:org_id>/standard")
@login_required
def show(org_id: int):
    """The standard: the version in force (or ?version=N), its suggestions, actions, versions."""
    org, standard = load(org_id)
    if standard is None:
        assessment = service.latest_completed_assessment(org)
        form = NewStandardForm(language=assessment.language if assessment else current_lang())
        return render_template(
            "standards/start.html",
            org=org,
            form=form,
            assessment=assessment,
            can_edit=service.can_edit(current_user),
        )
    version = (
        chosen_version(standard)
        if request.args.get("version")
        else (
            service.draft_of(standard)
            or service.current_approved(standard)
            or service.latest(standard)
        )
    )
    return render_version(org, standard, version)


def render_version(
    org: Organisation,
    standard: Standard,
    version: StandardVersion,
    approve_form: ApproveStandardForm | None = None,
    status: int = 200,
):
    """The page of one version (with the approval form, possibly carrying errors)."""
    lang = standard.language
    editable = version.state == "draft" and service.can_edit(current_user)
    items = doc.guideline_items()
    pending = [s for s in version.suggestions if s["status"] == "pending"]
    if approve_form is None:
        approve_form = ApproveStandardForm()
    return render_template(
        "standards/show.html",
        org=org,
        standard=standard,
        version=version,
        blocks=doc.blocks(version.content, lang),
        doc_lang=lang,
        L=doc.LABELS[lang],
        editable=editable,
        can_edit=service.can_edit(current_user),
        pending=pending,
        decided=[s for s in version.suggestions if s["status"] != "pending"],
        items=items,
        questions=_question_texts(version, current_lang()),
        missing=doc.completeness(version.content),
        approve_form=approve_form,
        confirm=CSRFOnlyForm(),
        draft=service.draft_of(standard),
        approved=service.current_approved(standard),
        sections=doc.COMPONENTS,
        titles={s: doc.component_title(s, current_lang()) for s in doc.SECTIONS},
    ), status


@bp.post("/organisations/<int:org_id>/standard")
@login_required
def create(org_id: int):
    """Draft the standard: the guideline's principles, and suggestions from the gaps."""
    org, standard = load(org_id)
    service.require_editor(current_user)
    if standard is not None:
        refuse("exists")
    form = NewStandardForm()
    if not form.validate_on_submit():
        refuse("language")
    try:
        standard = service.create_standard(org, form.language.data, current_user)
    except Invalid as exc:
        refuse(exc.message)
    flash(
        _(
            "The draft of the standard is ready. Review the suggestions from the assessment "
            "and fill in each section."
        ),
        "success",
    )
    return redirect(url_for(".show", org_id=org.id))


@bp.post("/organisations/<int:org_id>/standard/versions")
@login_required
def new_version(org_id: int):
    """Start the next version from the newest one."""
    org, standard = load(org_id)
    service.require_editor(current_user)
    if standard is None:
        raise NotFound()
    _csrf_only()
    try:
        version = service.new_version(standard, current_user)
    except Invalid as exc:
        refuse(exc.message)
    flash(_("Version %(n)s started as a draft.", n=version.number), "success")
    return redirect(url_for(".show", org_id=org.id, version=version.number))


@bp.get("/organisations/<int:org_id>/standard/versions/<int:number>")
@login_required
def version(org_id: int, number: int):
    """One version, whatever its state."""
    org, standard, item = load_version(org_id, number)
    return render_version(org, standard, item)


def _csrf_only() -> None:
    if not CSRFOnlyForm().validate_on_submit():
        abort(400)


# --- editing one section -------------------------------------------------------------------------

ROW_FIELDS = {
    "principles": ("p", ("title", "text", "key")),
    "qualification": ("c", ("text", "key")),
    "norms": ("c", ("text", "key")),
    "client": ("c", ("text", "key")),
    "channels": ("ch", ("kind",) + doc.CHANNEL_FIELDS),
    "indicators": ("i", doc.INDICATOR_FIELDS + ("key",)),
}


def rows_from_content(section: str, value: Any) -> list[dict[str, Any]]:
    """The section's stored entries as form rows, with two blank rows to add to."""
    prefix, fields = ROW_FIELDS[section]
    rows = [{"n": n, **{f: entry.get(f, "") for f in fields}} for n, entry in enumerate(value)]
    for n in range(len(rows), len(rows) + 2):
        rows.append({"n": n, **{f: "" for f in fields}})
    return rows


def rows_from_form(section: str) -> list[dict[str, Any]]:
    """The rows as sent (shown again with the errors; nothing stored). Long texts are cut for
    display only."""
    prefix, fields = ROW_FIELDS[section]
    numbers = doc._rows(request.form, prefix)[: doc.MAX_ROWS + 2]
    return [
        {
            "n": n,
            "remove": bool(request.form.get(f"{prefix}-{n}-remove")),
            **{f: (request.form.get(f"{prefix}-{n}-{f}") or "")[: doc.MAX_TEXT] for f in fields},
        }
        for n in numbers
    ]


def offers_for(section: str, value: Any, lang: str, sent: bool = False) -> list[dict[str, Any]]:
    """The guideline's items of this component that the section does not hold yet."""
    if section not in doc.LIST_SECTIONS + ("indicators",):
        return []
    present = {e.get("key") for e in value if e.get("key")}
    out = []
    for item in doc.offered(section):
        if item.key in present:
            continue
        entry = item.content(lang)
        slot = f"offer-{item.key}"
        if sent:
            entry = {
                f: (request.form.get(f"{slot}-{f}") or "")[: doc.MAX_TEXT]
                for f in entry
                if f != "key"
            }
        out.append(
            {
                "key": item.key,
                "slot": slot,
                "clause": item.clause,
                "add": sent and bool(request.form.get(f"{slot}-add")),
                **entry,
            }
        )
    return out


@bp.route(
    "/organisations/<int:org_id>/standard/versions/<int:number>/sections/<section>",
    methods=["GET", "POST"],
)
@login_required
def section(org_id: int, number: int, section: str):
    """Edit one component of a draft; bad input is shown again with messages, nothing stored."""
    org, standard, item = load_version(org_id, number)
    if section not in doc.SECTIONS:
        raise NotFound()
    service.require_editor(current_user)
    if item.state != "draft":
        raise Invalid(refusal("not_draft"))
    lang = standard.language
    form = CSRFOnlyForm()
    errors: dict[str, str] = {}
    value = item.content.get(section)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        new_value, problems = doc.parse_section(section, request.form)
        if not problems:
            service.save_section(item, section, new_value, current_user)
            flash(_("Saved."), "success")
            return redirect(
                url_for(".show", org_id=org.id, version=item.number, _anchor=f"section-{section}")
            )
        words = problem_messages()
        for p in problems:  # the first problem of a field says the most (too long, then empty)
            errors.setdefault(p.field, words[p.code] % p.params if p.params else words[p.code])
    sent = request.method == "POST"
    if section == "scope":
        scope = value or {}
        data = (
            {
                k: (request.form.get(k) or "")[: doc.MAX_TEXT]
                for k in ("kind", "names", "clients", "note")
            }
            if sent
            else {
                "kind": scope.get("kind", ""),
                "names": "\n".join(scope.get("names", [])),
                "clients": "\n".join(scope.get("clients", [])),
                "note": scope.get("note", ""),
            }
        )
        rows = []
    else:
        data = {}
        rows = rows_from_form(section) if sent else rows_from_content(section, value or [])
    return render_template(
        "standards/section.html",
        org=org,
        standard=standard,
        version=item,
        section=section,
        clause=doc.clause_of(section),
        title=doc.component_title(section, current_lang()),
        data=data,
        rows=rows,
        offers=offers_for(section, value or [], lang, sent),
        errors=errors,
        form=form,
        L=doc.LABELS[current_lang()],
        doc_lang=lang,
        scope_kinds=doc.SCOPE_KINDS,
        channel_kinds=doc.CHANNEL_KINDS,
        channel_fields=doc.CHANNEL_FIELDS,
        indicator_fields=doc.INDICATOR_FIELDS,
    ), 400 if errors else 200


# --- suggestions, approval, publication ---------------------------------------------------------


@bp.post("/organisations/<int:org_id>/standard/versions/<int:number>/suggestions/<int:sid>")
@login_required
def decide(org_id: int, number: int, sid: int):
    """Accept a suggestion (added to its component) or discard it."""
    org, standard, item = load_version(org_id, number)
    service.require_editor(current_user)
    _csrf_only()
    action = request.form.get("action")
    if action not in ("accept", "discard"):
        abort(400)
    try:
        found = service.decide_suggestion(
            item, sid, action == "accept", current_user, standard.language
        )
    except Invalid as exc:
        refuse(exc.message)
    flash(
        _("Suggestion accepted and added to the standard.")
        if action == "accept"
        else _("Suggestion discarded."),
        "success",
    )
    return redirect(
        url_for(
            ".show",
            org_id=org.id,
            version=item.number,
            _anchor=f"section-{found['section']}" if action == "accept" else "suggestions",
        )
    )


@bp.post("/organisations/<int:org_id>/standard/versions/<int:number>/suggestions/refresh")
@login_required
def refresh(org_id: int, number: int):
    """Suggestions from the latest completed assessment again (decisions kept)."""
    org, standard, item = load_version(org_id, number)
    service.require_editor(current_user)
    _csrf_only()
    try:
        pending = service.refresh_suggestions(item, current_user)
    except Invalid as exc:
        refuse(exc.message)
    flash(_("Suggestions updated: %(n)s waiting for a decision.", n=pending), "success")
    return redirect(url_for(".show", org_id=org.id, version=item.number, _anchor="suggestions"))


@bp.post("/organisations/<int:org_id>/standard/versions/<int:number>/approve")
@login_required
def approve(org_id: int, number: int):
    """Record leadership's approval: by whom, which order or decision, on which date."""
    org, standard, item = load_version(org_id, number)
    service.require_editor(current_user)
    if item.state != "draft":
        refuse("not_draft")
    form = ApproveStandardForm()
    if not form.validate_on_submit():
        return render_version(org, standard, item, approve_form=form, status=400)
    try:
        service.approve(
            item,
            form.approved_by.data.strip(),
            form.decision_number.data.strip(),
            form.approved_on.data,
            current_user,
        )
    except Invalid as exc:
        refuse(exc.message)
    audit.record("approve", organisation_id=org.id, user=current_user, standard_version=item.number)
    flash(_("Version %(n)s approved.", n=item.number), "success")
    return redirect(url_for(".show", org_id=org.id, version=item.number))


@bp.post("/organisations/<int:org_id>/standard/publish")
@login_required
def publish(org_id: int):
    """Show the approved version on the public page, or take it off."""
    org, standard = load(org_id)
    service.require_editor(current_user)
    if standard is None:
        raise NotFound()
    _csrf_only()
    action = request.form.get("action")
    if action not in ("publish", "unpublish"):
        abort(400)
    try:
        service.publish(standard, current_user, action == "publish")
    except Invalid as exc:
        refuse(exc.message)
    flash(
        _("Published: clients can read the standard at its public address.")
        if action == "publish"
        else _("The public page is taken down."),
        "success",
    )
    return redirect(url_for(".show", org_id=org.id))


# --- comparing and downloading ------------------------------------------------------------------


@bp.get("/organisations/<int:org_id>/standard/diff")
@login_required
def diff(org_id: int):
    """What changed between two versions (?from=N&to=M), line by line."""
    org, standard = load(org_id)
    if standard is None:
        raise NotFound()
    numbers = []
    for name in ("from", "to"):
        raw = request.args.get(name, "")
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
            abort(404)
        numbers.append(int(raw))
    old, new = (service.get_version(standard, n) for n in numbers)
    t = doc.LABELS[standard.language]
    lines = doc.diff_lines(
        old.content,
        new.content,
        standard.language,
        f"{t['version']} {old.number}",
        f"{t['version']} {new.number}",
    )
    return render_template(
        "standards/diff.html",
        org=org,
        standard=standard,
        old=old,
        new=new,
        lines=lines,
        doc_lang=standard.language,
    )


def _download(org_id: int, kind: str):
    from ..reporting.standard import from_version, render_docx, render_pdf

    org, standard = load(org_id)
    if standard is None:
        raise NotFound()
    item = chosen_version(standard)
    sd = from_version(item, org.name, standard.language)
    name = f"standard-{org.id}-v{item.number}"
    if kind == "docx":
        return Response(
            render_docx(sd),
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": f"attachment; filename={name}.docx"},
        )
    return Response(
        render_pdf(sd),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename={name}.pdf"},
    )


@bp.get("/organisations/<int:org_id>/standard.docx")
@login_required
def docx(org_id: int):
    """The standard as an editable Word document (?version=N; default: the one in force)."""
    return _download(org_id, "docx")


@bp.get("/organisations/<int:org_id>/standard.pdf")
@login_required
def pdf(org_id: int):
    """The standard as a PDF (?version=N; default: the one in force)."""
    return _download(org_id, "pdf")


# --- the public page ------------------------------------------------------------------------------


@bp.get("/standards/<slug>")
def public(slug: str):
    """The published, approved version: no login; anything else is 404."""
    if len(slug) > 80:
        raise NotFound()
    found = service.public_version(slug)
    if found is None:
        raise NotFound()
    standard, item = found
    org = service.organisation_of(standard)
    lang = standard.language
    return render_template(
        "standards/public.html",
        org=org,
        standard=standard,
        version=item,
        blocks=doc.blocks(item.content, lang),
        doc_lang=lang,
        L=doc.LABELS[lang],
    )
