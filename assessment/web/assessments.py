"""Assessments: create, overview, the questionnaire (nothing lost), review, states, files."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from ..domain import answer_form
from ..domain.answer_form import FormAnswer
from ..domain.answers import content_digest, parse_answers
from ..domain.bank import Bank, Dimension
from ..domain.errors import DomainError
from ..extensions import limiter
from ..forms import AssessmentForm, ConfirmForm, ImportForm, SettingsForm
from ..models import Assessment, User
from ..services import assessments as service
from ..services import audit, files, kept
from ..services import respondents as rservice
from ..services.access import get_assessment, get_organisation
from ..services.answer_rows import answer_from_row
from ..services.banks import default_bank, get_bank, installed_banks, registry
from ..services.errors import Invalid, NotFound
from ..services.review import build_review
from .filenames import assessment_filename, disposition
from .helpers import current_lang
from .question_markup import QuestionText, question_texts

bp = Blueprint("assessments", __name__)

ERROR_TEXT = {
    "choice": lambda: _("Choose one of the options."),
    "comment_long": lambda: _("The comment is too long (at most 20,000 characters)."),
    "evidence_title": lambda: _("Each evidence item needs a title."),
    "evidence_title_long": lambda: _("An evidence title is too long (at most 500 characters)."),
    "evidence_url": lambda: _("A link must start with http:// or https://."),
    "evidence_date": lambda: _("A date must be a valid date (YYYY-MM-DD)."),
    "evidence_many": lambda: _("At most 100 evidence items per question."),
    "value": lambda: _("The measured value must be a number, e.g. 87.5 (at most 15 digits)."),
    "value_missing": lambda: _("Enter the measured value, or choose Not applicable or Don't know."),
    "value_and_choice": lambda: _(
        "Give either a measured value or Not applicable or Don't know, not both."
    ),
    "period": lambda: _(
        "The period must be a year, a quarter or a month: 2026, 2026-Q3 or 2026-09."
    ),
    "period_alone": lambda: _("A period needs a measured value."),
    "version": lambda: _("The form sent a number out of range. Reload the page and answer again."),
    "confidence": lambda: _("Confidence must be low, medium or high."),
    "flag_long": lambda: _("The review note is too long (at most 20,000 characters)."),
    "register_comment": lambda: _(
        "The figure differs from the KPI register's: say why in the comment."
    ),
}


def register_links(assessment: Assessment, dimension: Dimension) -> dict[str, tuple]:
    """The page's indicator questions linked to the KPI register: question id → (indicator,
    figure of the latest complete period). No query on a page without indicator questions."""
    if not any(q.type == "indicator" for q in dimension.questions):
        return {}
    from ..services.register import linked_figures

    return linked_figures(assessment)


def register_overrides(
    assessment: Assessment,
    dimension: Dimension,
    submitted: list[FormAnswer],
    errors: dict[str, list[str]],
) -> None:
    """A linked question given another figure than the register's needs a comment."""
    linked = register_links(assessment, dimension)
    if not linked:
        return
    from ..domain.kpi import Problem, parse_number

    for item in submitted:
        figure = linked.get(item.question_id, (None, None))[1]
        if figure is None or item.choice in ("na", "dk", "") or not item.value:
            continue
        try:
            differs = parse_number(item.value) != figure.value
        except Problem:
            continue
        if differs and not item.comment.strip():
            errors.setdefault(item.question_id, []).append("register_comment")


def bank_of(assessment: Assessment) -> Bank:
    """The bank version the assessment was made with."""
    bank = get_bank(assessment.bank_id, assessment.bank_version)
    if bank is None:
        raise NotFound()
    return bank


