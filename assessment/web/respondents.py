"""Respondents (private links), the disagreement view and the consensus workshop.

Pages under /r/<token>/ take the token only — never an assessment id — so a link opens its own
questionnaire and nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

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
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Optional, ValidationError

from .. import forms, mail, transactions
from ..domain import answer_form
from ..domain.answers import content_digest
from ..domain.bank import Bank, Dimension
from ..domain.i18n import language_choices, languages
from ..forms import ConfirmForm, CSRFOnlyForm, DataRequired, Form, LocalDateField
from ..models import Assessment, Respondent
from ..services import assessments as service
from ..services import audit
from ..services import respondents as rservice
from ..services.access import get_assessment
from ..services.answer_rows import answer_from_row
from ..services.errors import Forbidden, Invalid, NotFound
from ..services.files import csv_safe
from .assessments import ERROR_TEXT, QuestionView, bank_of, redirect_after_save, stored_values
from .helpers import current_lang
from .question_markup import question_texts

bp = Blueprint("respondents", __name__)


INVITE_PROBLEMS = {
    "name": _l("Line %(line)d: a name is missing."),
    "email": _l("Line %(line)d: the e-mail address is not valid."),
    "long": _l("Line %(line)d: the name or e-mail address is too long."),
    "duplicate": _l("Line %(line)d: this person is already on an earlier line."),
    "too_many": _l(
        "Line %(line)d: at most %(max)d people can be invited at once; invite the "
        "rest in a second step."
    ),
}


class InviteForm(Form):
    """Invite several respondents: one per line, name and (optionally) e-mail."""

    people = TextAreaField(_l("People to invite"), validators=[DataRequired()])
    expires = LocalDateField(_l("Links valid until (optional)"), validators=[Optional()])
    send_email = BooleanField(_l("Send each person their link by e-mail"))
    mail_lang = SelectField(
        _l("Language of the e-mail"),
        choices=language_choices(),
        validate_choice=False,
    )

    def validate_people(self, field) -> None:
        """Every line checked; the errors name their line numbers."""
        people, problems = rservice.parse_invite_lines(field.data or "")
        if problems:
            raise ValidationError(
                " ".join(
                    str(INVITE_PROBLEMS[code]) % {"line": line, "max": rservice.MAX_INVITES}
                    for line, code in problems
                )
            )
        if not people:
            raise ValidationError(forms.REQUIRED)
        self.parsed = people

    def validate_expires(self, field) -> None:
        """A link cannot expire before today."""
        if field.data is not None and field.data < rservice.utcnow().date():
            raise ValidationError(_l("The date is in the past. Choose today or a later day."))


class FreshLinkForm(Form):
    """Confirm a fresh link (optionally e-mailed)."""

    send_email = BooleanField(_l("Send the new link by e-mail"))
    mail_lang = SelectField(
        _l("Language of the e-mail"),
        choices=language_choices(),
        validate_choice=False,
    )


class SettingsForm(Form):
    """Respondent settings of the assessment."""

    anonymous_comments = BooleanField(_l("Show respondents' comments anonymously"))


# --- the invite page (consultant, admin, member of the organisation) -----------------------------
#
# Tokens are stored hashed, so a link can be shown only by whoever holds it. Right after an
# invitation (or a fresh link) the new tokens travel in the signed session cookie of the user who
# created them (HttpOnly, this user, this assessment, NEW_LINKS_HOURS), so that the page after the
# redirect, a reload of it and the CSV download show them; each is shown only while it still
# matches the stored hash (a fresher link or a withdrawal hides it). Anyone else — another
# user, another browser — never sees them; the remedy for a lost link is a fresh one.

NEW_LINKS = "new_links"
NEW_LINKS_HOURS = 2


def link_for(token: str) -> str:
    """The respondent's private link, absolute."""
    return url_for("respondents.start", token=token, _external=True)


def remember_links(assessment: Assessment, pairs: list[tuple[int, str]]) -> None:
    """Keep new tokens for this user and assessment (added to those still pending)."""
    entry = session.get(NEW_LINKS) or {}
    keep = []
    if (
        entry.get("u") == current_user.id
        and entry.get("a") == assessment.id
        and time.time() - entry.get("at", 0) < NEW_LINKS_HOURS * 3600
    ):
        fresh = {rid for rid, _token in pairs}
        keep = [pair for pair in entry.get("l", []) if pair[0] not in fresh]
    links = (keep + [[rid, token] for rid, token in pairs])[-rservice.MAX_INVITES :]
    session[NEW_LINKS] = {
        "u": current_user.id,
        "a": assessment.id,
        "at": int(time.time()),
        "l": links,
    }


