"""Dashboard, language switch, health check, accessibility statement."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.i18n import languages
from ..services import results, users
from ..services.health import database_problem
from ..services.organisations import visible_list
from ..services.portfolio import assessments_of_organisations
from .helpers import current_lang, safe_next

bp = Blueprint("main", __name__)


@dataclass
class Card:
    """One assessment on the dashboard: how far, how mature, the largest gap, what next."""

    assessment: Any  # a row of the columns the dashboard shows (services.portfolio)
    organisation: str
    answered: int
    total: int
    evidence_backed: Fraction | None
    gap_title: str
    gap: Fraction | None
    next_label: str
    next_url: str

    @property
    def percent(self) -> int:
        """Answered questions as a whole percentage."""
        return round(100 * self.answered / self.total) if self.total else 0


def _cards(assessments: list[Any], names: dict[int, str]) -> list[Card]:
    """The dashboard's cards, from the stored results (two queries whatever their number)."""
    from ..services.banks import get_bank  # cached per bank version once parsed

    stored = results.stored((a.id for a in assessments), dimensions=True)
    lang = current_lang()
    cards = []
    for a in assessments:
        found = stored.get(a.id)
        total = found.total if found else 0
        answered = total - found.unanswered if found else 0
        largest = max(
            (d for d in (found.dimensions if found else []) if d.gap is not None and d.gap > 0),
            key=lambda d: d.gap,
            default=None,
        )
        title = ""
        if largest is not None:
            bank = get_bank(a.bank_id, a.bank_version)
            dimension = bank.dimension(largest.id) if bank else None
            title = dimension.title.get(lang) if dimension else largest.id
        if a.state in ("completed", "archived"):
            label, url = _("Open the report"), url_for("reports.html", assessment_id=a.id)
        elif found is None or found.unanswered:
            label = _("Continue answering") if answered else _("Start answering")
            url = url_for("assessments.resume", assessment_id=a.id)
        else:
            label, url = _("Review and complete"), url_for("assessments.review", assessment_id=a.id)
        cards.append(
            Card(
                a,
                names.get(a.organisation_id, ""),
                answered,
                total,
                found.evidence_backed if found else None,
                title,
                largest.gap if largest else None,
                label,
                url,
            )
        )
    return cards


@bp.get("/")
@login_required
def dashboard():
    """Where each organisation stands (its latest assessment as a card), recent assessments."""
    orgs = visible_list(current_user, limit=200)
    names = {o.id: o.name for o in orgs}
    everything = assessments_of_organisations([o.id for o in orgs])
    latest: dict[int, Any] = {}
    for a in everything:
        latest.setdefault(a.organisation_id, a)
    recent = sorted(everything, key=lambda a: a.updated_at, reverse=True)[:20]
    maturity = results.evidence_backed(a.id for a in recent)  # stored, one query
    return render_template(
        "main/dashboard.html",
        organisations=orgs,
        assessments=recent,
        names=names,
        maturity=maturity,
        cards=_cards(list(latest.values()), names),
    )


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch the UI language and remember it."""
    if code in languages():
        session["lang"] = code
        session.permanent = True
        if current_user.is_authenticated:
            users.set_language(current_user._get_current_object(), code)
    return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))


@bp.get("/healthz")
def healthz():
    """Is the app up and the database reachable?"""
    problem = database_problem()
    if problem is None:
        return jsonify({"status": "ok", "database": "ok"})
    # 503: the request boundary rolls the failed transaction back
    return jsonify({"status": "unavailable", "database": problem}), 503


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (WCAG 2.1 AA / EN 301 549)."""
    return render_template("main/accessibility.html")