@bp.route("/organisations/<int:org_id>/assessments/new", methods=["GET", "POST"])
@login_required
def create(org_id: int):
    """Start an assessment of an organisation from a bank; targets default from the bank."""
    org = get_organisation(current_user, org_id)
    form = AssessmentForm()
    installed = installed_banks(org.id)
    # newest version first within a bank id: the latest is what a new assessment starts from
    installed.sort(key=lambda item: (item[0].id, tuple(-n for n in item[0].version_key)))
    banks = {f"{b.id}@{b.version}": b for b, _origin in installed}
    form.bank.choices = [
        (key, f"{b.title.get(current_lang())} ({b.version})") for key, b in banks.items()
    ]
    latest = default_bank(installed)
    if request.method == "GET":
        form.language.data = current_lang()
        if latest is not None and not form.bank.data:
            form.bank.data = f"{latest.id}@{latest.version}"
    chosen = banks.get(form.bank.data or "") or latest
    targets, target_errors = {}, []
    if chosen is not None:
        for dim in chosen.dimensions:
            raw = request.form.get(f"target-{dim.id}", str(dim.target))
            if raw not in ("1", "2", "3", "4"):
                target_errors.append(dim.id)
                raw = str(dim.target)
            targets[dim.id] = int(raw)
    if form.validate_on_submit() and chosen is not None and not target_errors:
        item = service.create_assessment(
            org,
            chosen,
            form.title.data,
            form.language.data,
            targets,
            current_user,
            form.evidence_max_age_months.data,
        )
        flash(_("Assessment created."), "success")
        return redirect(url_for(".overview", assessment_id=item.id))
    status = 400 if (form.errors or target_errors) else 200
    return render_template(
        "assessments/new.html",
        form=form,
        org=org,
        bank=chosen,
        targets=targets,
        target_errors=target_errors,
    ), status


@bp.get("/assessments/<int:assessment_id>")
@login_required
def overview(assessment_id: int):
    """State, progress per dimension and overall, next steps."""
    assessment = get_assessment(current_user, assessment_id)
    return render_overview(
        assessment,
        bank_of(assessment),
        SettingsForm(evidence_max_age_months=assessment.evidence_max_age_months),
    )


def render_overview(assessment: Assessment, bank: Bank, settings: SettingsForm, status=200):
    """The overview: the one figure of progress, the problems left, the scores so far."""
    review = build_review(assessment, bank)
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        bank=bank,
        figure=review.progress,
        review=review,
        result=review.result,
        form=ConfirmForm(),
        settings=settings,
    ), status


@bp.post("/assessments/<int:assessment_id>/settings")
@login_required
def settings(assessment_id: int):
    """Change the evidence age limit of an assessment that is not completed."""
    assessment = get_assessment(current_user, assessment_id)
    form = SettingsForm()
    if assessment.locked:
        flash(_("This assessment is completed: answers are locked."), "error")
        return redirect(url_for(".overview", assessment_id=assessment.id)), 303
    if not form.validate_on_submit():
        return render_overview(assessment, bank_of(assessment), form, 400)
    service.set_evidence_max_age(assessment, form.evidence_max_age_months.data)
    flash(_("Settings saved."), "success")
    return redirect(url_for(".overview", assessment_id=assessment.id))


