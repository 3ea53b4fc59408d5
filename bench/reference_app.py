# ruff: noqa: E501 - the page template keeps the markup of templates/assessments/questionnaire.html
"""The reference for the questionnaire benchmark: a minimal Flask app doing the same job.

It serves one dimension's page of an assessment from the same database with the same form
markup (every question: version field, seven radios with labels, comment, evidence rows in a
<details>, the same buttons), and saves a posted page. It does only what is needed:

* GET: two queries through SQLAlchemy Core — the assessment with its organisation and the
  session's user (the access check), then every answer of the assessment (the page shows the
  progress of every dimension);
* POST: the form is validated like the app does, then one INSERT … ON CONFLICT DO UPDATE of
  the page's answers;
* the same signed session cookie and CSRF protection (Flask-WTF) as the app, so a session
  made by logging in to the app works here too. Banks are parsed once at start.

Serve it with `gunicorn 'bench.reference_app:create_app()'`; the database comes from
BENCH_DATABASE_URL and the secret from SECRET_KEY, as the app's gunicorn gets them.
"""

from __future__ import annotations

import datetime as dt
import json
import os

from flask import Flask, abort, redirect, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import generate_csrf
from sqlalchemy import JSON, DateTime, bindparam, create_engine, text

from assessment.domain.bank import Bank, parse_bank_text

