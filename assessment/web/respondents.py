"""Respondents (private links), the disagreement view and the consensus workshop.

Pages under /r/<token>/ take the token only — never an assessment id — so a link opens its own
questionnaire and nothing else.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, DateField, EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..domain.bank import Bank, Dimension
from ..extensions import db
from ..forms import ConfirmForm, CSRFOnlyForm
from ..models import Assessment, Respondent
from ..services import assessments as service
from ..services import respondents as rservice
from ..services.access import get_assessment
from ..services.errors import Forbidden, Invalid, NotFound
from .assessments import ERROR_TEXT, QuestionView, bank_of, question_texts, redirect_after_save
from .helpers import current_lang

bp = Blueprint("respondents", __name__)


class InviteForm(FlaskForm):
    """Invite one respondent."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Email(), Length(max=254)])
    expires = DateField(_l("Link valid until (optional)"), validators=[Optional()])

    def validate_expires(self, field) -> None:
        """A link cannot expire before today."""
        if field.data is not None and field.data < rservice.utcnow().date():
            raise ValidationError(_l("The date is in the past. Choose today or a later day."))


class SettingsForm(FlaskForm):
    """Respondent settings of the assessment."""

    anonymous_comments = BooleanField(_l("Show respondents' comments anonymously"))


# --- the invite page (consultant, admin, member of the organisation) -----------------------------


def link_for(token: str) -> str:
    """The respondent's private link, absolute."""
    return url_for("respondents.start", token=token, _external=True)


def render_invite(assessment: Assessment, form: InviteForm, link: str | None = None,
                  invited: Respondent | None = None, status: int = 200):
    settings = SettingsForm(anonymous_comments=assessment.anonymous_comments)
    return render_template("respondents/invite.html", assessment=assessment, form=form,
                           settings=settings, link=link, invited=invited,
                           respondents=rservice.list_respondents(assessment),
                           confirm=ConfirmForm(), now=rservice.utcnow(),
                           aware=rservice.aware), status


@bp.route("/assessments/<int:assessment_id>/respondents", methods=["GET", "POST"])
@login_required
def invite(assessment_id: int):
    """Invite respondents; the private link is shown once, right after creation."""
    assessment = get_assessment(current_user, assessment_id)
    form = InviteForm()
    if form.validate_on_submit():
        if assessment.locked:
            flash(_("This assessment is completed: answers are locked."), "error")
            return redirect(url_for(".invite", assessment_id=assessment.id))
        # Valid through the day chosen, or DEFAULT_LINK_DAYS from today.
        until = form.expires.data or (rservice.utcnow() + dt.timedelta(
            days=rservice.DEFAULT_LINK_DAYS)).date()
        expires = dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=dt.UTC)
        item, token = rservice.create_respondent(assessment, form.name.data, form.email.data,
                                                 expires)
        db.session.commit()
        return render_invite(assessment, InviteForm(formdata=None), link_for(token), item)
    return render_invite(assessment, form, status=400 if form.errors else 200)


@bp.post("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/revoke")
@login_required
def revoke(assessment_id: int, respondent_id: int):
    """The link stops working; submitted answers still count."""
    assessment = get_assessment(current_user, assessment_id)
    item = db.session.get(Respondent, respondent_id)
    if item is None or item.assessment_id != assessment.id:
        raise NotFound()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rservice.revoke(item)
    db.session.commit()
    flash(_("The link of %(name)s no longer works.", name=item.name), "success")
    return redirect(url_for(".invite", assessment_id=assessment.id))


@bp.post("/assessments/<int:assessment_id>/respondents/settings")
@login_required
def settings(assessment_id: int):
    """Named or anonymous comments in the disagreement view."""
    assessment = get_assessment(current_user, assessment_id)
    if assessment.state == "archived":  # an archived assessment changes no more
        raise Forbidden()
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    assessment.anonymous_comments = bool(form.anonymous_comments.data)
    db.session.commit()
    flash(_("Settings saved."), "success")
    return redirect(url_for(".invite", assessment_id=assessment.id))


# --- respondent pages: the token only ------------------------------------------------------------


def respondent_or_gone(token: str) -> Respondent:
    """The live respondent of this link, or a clear 404/410 page."""
    try:
        item = rservice.respondent_for_token(token)
    except rservice.LinkGone as gone:
        abort(gone_page(gone.reason))
    if item is None:
        abort(gone_page("unknown"))
    return item