@bp.get("/assessments/<int:assessment_id>/resume")
@login_required
def resume(assessment_id: int):
    """Continue: the first question without an agreed answer; when none is left, the review."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    agreed = service.answered_ids(service.answer_rows(assessment), bank)
    first = next((q for q in bank.questions if q.id not in agreed), None)
    if first is None:
        return redirect(url_for(".review", assessment_id=assessment.id))
    return redirect(
        url_for(
            ".questionnaire",
            assessment_id=assessment.id,
            dimension_id=first.dimension_id,
            _anchor=answer_form.prefix(first.id),
        )
    )


def stored_values(row, question_id: str) -> FormAnswer:
    """What a page shows for a stored answer row (None: no answer yet)."""
    return answer_form.shown(answer_from_row(row, question_id), row.version if row else 0)


@dataclass
class QuestionView:
    """What the questionnaire shows for one question."""

    question: QuestionText
    values: FormAnswer
    errors: list[str]
    conflict: service.Conflict | None
    blank_rows: int
    stale: list[str] = ()  # titles of evidence too old to back a level 3 or 4 answer
    register: tuple | None = None  # (KPI register indicator, its latest figure) when linked


def render_questionnaire(
    assessment: Assessment,
    bank: Bank,
    dimension: Dimension,
    shown: dict[str, FormAnswer] | None = None,
    errors: dict[str, list[str]] | None = None,
    conflicts: list[service.Conflict] | None = None,
    notice: str | None = None,
    status: int = 200,
):
    """Render one dimension's page; `shown` overrides stored values (unsaved input)."""
    records = service.answer_rows(assessment, content_of=[q.id for q in dimension.questions])
    answered = service.answered_ids(records, bank)
    conflict_map = {c.question_id: c for c in conflicts or []}
    more = request.args.get("more", "")
    cutoff = service.stale_cutoff(assessment)
    linked = register_links(assessment, dimension)
    items = []
    for q in question_texts(bank, dimension, current_lang()):
        values = (shown or {}).get(q.id) or stored_values(records.get(q.id), q.id)
        if q.id in conflict_map:
            # Re-submitting now deliberately replaces what the other person saved.
            theirs = conflict_map[q.id].theirs
            values.version = theirs.version
            values.seen = content_digest(answer_from_row(theirs))
        items.append(
            QuestionView(
                q,
                values,
                [ERROR_TEXT[e]() for e in (errors or {}).get(q.id, [])],
                conflict_map.get(q.id),
                2 if more == q.id else 1,
                service.stale_titles(values.evidence, cutoff) if values.evidence else [],
                linked.get(q.id),
            )
        )
    dims = list(bank.dimensions)
    index = dims.index(dimension)
    figure, distribution = page_progress(assessment, bank, dimension, answered)
    users = {}
    if conflict_map:
        ids = {c.theirs.updated_by_id for c in conflict_map.values() if c.theirs.updated_by_id}
        users = service.users_by_id(ids)
    return render_template(
        "assessments/questionnaire.html",
        assessment=assessment,
        bank=bank,
        dimension=dimension,
        keep=kept.page_value(current_user.id, assessment.id, dimension.id),
        items=items,
        progress=figure.dimensions,
        answered=figure.agreed,
        figure=figure,
        distribution=distribution,
        total=len(bank),
        index=index,
        previous=dims[index - 1] if index else None,
        next=dims[index + 1] if index + 1 < len(dims) else None,
        notice=notice,
        users=users,
        locked=assessment.locked,
        stale_before=cutoff,
        max_age=assessment.evidence_max_age_months,
    ), status


@dataclass
class Distribution:
    """What the submitted respondents answered to one question (counts per choice)."""

    counts: dict[str, int]
    answered: int
    spread: int | None

    @property
    def disagreement(self) -> bool:
        """Two or more levels apart (§5)."""
        return self.spread is not None and self.spread >= 2


def page_progress(
    assessment: Assessment, bank: Bank, dimension: Dimension, agreed: set[str]
) -> tuple[service.Progress, dict[str, Distribution]]:
    """The one figure of progress and, when respondents have submitted, their distribution per
    question of the page: one statement more, and only then (the flag comes with the page's
    first statement)."""
    if not assessment.has_submitted_respondents:
        return service.assessment_progress(bank, agreed), {}
    respondents = rservice.submitted_answers([assessment.id]).get(assessment.id, [])
    out = {}
    for q in dimension.questions:
        counts = dict.fromkeys(answer_form.CHOICES, 0)
        levels = []
        for r in respondents:
            answer = r.answers.get(q.id)
            if answer is not None:
                counts[rservice.choice_of(answer)] += 1
                if answer.level is not None:
                    levels.append(answer.level)
        out[q.id] = Distribution(
            counts, sum(counts.values()), max(levels) - min(levels) if levels else None
        )
    return service.assessment_progress(bank, agreed, respondents), out


@bp.route("/assessments/<int:assessment_id>/dimensions/<dimension_id>", methods=["GET", "POST"])
def questionnaire(assessment_id: int, dimension_id: str):
    """One page per dimension. A POST saves every question of the page, all or nothing."""
    if not current_user.is_authenticated:
        if request.method == "POST":
            return rescue_submission(assessment_id, dimension_id)
        return redirect(url_for("auth.login", next=request.full_path))
    user = current_user._get_current_object()  # the proxy costs a lookup on every use
    assessment = get_assessment(user, assessment_id)
    bank = bank_of(assessment)
    dimension = bank.dimension(dimension_id)
    if dimension is None:
        raise NotFound()
    if request.method == "GET":
        return render_questionnaire(assessment, bank, dimension)
    # The CSRF token was checked before the view (CSRFProtect); it is not checked twice.
    if assessment.locked:
        flash(_("This assessment is completed: answers are locked."), "error")
        return redirect(
            url_for(".questionnaire", assessment_id=assessment.id, dimension_id=dimension.id)
        )
    return save_page(assessment, bank, dimension, request.form, user)