CHOICES = ("0", "1", "2", "3", "4", "na", "dk")

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ dimension.title.get(lang) }} – {{ a.title }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="bar"><a class="brand" href="/">Service standard readiness</a>
<nav aria-label="Main menu"><ul><li><a href="/">Dashboard</a></li>
<li><a href="/organisations/">Organisations</a></li><li><a href="/password">Password</a></li>
<li><form method="post" action="/logout" class="inline"><input type="hidden" name="csrf_token" value="{{ token }}">
<button type="submit" class="link">Log out</button></form></li></ul></nav>
<nav class="langs" aria-label="Language"><a href="/lang/lv" lang="lv">Latviešu</a> <a href="/lang/en" lang="en">English</a></nav>
</div></header>
<main id="main" tabindex="-1">
<p class="crumbs"><a href="/organisations/{{ a.organisation_id }}">{{ a.org_name }}</a> ›
<a href="/assessments/{{ a.id }}">{{ a.title }}</a></p>
<h1>{{ dimension.title.get(lang) }}</h1>
<nav aria-label="Dimensions" class="steps"><ol>
{% for d, n in progress %}<li{% if d.id == dimension.id %} class="current"{% endif %}><a href="/assessments/{{ a.id }}/dimensions/{{ d.id }}">{{ d.title.get(lang) }} <span class="count">{{ n }}/{{ d.questions|length }}</span></a></li>{% endfor %}
</ol></nav>
<p class="page-progress">Page {{ index + 1 }} of {{ progress|length }}.
<span class="progress-label">Overall: {{ answered }} of {{ total }} questions answered</span></p>
<form method="post" novalidate class="questionnaire">
<input type="hidden" name="csrf_token" value="{{ token }}">
{% for q, v in items %}{% set qid = "q-" ~ q.id %}
<fieldset id="{{ qid }}" class="question">
<legend><span class="qnum">{{ loop.index }}.</span> {{ q.text.get(lang) }}</legend>
<p class="source">Guideline clause {{ q.source }}</p>
{% if q.help %}<p class="help" id="{{ qid }}-help">{{ q.help.get(lang) }}</p>{% endif %}
<input type="hidden" name="{{ qid }}-version" value="{{ v.version }}">
<div class="levels">
{% for descriptor in q.levels %}<div class="option"><input type="radio" id="{{ qid }}-{{ loop.index0 }}" name="{{ qid }}-answer" value="{{ loop.index0 }}" {% if v.choice == loop.index0|string %}checked{% endif %}>
<label for="{{ qid }}-{{ loop.index0 }}"><span class="lvl">{{ loop.index0 }} · {{ scale[loop.index0].get(lang) }}</span> {{ descriptor.get(lang) }}</label></div>
{% endfor %}
<div class="option other"><input type="radio" id="{{ qid }}-na" name="{{ qid }}-answer" value="na" {% if v.choice == 'na' %}checked{% endif %}><label for="{{ qid }}-na">Not applicable</label></div>
<div class="option other"><input type="radio" id="{{ qid }}-dk" name="{{ qid }}-answer" value="dk" {% if v.choice == 'dk' %}checked{% endif %}><label for="{{ qid }}-dk">Don't know</label></div>
</div>
<div class="field"><label for="{{ qid }}-comment">Comment</label>
<textarea id="{{ qid }}-comment" name="{{ qid }}-comment" rows="2">{{ v.comment }}</textarea></div>
{% set rows = v.evidence|length + 1 %}
<details class="evidence"{% if v.evidence %} open{% endif %}><summary>Evidence ({{ v.evidence|length }})</summary>
<p class="hint">What would prove a level 3 or 4 answer: {% for ex in q.evidence_examples %}{{ ex.get(lang) }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>
<input type="hidden" name="{{ qid }}-evcount" value="{{ rows }}">
{% for n in range(rows) %}{% set e = v.evidence[n] if n < v.evidence|length else {} %}
<fieldset class="evidence-row"><legend class="sr-only">Evidence item {{ n + 1 }}</legend>
<div class="field"><label for="{{ qid }}-ev-{{ n }}-title">Title</label><input type="text" id="{{ qid }}-ev-{{ n }}-title" name="{{ qid }}-ev-{{ n }}-title" value="{{ e.title or '' }}" maxlength="500"></div>
<div class="field"><label for="{{ qid }}-ev-{{ n }}-url">Link</label><input type="url" id="{{ qid }}-ev-{{ n }}-url" name="{{ qid }}-ev-{{ n }}-url" value="{{ e.url or '' }}" maxlength="2000"></div>
<div class="field"><label for="{{ qid }}-ev-{{ n }}-date">Date</label><input type="date" id="{{ qid }}-ev-{{ n }}-date" name="{{ qid }}-ev-{{ n }}-date" value="{{ e.date or '' }}"></div>
{% if n < v.evidence|length %}<div class="field check"><input type="checkbox" id="{{ qid }}-ev-{{ n }}-remove" name="{{ qid }}-ev-{{ n }}-remove" value="1"><label for="{{ qid }}-ev-{{ n }}-remove">Remove</label></div>{% endif %}
</fieldset>{% endfor %}
<button type="submit" name="action" value="more:{{ q.id }}" class="small">Save and add another evidence item</button>
</details>
</fieldset>
{% endfor %}
<div class="buttons">{% if index %}<button type="submit" name="action" value="back">Save and go back</button>{% endif %}
<button type="submit" name="action" value="save">Save</button>
<button type="submit" name="action" value="next" class="primary">Save and continue</button></div>
</form>
</main>
<footer class="site"><p><a href="/accessibility">Accessibility statement</a></p></footer>
</body></html>
"""

ASSESSMENT = text("""
    SELECT a.id, a.organisation_id, a.bank_id, a.bank_version, a.title, a.language, a.state,
           o.name AS org_name, u.role AS user_role, u.organisation_id AS user_org
    FROM assessments a JOIN organisations o ON o.id = a.organisation_id
    JOIN users u ON u.id = :user_id
    WHERE a.id = :assessment_id""")

ANSWERS = text("""
    SELECT question_id, level, not_applicable, dont_know, comment, evidence, version
    FROM answers WHERE assessment_id = :assessment_id""")

UPSERT = text("""
    INSERT INTO answers (assessment_id, question_id, level, not_applicable, dont_know, comment,
                         evidence, version, updated_by_id, updated_at)
    VALUES (:assessment_id, :question_id, :level, :not_applicable, :dont_know, :comment,
            :evidence, 1, :user_id, :now)
    ON CONFLICT (assessment_id, question_id) DO UPDATE SET
        level = excluded.level, not_applicable = excluded.not_applicable,
        dont_know = excluded.dont_know, comment = excluded.comment,
        evidence = excluded.evidence, version = answers.version + 1,
        updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at""").bindparams(
    bindparam("evidence", type_=JSON), bindparam("now", type_=DateTime(timezone=True))
)


class Values:
    """A stored answer as the form shows it."""

    __slots__ = ("choice", "comment", "evidence", "version")

    def __init__(self, row=None):
        if row is None:
            self.choice, self.comment, self.evidence, self.version = "", "", [], 0
            return
        self.choice = (
            str(row.level)
            if row.level is not None
            else "na"
            if row.not_applicable
            else "dk"
            if row.dont_know
            else ""
        )
        self.comment = row.comment or ""
        evidence = row.evidence
        self.evidence = json.loads(evidence) if isinstance(evidence, str) else evidence or []
        self.version = row.version


def load_banks(engine) -> dict[tuple[str, str], Bank]:
    """Every installed bank, parsed once."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT bank_id, version, content FROM banks")).all()
    return {
        (r.bank_id, r.version): parse_bank_text(r.content, f"{r.bank_id}@{r.version}") for r in rows
    }