def gone_page(reason: str):
    """A page explaining why the link does not open (in the user's language)."""
    texts = {
        "unknown": (404, _("This link is not valid"),
                    _("Check that you copied the whole link from the invitation. If it still "
                      "does not open, ask the person who invited you for a new link.")),
        "revoked": (410, _("This link has been withdrawn"),
                    _("The person who invited you has withdrawn this link. Ask them for a new "
                      "one if you still need to answer.")),
        "expired": (410, _("This link has expired"),
                    _("The time for answering with this link is over. Ask the person who "
                      "invited you for a new link if you still need to answer.")),
    }
    status, title, message = texts[reason]
    page = render_template("respondents/gone.html", title=title, message=message)
    return _private(page, status)


def _private(body, status: int = 200):
    """No caching and no Referer for pages whose address holds a secret."""
    from flask import make_response

    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def respondent_locked(item: Respondent) -> bool:
    """Submitted, or the assessment itself is completed."""
    return item.submitted_at is not None or item.assessment.locked


@bp.get("/r/<token>/")
def start(token: str):
    """The respondent's welcome page: what this is, how far they are, continue."""
    item = respondent_or_gone(token)
    bank = bank_of(item.assessment)
    answers = own_answers(item, bank)
    return _private(render_template(
        "respondents/start.html", respondent=item, assessment=item.assessment, token=token,
        bank=bank, progress=service.progress(bank, answers), answered=len(answers),
        total=len(bank), locked=respondent_locked(item)))


def own_answers(item: Respondent, bank: Bank):
    """The respondent's answers as the scoring engine sees them."""
    out = {}
    for qid, row in rservice.respondent_records(item).items():
        answer = rservice.row_to_answer(row)
        if answer is not None and bank.question(qid) is not None:
            out[qid] = answer
    return out


def render_respondent_page(item: Respondent, token: str, bank: Bank, dimension: Dimension,
                           shown: dict | None = None, errors: dict | None = None,
                           notice: str | None = None, status: int = 200,
                           conflicts: list | None = None):
    records = rservice.respondent_records(item)
    conflict_map = {c.question_id: c for c in conflicts or []}
    more = request.args.get("more", "")
    cutoff = service.stale_cutoff(item.assessment)
    questions = []
    for q in question_texts(bank, dimension, current_lang()):
        values = (shown or {}).get(q.id) or service.row_to_submitted(records.get(q.id), q.id)
        if q.id in conflict_map:
            # Saving again now deliberately replaces what the other tab saved.
            theirs = conflict_map[q.id].theirs
            values.version = theirs.version
            values.seen = service.content_digest(service.row_values(theirs))
        questions.append(QuestionView(
            q, values, [ERROR_TEXT[e]() for e in (errors or {}).get(q.id, [])],
            conflict_map.get(q.id), 2 if more == q.id else 1,
            service.stale_titles(values.evidence, cutoff) if values.evidence else []))
    answers = own_answers(item, bank)
    dims = list(bank.dimensions)
    index = dims.index(dimension)
    return _private(render_template(
        "respondents/questionnaire.html", respondent=item, assessment=item.assessment,
        token=token, bank=bank, dimension=dimension, items=questions,
        progress=service.progress(bank, answers), answered=len(answers), total=len(bank),
        index=index, previous=dims[index - 1] if index else None,
        next=dims[index + 1] if index + 1 < len(dims) else None, form=CSRFOnlyForm(),
        notice=notice, locked=respondent_locked(item), users={}, stale_before=cutoff,
        max_age=item.assessment.evidence_max_age_months, respondent_page=True), status)


@bp.route("/r/<token>/<dimension_id>", methods=["GET", "POST"])
def questionnaire(token: str, dimension_id: str):
    """One page per dimension, as in the assessment's own questionnaire."""
    item = respondent_or_gone(token)
    bank = bank_of(item.assessment)
    dimension = bank.dimension(dimension_id)
    if dimension is None:
        raise NotFound()
    if request.method == "GET":
        return render_respondent_page(item, token, bank, dimension)
    # The CSRF token was checked before the view (CSRFProtect); it is not checked twice.
    if respondent_locked(item):
        flash(_("Your answers have been submitted and can no longer be changed."), "error")
        return redirect(url_for(".questionnaire", token=token, dimension_id=dimension.id))
    submitted, errors = service.parse_submission(request.form, dimension)
    if errors:
        return render_respondent_page(
            item, token, bank, dimension, {s.question_id: s for s in submitted}, errors,
            notice=_("Nothing was saved: correct the marked answers."), status=400)
    shown = {s.question_id: s for s in submitted}
    try:
        conflicts = rservice.save_respondent_answers(item, submitted)
        if not conflicts:
            db.session.commit()
    except (IntegrityError, StaleDataError):
        conflicts = None
    if conflicts is None or conflicts:
        db.session.rollback()
        if conflicts is None:  # the other tab saved in the same instant: read what it saved
            conflicts = rservice.save_respondent_answers(item, submitted)
            db.session.rollback()
        return render_respondent_page(
            item, token, bank, dimension, shown, conflicts=conflicts,
            notice=_("Some answers on this page were changed in another window or tab while "
                     "you were editing. Nothing was saved. Compare the values below and save "
                     "again to keep yours."), status=409)
    return redirect_after_save(
        request.form.get("action", "save"), bank, dimension,
        lambda dimension_id, **args: url_for(".questionnaire", token=token,
                                             dimension_id=dimension_id, **args),
        url_for(".submit", token=token, saved=1))