def save_page(
    assessment: Assessment, bank: Bank, dimension: Dimension, form: MultiDict, user: User
):
    """Validate and store the page; re-show it with errors or conflicts, keeping every word."""
    submitted, errors = answer_form.parse_page(form, dimension.questions)
    shown = {s.question_id: s for s in submitted}
    if not errors:
        register_overrides(assessment, dimension, submitted, errors)
    if errors:
        return render_questionnaire(
            assessment,
            bank,
            dimension,
            shown,
            errors,
            notice=_("Nothing was saved: correct the marked answers."),
            status=400,
        )
    try:
        conflicts = service.save_dimension(assessment, submitted, user, dimension_id=dimension.id)
    except (IntegrityError, StaleDataError):
        # Someone inserted or updated the same answer in the same instant: keep this user's
        # input (the service undid its write; the 409 rolls the rest of the request back).
        return render_questionnaire(
            assessment,
            bank,
            dimension,
            shown,
            notice=_(
                "Someone else saved answers on this page at the same moment. Nothing was "
                "saved: check the values below and save again."
            ),
            status=409,
        )
    if conflicts:  # nothing was written; the 409 rolls the request back
        return render_questionnaire(
            assessment,
            bank,
            dimension,
            shown,
            conflicts=conflicts,
            notice=_(
                "Someone else changed some answers on this page while you were editing. "
                "Nothing was saved. Compare the values below and save again to keep "
                "yours."
            ),
            status=409,
        )
    return redirect_after_save(
        form.get("action", "save"),
        bank,
        dimension,
        lambda dimension_id, **args: url_for(
            ".questionnaire", assessment_id=assessment.id, dimension_id=dimension_id, **args
        ),
        url_for(".review", assessment_id=assessment.id, saved=1),
    )


def redirect_after_save(action: str, bank: Bank, dimension: Dimension, page, done: str):
    """Where a saved questionnaire page goes, for the assessment's and a respondent's: the next
    page (`done` after the last), the previous one, the same with one more evidence row, or the
    same. `page(dimension_id, **args)` builds a page's address. "Saved." travels in the address
    (?saved=1, shown by base.html), not as a flash message: a save leaves the session cookie as
    it is instead of re-signing it twice."""
    dims = list(bank.dimensions)
    index = dims.index(dimension)
    if action == "next":
        if index + 1 < len(dims):
            return redirect(page(dims[index + 1].id, saved=1))
        return redirect(done)
    if action == "back" and index > 0:
        return redirect(page(dims[index - 1].id, saved=1))
    if action.startswith("more:"):
        qid = action[5:]
        return redirect(page(dimension.id, more=qid, saved=1, _anchor=answer_form.prefix(qid)))
    return redirect(page(dimension.id, saved=1))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kept_answers_key() -> str:
    """Keeping answers is limited per user (the one the page was served to), so that other
    people's traffic from the same address cannot make a real user lose typed text."""
    return f"kept|{g.kept_for_user}"


def rescue_submission(assessment_id: int, dimension_id: str):
    """The session ended while someone typed: keep the answers, ask them to log in again.

    Only a post carrying the signed value of a page served to a user for this assessment and
    page is kept (for that user only); anything else gets the same refusal, which says nothing
    about whether the assessment exists."""
    user_id = kept.claimed_user(request.form.get("keep"), assessment_id, dimension_id)
    if user_id is None:
        return form_expired_page()
    data = kept.fields_to_keep(request.form.items(multi=False))
    if data is None:
        return form_expired_page(413)
    g.kept_for_user = user_id
    return keep_answers(user_id, assessment_id, dimension_id, data)