def create_app(database_url: str | None = None) -> Flask:
    """The reference app on BENCH_DATABASE_URL (or `database_url`)."""
    app = Flask(__name__, static_folder=None)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["WTF_CSRF_TIME_LIMIT"] = 8 * 3600
    CSRFProtect(app)
    engine = create_engine(database_url or os.environ["BENCH_DATABASE_URL"])
    banks = load_banks(engine)
    template = app.jinja_env.from_string(PAGE)

    def visible(user_id: int, assessment_id: int):
        with engine.connect() as conn:
            a = conn.execute(
                ASSESSMENT, {"user_id": user_id, "assessment_id": assessment_id}
            ).first()
            if a is None or (a.user_role == "member" and a.user_org != a.organisation_id):
                abort(404)
            return a, conn.execute(ANSWERS, {"assessment_id": assessment_id}).all()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.route(
        "/assessments/<int:assessment_id>/dimensions/<dimension_id>", methods=["GET", "POST"]
    )
    def questionnaire(assessment_id: int, dimension_id: str):
        # The app's session holds "<id>.<session version>"; the reference reads the id only.
        user_id = (session.get("_user_id") or "").partition(".")[0] or None
        if user_id is None:
            return redirect("/login")
        if request.method == "POST":
            return save(int(user_id), assessment_id, dimension_id)
        a, rows = visible(int(user_id), assessment_id)
        bank = banks[(a.bank_id, a.bank_version)]
        dimension = bank.dimension(dimension_id) or abort(404)
        stored = {r.question_id: r for r in rows}
        answered = {
            qid
            for qid, r in stored.items()
            if r.level is not None or r.not_applicable or r.dont_know
        }
        progress = [(d, sum(q.id in answered for q in d.questions)) for d in bank.dimensions]
        lang = a.language
        return template.render(
            a=a,
            lang=lang,
            dimension=dimension,
            scale=bank.scale,
            progress=progress,
            index=bank.dimensions.index(dimension),
            answered=len(answered),
            total=len(bank),
            items=[(q, Values(stored.get(q.id))) for q in dimension.questions],
            token=generate_csrf(),
        )

    def save(user_id: int, assessment_id: int, dimension_id: str):
        with engine.connect() as conn:
            a = conn.execute(
                ASSESSMENT, {"user_id": user_id, "assessment_id": assessment_id}
            ).first()
        if a is None or (a.user_role == "member" and a.user_org != a.organisation_id):
            abort(404)
        dimension = banks[(a.bank_id, a.bank_version)].dimension(dimension_id) or abort(404)
        form = request.form
        now = dt.datetime.now(dt.UTC)
        params = []
        for q in dimension.questions:
            prefix = f"q-{q.id}"
            choice = (form.get(f"{prefix}-answer") or "").strip()
            if choice not in CHOICES and choice != "":
                abort(400)
            comment = (form.get(f"{prefix}-comment") or "").strip()
            if len(comment) > 20_000:
                abort(400)
            evidence = []
            for n in range(min(int(form.get(f"{prefix}-evcount") or 0), 101)):
                item = {
                    k: (form.get(f"{prefix}-ev-{n}-{k}") or "").strip()
                    for k in ("title", "url", "date")
                }
                if any(item.values()):
                    evidence.append({k: v for k, v in item.items() if v})
            params.append(
                {
                    "assessment_id": assessment_id,
                    "question_id": q.id,
                    "level": int(choice) if choice.isdigit() else None,
                    "not_applicable": choice == "na",
                    "dont_know": choice == "dk",
                    "comment": comment,
                    "evidence": evidence,
                    "user_id": user_id,
                    "now": now,
                }
            )
        with engine.begin() as conn:
            conn.execute(UPSERT, params)  # one statement for the page's answers
        return redirect(request.path)

    return app
