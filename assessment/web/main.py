"""Dashboard, language switch, health check, accessibility statement."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, text

from ..extensions import db
from ..models import Assessment, Organisation
from ..services import results
from ..services.access import visible_organisations
from .helpers import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def dashboard():
    """The user's organisations and their latest assessments."""
    orgs = db.session.scalars(visible_organisations(current_user)
                              .order_by(Organisation.name).limit(200)).all()
    ids = [o.id for o in orgs]
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.organisation_id.in_(ids))
        .order_by(Assessment.updated_at.desc()).limit(20)).all() if ids else []
    names = {o.id: o.name for o in orgs}
    maturity = results.evidence_backed(a.id for a in assessments)  # stored, one query
    return render_template("main/dashboard.html", organisations=orgs, assessments=assessments,
                           names=names, maturity=maturity)


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch the UI language and remember it."""
    if code in ("lv", "en"):
        session["lang"] = code
        session.permanent = True
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))


@bp.get("/healthz")
def healthz():
    """Is the app up and the database reachable?"""
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify({"status": "ok", "database": "ok"})
    except Exception as exc:  # noqa: BLE001 - any database failure means "unavailable"
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": exc.__class__.__name__}), 503


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (WCAG 2.1 AA / EN 301 549)."""
    return render_template("main/accessibility.html")