@bp.route("/r/<token>/submit", methods=["GET", "POST"])
def submit(token: str):
    """Review what is missing, then hand in (answers are locked afterwards)."""
    item = respondent_or_gone(token)
    bank = bank_of(item.assessment)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():  # pragma: no cover - CSRFError is raised first
            abort(400)
        if item.assessment.locked:
            flash(_("This assessment is completed: answers are locked."), "error")
        elif item.submitted_at is None:
            rservice.submit(item)
            db.session.commit()
            flash(_("Thank you: your answers have been submitted."), "success")
        return redirect(url_for(".submit", token=token))
    answers = own_answers(item, bank)
    unanswered, unsupported = service.review(bank, answers,
                                             service.stale_cutoff(item.assessment))
    return _private(render_template(
        "respondents/submit.html", respondent=item, assessment=item.assessment, token=token,
        bank=bank, unanswered=[bank.question(q) for q in unanswered],
        unsupported=[bank.question(q) for q in unsupported], form=form,
        locked=respondent_locked(item), answered=len(answers), total=len(bank)))


# --- disagreement view ---------------------------------------------------------------------------


CHOICE_KEYS = ("0", "1", "2", "3", "4", "na", "dk")


def question_spreads(assessment: Assessment, bank: Bank):
    return rservice.spreads(assessment, bank, anonymous_label=_("Respondent %(n)s"))


@bp.get("/assessments/<int:assessment_id>/disagreements")
@login_required
def disagreements(assessment_id: int):
    """Per question: distribution, spread, comments; spread ≥ 2 first."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    rows = [r for r in question_spreads(assessment, bank) if r.answered]
    rows.sort(key=lambda r: (not r.disagreement, -(r.spread or 0) if r.disagreement else 0,
                             r.question.position))
    submitted = sum(1 for r in rservice.list_respondents(assessment) if r.submitted_at)
    people = rservice.submitted_answers([assessment.id]).get(assessment.id, [])
    matrix = [(row, [_matrix_cell(person.answers.get(row.question.id)) for person in people])
              for row in rows]
    return render_template("respondents/disagreements.html", assessment=assessment, bank=bank,
                           rows=rows, keys=CHOICE_KEYS, submitted=submitted,
                           open_count=sum(1 for r in rows if r.disagreement and not r.consensus),
                           people=[_("Respondent %(n)s", n=i + 1)
                                   if assessment.anonymous_comments else person.name
                                   for i, person in enumerate(people)],
                           matrix=matrix)


def _matrix_cell(answer) -> tuple[str, str]:
    """One respondent's answer as the matrix shows it: (colour class key, figure or sign)."""
    if answer is None:
        return "none", "–"
    if answer.level is not None:
        return str(answer.level), str(answer.level)
    return ("na", "N") if answer.not_applicable else ("dk", "?")


# --- consensus workshop --------------------------------------------------------------------------