def pending_links(assessment: Assessment) -> list[tuple[Respondent, str]]:
    """The new links this user may still see: (respondent, absolute link), invitation order."""
    entry = session.get(NEW_LINKS)
    if (
        not entry
        or entry.get("u") != current_user.id
        or entry.get("a") != assessment.id
        or time.time() - entry.get("at", 0) >= NEW_LINKS_HOURS * 3600
    ):
        return []
    tokens = {
        rid: token
        for rid, token in entry.get("l", [])
        if isinstance(rid, int) and isinstance(token, str)
    }
    out = []
    for item in rservice.list_respondents(assessment):
        token = tokens.get(item.id)
        if token and not item.revoked and item.token_hash == rservice.hash_token(token):
            out.append((item, link_for(token)))
    return out


def render_invite(assessment: Assessment, form: InviteForm, status: int = 200):
    settings = SettingsForm(anonymous_comments=assessment.anonymous_comments)
    respondents = rservice.list_respondents(assessment)
    return render_template(
        "respondents/invite.html",
        assessment=assessment,
        form=form,
        settings=settings,
        new_links=pending_links(assessment),
        active=[r for r in respondents if not r.revoked],
        withdrawn=[r for r in respondents if r.revoked],
        mail_ready=mail.configured(),
        confirm=ConfirmForm(),
        now=rservice.utcnow(),
        aware=rservice.aware,
    ), status


def respondent_of(assessment: Assessment, respondent_id: int) -> Respondent:
    """A respondent of this assessment, else 404 (never another assessment's)."""
    item = rservice.respondent_of(assessment, respondent_id)
    if item is None:
        raise NotFound()
    return item


def email_links(assessment: Assessment, people: list[tuple[Respondent, str]], lang: str) -> None:
    """E-mail the links of those with an address; say who got one and who did not."""
    items = [mail.Invitation(r.name, r.email, link) for r, link in people if r.email]
    if not items:
        return
    lang = lang if lang in languages() else current_lang()
    until = min(rservice.aware(r.expires_at) for r, _link in people).date()
    with force_locale(lang):
        expires = format_date(until)
    sent, failed = mail.send_invitations(
        items,
        assessment.title,
        assessment.organisation.name,
        current_user.name or current_user.email,
        expires,
        lang,
    )
    if sent:
        flash(
            ngettext(
                "The invitation was e-mailed to %(num)d person.",
                "The invitations were e-mailed to %(num)d people.",
                len(sent),
            ),
            "success",
        )
    if failed:
        flash(
            _(
                "These invitations could not be e-mailed: %(names)s. Copy their links below "
                "and send them yourself.",
                names=", ".join(failed),
            ),
            "error",
        )


@bp.route("/assessments/<int:assessment_id>/respondents", methods=["GET", "POST"])
@login_required
def invite(assessment_id: int):
    """Invite respondents; the new links are shown together (copy, CSV), after a redirect."""
    assessment = get_assessment(current_user, assessment_id)
    form = InviteForm()
    if request.method == "GET":
        form.mail_lang.data = current_lang()
        return render_invite(assessment, form)
    if form.validate_on_submit():
        if assessment.locked:
            flash(_("This assessment is completed: answers are locked."), "error")
            return redirect(url_for(".invite", assessment_id=assessment.id))
        # Valid through the day chosen, or DEFAULT_LINK_DAYS from today.
        until = (
            form.expires.data
            or (rservice.utcnow() + dt.timedelta(days=rservice.DEFAULT_LINK_DAYS)).date()
        )
        expires = dt.datetime.combine(until, dt.time(23, 59, 59), tzinfo=dt.UTC)
        created = [
            rservice.create_respondent(assessment, p.name, p.email, expires) for p in form.parsed
        ]
        for item, _token in created:
            audit.record("invite", assessment=assessment, user=current_user, respondent=item.id)
        remember_links(assessment, [(item.id, token) for item, token in created])
        flash(
            ngettext("%(num)d respondent invited.", "%(num)d respondents invited.", len(created)),
            "success",
        )
        if form.send_email.data and mail.configured():
            # Only links that are stored are sent: after the request's commit.
            people = [(item, link_for(token)) for item, token in created]
            lang = form.mail_lang.data
            transactions.after_commit(lambda: email_links(assessment, people, lang))
        # Post/redirect/get: a reload shows the links again and creates nothing twice.
        return redirect(url_for(".invite", assessment_id=assessment.id) + "#new-links")
    return render_invite(assessment, form, status=400)