def form_expired_page(status: int = 400):
    """The refusal of a post that cannot be kept: the typed answers are shown back, read-only,
    to copy."""
    from .error_pages import error_page

    if status == 413:
        return error_page(413, _("File too large"), _("The file or form is too large."))
    return error_page(
        400,
        _("The form has expired"),
        _(
            "The page was open too long or was sent from elsewhere. Go back, "
            "reload the page and send it again."
        ),
    )


@limiter.limit("30 per hour", key_func=kept_answers_key, methods=["POST"])
def keep_answers(user_id: int, assessment_id: int, dimension_id: str, data: dict[str, str]):
    token = secrets.token_urlsafe(32)
    kept.keep(_hash(token), user_id, assessment_id, dimension_id, data)  # the redirect commits
    flash(
        _(
            "Your session had ended. Log in again: the answers you sent are kept and will be "
            "shown to you to confirm."
        ),
        "warning",
    )
    return redirect(
        url_for(
            "auth.login",
            next=url_for("assessments.restore", assessment_id=assessment_id, token=token),
        )
    )


@bp.get("/assessments/<int:assessment_id>/restore/<token>")
@login_required
def restore(assessment_id: int, token: str):
    """Show kept answers after a new login, for the user to confirm with Save."""
    assessment = get_assessment(current_user, assessment_id)
    pending = kept.take(_hash(token), current_user.id, assessment.id)  # shown once: 200 commits
    if pending is None:
        raise NotFound()
    bank = bank_of(assessment)
    dimension = bank.dimension(pending.dimension_id)
    if dimension is None:
        raise NotFound()  # the 404 rolls back: the kept answers stay
    submitted, errors = answer_form.parse_page(MultiDict(pending.data), dimension.questions)
    return render_questionnaire(
        assessment,
        bank,
        dimension,
        {s.question_id: s for s in submitted},
        errors,
        notice=_(
            "These are the answers you sent before your session ended. They are not saved "
            "yet: check them and press Save."
        ),
    )


def rescue_expired_form():
    """CSRF token expired on a questionnaire page: re-show the answers to confirm, or keep them
    for after login. Returns None when the request is not a questionnaire save."""
    if request.endpoint != "assessments.questionnaire" or request.method != "POST":
        return None
    args = request.view_args or {}
    if not current_user.is_authenticated:
        return rescue_submission(args.get("assessment_id", 0), args.get("dimension_id", ""))
    assessment = get_assessment(current_user, args["assessment_id"])
    bank = bank_of(assessment)
    dimension = bank.dimension(args.get("dimension_id", ""))
    if dimension is None:
        raise NotFound()
    submitted, errors = answer_form.parse_page(request.form, dimension.questions)
    return render_questionnaire(
        assessment,
        bank,
        dimension,
        {s.question_id: s for s in submitted},
        errors,
        notice=_(
            "The page was open for a long time and its security token expired. Your "
            "answers are shown below but not saved yet: check them and press Save."
        ),
        status=400,
    )