@bp.get("/assessments/<int:assessment_id>/workshop")
@login_required
def workshop_start(assessment_id: int):
    """The first question of the workshop (with the filter kept)."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    skip = request.args.get("skip_agreed") == "1"
    rows = question_spreads(assessment, bank)
    sequence = [r for r in rows if not (skip and r.agreed)] or rows
    return redirect(url_for(".workshop", assessment_id=assessment.id,
                            question_id=sequence[0].question.id,
                            **({"skip_agreed": "1"} if skip else {})))


@bp.route("/assessments/<int:assessment_id>/workshop/<question_id>", methods=["GET", "POST"])
@login_required
def workshop(assessment_id: int, question_id: str):
    """One question per screen for the projector; the agreed answer is the consensus answer."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    question = bank.question(question_id)
    if question is None:
        raise NotFound()
    skip = request.args.get("skip_agreed") == "1"
    extra = {"skip_agreed": "1"} if skip else {}
    form = CSRFOnlyForm()
    notice, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():  # pragma: no cover - CSRFError is raised first
            abort(400)
        saved, notice, status = save_consensus(assessment, question, request.form)
        if saved:
            db.session.commit()
            flash(_("Agreed answer saved."), "success")
            target = question_id
            if request.form.get("action") == "next":
                rows = question_spreads(assessment, bank)
                nxt = neighbours(rows, question_id, skip)[1]
                target = nxt.question.id if nxt else question_id
            return redirect(url_for(".workshop", assessment_id=assessment.id,
                                    question_id=target, **extra))
        db.session.rollback()
    rows = question_spreads(assessment, bank)
    row = next(r for r in rows if r.question.id == question_id)
    prev, nxt = neighbours(rows, question_id, skip)
    after = [r for r in rows if r.question.position > question.position]
    next_disagreement = next((r for r in after if r.disagreement and not r.consensus), None)
    record = service.answer_records(assessment).get(question_id)
    current = service.row_to_submitted(record, question_id)
    if request.method == "POST":
        current.choice = (request.form.get("answer") or "").strip()
        current.comment = request.form.get("comment") or ""
        current.value = (request.form.get("agreed-value") or "").strip()[:40]
        current.period = (request.form.get("agreed-period") or "").strip()[:7]
    who = record.updated_by if record is not None else None
    dimension = next(d for d in bank.dimensions if question in d.questions)
    sequence = [r for r in rows if not (skip and r.agreed)]
    position = next((i for i, r in enumerate(sequence) if r.question.id == question_id), None)
    return render_template(
        "respondents/workshop.html", assessment=assessment, bank=bank, q=question, row=row,
        keys=CHOICE_KEYS, prev=prev, next=nxt, next_disagreement=next_disagreement,
        record=record, current=current, who=who, dimension=dimension, form=form, skip=skip,
        extra=extra, position=position, count=len(sequence), notice=notice,
        locked=assessment.locked), status


def neighbours(rows, question_id: str, skip: bool):
    """The previous and next question of the workshop's sequence (agreed ones skipped)."""
    index = next(i for i, r in enumerate(rows) if r.question.id == question_id)
    before = [r for r in rows[:index] if not (skip and r.agreed)]
    after = [r for r in rows[index + 1:] if not (skip and r.agreed)]
    return (before[-1] if before else None), (after[0] if after else None)


def save_consensus(assessment: Assessment, question, form) -> tuple[bool, str | None, int]:
    """Store the agreed answer and note as the assessment's own answer (who and when kept)."""
    value = period = ""
    if question.type == "indicator":  # the agreed value (its level follows), N/A or don't know
        answer = (form.get("answer") or "").strip()
        if answer:
            form = {**form.to_dict(), "agreed-answer": answer}
        choice, value, period, errs = question.qtype.parse_form(question, form, "agreed")
        if errs:
            return False, ERROR_TEXT[errs[0]](), 400
    else:
        choice = (form.get("answer") or "").strip()
    if choice not in service.CHOICES and choice != "":
        return False, _("Choose one of the options."), 400
    comment = (form.get("comment") or "")[:service.MAX_TEXT]
    try:
        version = int(form.get("version") or 0)
    except ValueError:
        version = 0
    if not 0 <= version <= service.MAX_VERSION:
        return False, _("The form sent a number out of range. Reload the page and answer "
                        "again."), 400
    records = service.answer_records(assessment)
    row = records.get(question.id)
    evidence = [dict(e) for e in row.evidence or []] if row else []
    submitted = service.Submitted(question.id, choice, comment, evidence, version,
                                  value=value, period=period)
    try:
        conflicts = service.save_dimension(assessment, [submitted], current_user, records)
    except Invalid:
        return False, _("This assessment is completed: answers are locked."), 409
    if conflicts:
        return False, _("Someone else changed this answer while you were editing. Nothing was "
                        "saved: check the value shown and save again."), 409
    return True, None, 200


def rescue_expired_respondent_form():
    """CSRF token expired on a respondent's page: show their answers again to save, unsaved.

    Returns None when the request is not a respondent's questionnaire save."""
    if request.endpoint != "respondents.questionnaire" or request.method != "POST":
        return None
    args = request.view_args or {}
    token = args.get("token", "")
    try:
        item = rservice.respondent_for_token(token)
    except rservice.LinkGone as gone:
        return gone_page(gone.reason)
    if item is None:
        return gone_page("unknown")
    bank = bank_of(item.assessment)
    dimension = bank.dimension(args.get("dimension_id", ""))
    if dimension is None or respondent_locked(item):
        return None
    submitted, errors = service.parse_submission(request.form, dimension)
    return render_respondent_page(
        item, token, bank, dimension, {s.question_id: s for s in submitted}, errors,
        notice=_("The page was open for a long time and its security token expired. Your "
                 "answers are shown below but not saved yet: check them and press Save."),
        status=400)