@bp.get("/assessments/<int:assessment_id>/respondents/new-links.csv")
@login_required
def new_links_csv(assessment_id: int):
    """The links just created by this user, as CSV (name, e-mail, link, valid until)."""
    assessment = get_assessment(current_user, assessment_id)
    links = pending_links(assessment)
    if not links:
        flash(
            _("No new links to download. Issue a fresh link for a respondent whose link you need."),
            "error",
        )
        return redirect(url_for(".invite", assessment_id=assessment.id))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Name"), _("Email"), _("Private link"), _("Valid until")])
    for item, link in links:
        writer.writerow(
            [
                csv_safe(item.name),
                csv_safe(item.email or ""),
                link,
                rservice.aware(item.expires_at).date().isoformat() if item.expires_at else "",
            ]
        )
    response = Response("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="respondent-links-{assessment.id}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/assessments/<int:assessment_id>/respondents/new-links/hide")
@login_required
def hide_new_links(assessment_id: int):
    """Forget the new links in this browser (they keep working)."""
    assessment = get_assessment(current_user, assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session.pop(NEW_LINKS, None)
    return redirect(url_for(".invite", assessment_id=assessment.id))


@bp.route(
    "/assessments/<int:assessment_id>/respondents/<int:respondent_id>/fresh-link",
    methods=["GET", "POST"],
)
@login_required
def fresh_link(assessment_id: int, respondent_id: int):
    """Confirm, then give the respondent a new link; the old one stops working."""
    assessment = get_assessment(current_user, assessment_id)
    item = respondent_of(assessment, respondent_id)
    if item.revoked or assessment.state == "archived":
        raise Forbidden()
    form = FreshLinkForm()
    if request.method == "GET":
        form.mail_lang.data = current_lang()
        form.send_email.data = bool(item.email)
        return render_template(
            "respondents/fresh_link.html",
            assessment=assessment,
            respondent=item,
            form=form,
            mail_ready=mail.configured(),
        )
    if not form.validate_on_submit():
        abort(400)
    token = rservice.issue_fresh_link(item)
    audit.record("reissue", assessment=assessment, user=current_user, respondent=item.id)
    remember_links(assessment, [(item.id, token)])
    flash(_("%(name)s has a new link; the old one no longer works.", name=item.name), "success")
    if form.send_email.data and mail.configured():
        people, lang = [(item, link_for(token))], form.mail_lang.data
        transactions.after_commit(lambda: email_links(assessment, people, lang))
    return redirect(url_for(".invite", assessment_id=assessment.id) + "#new-links")


@bp.route(
    "/assessments/<int:assessment_id>/respondents/<int:respondent_id>/revoke",
    methods=["GET", "POST"],
)
@login_required
def revoke(assessment_id: int, respondent_id: int):
    """Confirm, then the link stops working; submitted answers still count."""
    assessment = get_assessment(current_user, assessment_id)
    item = respondent_of(assessment, respondent_id)
    form = ConfirmForm()
    if request.method == "GET":
        if item.revoked:
            return redirect(url_for(".invite", assessment_id=assessment.id))
        return render_template(
            "respondents/revoke.html", assessment=assessment, respondent=item, form=form
        )
    if not form.validate_on_submit():
        abort(400)
    rservice.revoke(item)
    audit.record("revoke", assessment=assessment, user=current_user, respondent=item.id)
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
        "unknown": (
            404,
            _("This link is not valid"),
            _(
                "Check that you copied the whole link from the invitation. If it still "
                "does not open, ask the person who invited you for a new link."
            ),
        ),
        "revoked": (
            410,
            _("This link has been withdrawn"),
            _(
                "The person who invited you has withdrawn this link. Ask them for a new "
                "one if you still need to answer."
            ),
        ),
        "expired": (
            410,
            _("This link has expired"),
            _(
                "The time for answering with this link is over. Ask the person who "
                "invited you for a new link if you still need to answer."
            ),
        ),
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
    answers = rservice.own_answers(item, bank)
    return _private(
        render_template(
            "respondents/start.html",
            respondent=item,
            assessment=item.assessment,
            token=token,
            bank=bank,
            progress=service.progress(bank, answers),
            answered=len(answers),
            total=len(bank),
            locked=respondent_locked(item),
        )
    )


def render_respondent_page(
    item: Respondent,
    token: str,
    bank: Bank,
    dimension: Dimension,
    shown: dict | None = None,
    errors: dict | None = None,
    notice: str | None = None,
    status: int = 200,
    conflicts: list | None = None,
):
    records = rservice.respondent_records(item)
    conflict_map = {c.question_id: c for c in conflicts or []}
    more = request.args.get("more", "")
    cutoff = service.stale_cutoff(item.assessment)
    questions = []
    for q in question_texts(bank, dimension, current_lang()):
        values = (shown or {}).get(q.id) or stored_values(records.get(q.id), q.id)
        if q.id in conflict_map:
            # Saving again now deliberately replaces what the other tab saved.
            theirs = conflict_map[q.id].theirs
            values.version = theirs.version
            values.seen = content_digest(answer_from_row(theirs))
        questions.append(
            QuestionView(
                q,
                values,
                [ERROR_TEXT[e]() for e in (errors or {}).get(q.id, [])],
                conflict_map.get(q.id),
                2 if more == q.id else 1,
                service.stale_titles(values.evidence, cutoff) if values.evidence else [],
            )
        )
    answers = rservice.own_answers(item, bank)
    dims = list(bank.dimensions)
    index = dims.index(dimension)
    return _private(
        render_template(
            "respondents/questionnaire.html",
            respondent=item,
            assessment=item.assessment,
            token=token,
            bank=bank,
            dimension=dimension,
            items=questions,
            progress=service.progress(bank, answers),
            answered=len(answers),
            total=len(bank),
            index=index,
            previous=dims[index - 1] if index else None,
            next=dims[index + 1] if index + 1 < len(dims) else None,
            form=CSRFOnlyForm(),
            notice=notice,
            locked=respondent_locked(item),
            users={},
            stale_before=cutoff,
            max_age=item.assessment.evidence_max_age_months,
            respondent_page=True,
        ),
        status,
    )


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
    submitted, errors = answer_form.parse_page(request.form, dimension.questions)
    if errors:
        return render_respondent_page(
            item,
            token,
            bank,
            dimension,
            {s.question_id: s for s in submitted},
            errors,
            notice=_("Nothing was saved: correct the marked answers."),
            status=400,
        )
    shown = {s.question_id: s for s in submitted}
    try:
        conflicts = rservice.save_respondent_answers(item, submitted)
    except (IntegrityError, StaleDataError):  # the service undid its write: nothing to compare
        conflicts = []
        notice = _(
            "Someone else saved answers on this page at the same moment. Nothing was "
            "saved: check the values below and save again."
        )
    else:
        notice = _(
            "Some answers on this page were changed in another window or tab while "
            "you were editing. Nothing was saved. Compare the values below and save "
            "again to keep yours."
        )
        if not conflicts:
            notice = None
    if notice is not None:  # nothing was written; the 409 rolls the request back
        return render_respondent_page(
            item,
            token,
            bank,
            dimension,
            shown,
            conflicts=conflicts,
            notice=notice,
            status=409,
        )
    return redirect_after_save(
        request.form.get("action", "save"),
        bank,
        dimension,
        lambda dimension_id, **args: url_for(
            ".questionnaire", token=token, dimension_id=dimension_id, **args
        ),
        url_for(".submit", token=token, saved=1),
    )


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
            flash(_("Thank you: your answers have been submitted."), "success")
        return redirect(url_for(".submit", token=token))
    answers = rservice.own_answers(item, bank)
    unanswered, unsupported = service.review(bank, answers, service.stale_cutoff(item.assessment))
    flags = {
        qid: row.flag_note
        for qid, row in rservice.respondent_records(item).items()
        if row.flag_note is not None
    }
    return _private(
        render_template(
            "respondents/submit.html",
            respondent=item,
            assessment=item.assessment,
            token=token,
            bank=bank,
            unanswered=[bank.question(q) for q in unanswered],
            unsupported=[bank.question(q) for q in unsupported],
            form=form,
            flagged=[(q, flags[q.id]) for q in bank.questions if q.id in flags],
            locked=respondent_locked(item),
            answered=len(answers),
            total=len(bank),
        )
    )


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
    rows.sort(
        key=lambda r: (
            not r.disagreement,
            -(r.spread or 0) if r.disagreement else 0,
            r.question.position,
        )
    )
    submitted = sum(1 for r in rservice.list_respondents(assessment) if r.submitted_at)
    people = rservice.submitted_answers([assessment.id]).get(assessment.id, [])
    matrix = [
        (row, [_matrix_cell(person.answers.get(row.question.id)) for person in people])
        for row in rows
    ]
    return render_template(
        "respondents/disagreements.html",
        assessment=assessment,
        bank=bank,
        rows=rows,
        keys=CHOICE_KEYS,
        submitted=submitted,
        open_count=sum(1 for r in rows if r.disagreement and not r.consensus),
        people=[
            _("Respondent %(n)s", n=i + 1) if assessment.anonymous_comments else person.name
            for i, person in enumerate(people)
        ],
        matrix=matrix,
    )


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
    return redirect(
        url_for(
            ".workshop",
            assessment_id=assessment.id,
            question_id=sequence[0].question.id,
            **({"skip_agreed": "1"} if skip else {}),
        )
    )


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
    notice, status, typed = None, 200, None
    if request.method == "POST":
        if not form.validate_on_submit():  # pragma: no cover - CSRFError is raised first
            abort(400)
        typed, notice, status = save_consensus(assessment, question, request.form)
        if status == 200:
            flash(_("Agreed answer saved."), "success")
            target = question_id
            if request.form.get("action") == "next":
                rows = question_spreads(assessment, bank)
                nxt = neighbours(rows, question_id, skip)[1]
                target = nxt.question.id if nxt else question_id
            return redirect(
                url_for(".workshop", assessment_id=assessment.id, question_id=target, **extra)
            )
    rows = question_spreads(assessment, bank)
    row = next(r for r in rows if r.question.id == question_id)
    prev, nxt = neighbours(rows, question_id, skip)
    after = [r for r in rows if r.question.position > question.position]
    next_disagreement = next((r for r in after if r.disagreement and not r.consensus), None)
    record = service.answer_records(assessment).get(question_id)
    current = stored_values(record, question_id)
    if typed is not None:  # refused: what was typed, on the version stored
        typed.version = current.version
        current = typed
    who = record.updated_by if record is not None else None
    dimension = next(d for d in bank.dimensions if question in d.questions)
    sequence = [r for r in rows if not (skip and r.agreed)]
    position = next((i for i, r in enumerate(sequence) if r.question.id == question_id), None)
    return render_template(
        "respondents/workshop.html",
        assessment=assessment,
        bank=bank,
        q=question,
        row=row,
        keys=CHOICE_KEYS,
        prev=prev,
        next=nxt,
        next_disagreement=next_disagreement,
        record=record,
        current=current,
        names=answer_form.CONSENSUS,
        who=who,
        dimension=dimension,
        form=form,
        skip=skip,
        extra=extra,
        position=position,
        count=len(sequence),
        notice=notice,
        locked=assessment.locked,
    ), status


def neighbours(rows, question_id: str, skip: bool):
    """The previous and next question of the workshop's sequence (agreed ones skipped)."""
    index = next(i for i, r in enumerate(rows) if r.question.id == question_id)
    before = [r for r in rows[:index] if not (skip and r.agreed)]
    after = [r for r in rows[index + 1 :] if not (skip and r.agreed)]
    return (before[-1] if before else None), (after[0] if after else None)


def save_consensus(assessment: Assessment, question, form):
    """Store the agreed answer and note as the assessment's own answer (who and when kept):
    (the answer as typed, to show again when refused, the refusal, the status)."""
    records = service.answer_records(assessment)
    row = records.get(question.id)
    agreed, errors = answer_form.parse_consensus(
        form, question, answer_from_row(row) if row else None
    )
    if errors:
        return agreed, ERROR_TEXT[errors[0]](), 400
    try:
        conflicts = service.save_dimension(
            assessment, [agreed], current_user, records, source="consensus"
        )
    except Invalid:
        return agreed, _("This assessment is completed: answers are locked."), 409
    except (IntegrityError, StaleDataError):  # saved by someone else in the same instant
        conflicts = True
    if conflicts:
        return (
            agreed,
            _(
                "Someone else changed this answer while you were editing. Nothing was "
                "saved: check the value shown and save again."
            ),
            409,
        )
    return None, None, 200


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
    submitted, errors = answer_form.parse_page(request.form, dimension.questions)
    return render_respondent_page(
        item,
        token,
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