@bp.get("/assessments/<int:assessment_id>/review")
@login_required
def review(assessment_id: int, status: int = 200):
    """Everything left before Complete, one list per kind of problem, each linked."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    return render_template(
        "assessments/review.html",
        assessment=assessment,
        bank=bank,
        review=build_review(assessment, bank),
        flagged=flagged_list(assessment, bank),
        form=ConfirmForm(),
    ), status


def flagged_list(assessment: Assessment, bank: Bank):
    """The questions marked for review, with the question, for the review page."""
    from .helpers import respondent_label

    return [
        (bank.question(f.question_id), f)
        for f in service.flagged(assessment, bank, respondent_label)
    ]


@bp.post("/assessments/<int:assessment_id>/state/<state>")
@login_required
def change_state(assessment_id: int, state: str):
    """Complete (with open disagreements only when confirmed), reopen (consultant or admin)
    or archive."""
    assessment = get_assessment(current_user, assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if (
        state == "completed"
        and request.form.get("confirm_flags") != "1"
        and service.flagged(assessment, bank_of(assessment))
    ):
        flash(
            _(
                "Some questions are marked for review. Look at them, then confirm that the "
                "assessment may be completed anyway."
            ),
            "error",
        )
        return review(assessment.id, status=409)
    if (
        state == "completed"
        and request.form.get("accept_disagreements") != "1"
        and not assessment.locked
    ):
        open_count = len(build_review(assessment, bank_of(assessment)).disagreements)
        if open_count:
            flash(
                ngettext(
                    "%(num)d question still has an open disagreement. Agree on it in the "
                    "workshop, or confirm below that you complete the assessment without it.",
                    "%(num)d questions still have an open disagreement. Agree on them in the "
                    "workshop, or confirm below that you complete the assessment without them.",
                    open_count,
                ),
                "error",
            )
            return redirect(
                url_for(".review", assessment_id=assessment.id, _anchor="complete")
            ), 303
    try:
        before = assessment.state
        service.set_state(assessment, state, current_user)
        audit.record("state", assessment=assessment, user=current_user, before=before, after=state)
    except Invalid:  # refused before anything changed
        flash(_("This change of state is not allowed."), "error")
        return redirect(url_for(".overview", assessment_id=assessment.id)), 303
    messages = {
        "completed": _("Assessment completed: answers are locked."),
        "in_progress": _("Assessment reopened."),
        "archived": _("Assessment archived."),
    }
    flash(messages[state], "success")
    return redirect(url_for(".overview", assessment_id=assessment.id))


@bp.get("/assessments/<int:assessment_id>/export.json")
@login_required
def export_json(assessment_id: int):
    """The assessment-answers/1 file; with ?activity=1 also its audit trail (`activity`)."""
    assessment = get_assessment(current_user, assessment_id)
    exported = files.export_answers(assessment, bank_of(assessment))
    if request.args.get("activity") == "1":
        doc = exported.to_dict()
        doc["activity"] = audit.as_list(assessment)
        data = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    else:
        data = exported.to_json()
    audit.record("export", assessment=assessment, user=current_user, what="answers.json")
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=assessment-{assessment.id}.json"},
    )


@bp.get("/assessments/<int:assessment_id>/export.csv")
@login_required
def export_csv(assessment_id: int):
    """One row a question, for spreadsheets (UTF-8 with BOM so Excel reads Latvian letters)."""
    assessment = get_assessment(current_user, assessment_id)
    sep = request.args.get("sep", ",")
    if sep not in files.CSV_SEPARATORS:
        return Response(
            _("The separator must be a comma or a semicolon."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = "\ufeff" + files.export_csv(assessment, bank_of(assessment), assessment.language, sep)
    audit.record("export", assessment=assessment, user=current_user, what="answers.csv")
    # content_type, not mimetype: Flask would add "; charset=utf-8" a second time.
    return Response(
        data,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition(assessment_filename(assessment, "csv"))},
    )


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/assessments/<int:assessment_id>/export.xlsx")
@login_required
def export_xlsx(assessment_id: int):
    """The answers as an Excel workbook: headers in the assessment's language, typed cells."""
    from ..services.spreadsheets import answers_xlsx

    assessment = get_assessment(current_user, assessment_id)
    data = answers_xlsx(assessment, bank_of(assessment), assessment.language)
    return Response(
        data,
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": disposition(assessment_filename(assessment, "xlsx"))},
    )


@bp.route("/organisations/<int:org_id>/import", methods=["GET", "POST"])
@login_required
def import_file(org_id: int):
    """Upload an answers file as a new assessment of this organisation."""
    org = get_organisation(current_user, org_id)
    form = ImportForm()
    error = None
    if form.validate_on_submit():
        raw = form.file.data.read(service.MAX_IMPORT_BYTES + 1)
        try:
            parsed, bank = parse_answers(raw, registry(org.id), form.file.data.filename or "file")
        except DomainError as exc:
            error = exc.message(current_lang())
        else:
            item = files.import_answers(parsed, bank, org, current_user)
            audit.record("import", assessment=item, user=current_user)
            if form.complete.data:  # an assessment finished elsewhere: its answers locked
                service.set_state(item, "completed", current_user)
            flash(
                _("Imported and marked as completed.") if form.complete.data else _("Imported."),
                "success",
            )
            return redirect(url_for(".overview", assessment_id=item.id))
    status = 400 if (form.errors or error) else 200
    return render_template("assessments/import.html", form=form, org=org, error=error), status
