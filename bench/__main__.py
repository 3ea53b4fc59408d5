"""`make bench`: the app against references, on a temporary SQLite database (issue 6, item 3).

1. Questionnaire GET and POST (one dimension's page) through gunicorn (2 workers, 127.0.0.1)
   for a few fixed seconds each, then the same against bench/reference_app.py (a minimal Flask
   app: two queries to render, one upsert to save), served the same way from the same database.
2. PDF: the app's report of a fully answered, demo-like assessment against a bare ReportLab
   document with the same number of pages and tables and one chart (in-process, median of 5).
3. queries_per_page: SQL statements for one questionnaire GET (in-process, test client).
4. scale_ratio: median questionnaire GET time (in-process, 50 requests) with 2,000
   organisations × 3 completed assessments (every question answered, results stored) against
   10 organisations; scale_ratio_max: the largest such ratio over every page (dashboard,
   organisation, organisations, portfolio, benchmark, compare, report, questionnaire).
5. The KPI register's overview and an indicator page with 2,000 organisations × 20 indicators
   × 36 monthly figures against 10 organisations (bench/register_scale.py, its own lines).

Prints a table, and as the very last line one JSON object with the ratios. Everything is
bounded (durations, request caps, a global alarm); gunicorn is always stopped.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import Gunicorn, LoadResult, Request, fetch, load
from .register_scale import register_scale

SECRET = "bench-secret-not-for-production"
PASSWORD = "kafijas krūze uz galda 2026"
MEMBER = "bench-member@example.lv"
ADMIN = "bench-admin@example.lv"
BANK = ("lv-customer-service-2013", "1.0.0")
DIMENSION = "values"
THREADS = 4  # client threads per target (gunicorn has 2 workers)
WARMUP_SECONDS = 1.5  # untimed, so every worker has imported the app and parsed the bank
SECONDS = 8.0  # timed, per target, in ROUNDS alternating rounds
ROUNDS = 16  # short rounds, so that a change in the machine's speed hits both alike
MAX_REQUESTS = 20_000
PDF_RUNS = 5
SCALE_REQUESTS = 50
SMALL_ORGS, LARGE_ORGS, ASSESSMENTS_PER_ORG = 10, 2000, 3
TIME_LIMIT = 300  # seconds for the whole run, whatever happens

COMMENTS = [
    "Apstiprināts ar direktora rīkojumu; filiālēs ieviešana vēl turpinās.",
    "Dati tiek vākti rindu vadības sistēmā, pārskats vadībai reizi ceturksnī.",
    "Praksē atkarīgs no filiāles vadītāja; vienotas kārtības nav.",
    "Aptauja veikta 2025. gadā, nākamā plānota 2027. gadā.",
    "",
    "",
]
EVIDENCE = {
    "title": "Iekšējie noteikumi Nr. 12 „Klientu apkalpošanas standarts”",
    "url": "https://example.lv/standarts",
    "date": "2026-02-14",
}


class Overtime(Exception):
    """The global time limit passed."""


def _alarm(signum, frame):
    raise Overtime(f"the benchmark ran over {TIME_LIMIT} s")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the database ----------------------------------------------------------------------------


def demo_like_rows(bank, assessment_id: int, rng: random.Random) -> list[dict]:
    """Every question answered as in the demo: levels, some n/a and don't-know, comments,
    evidence on most level 3 and 4 answers."""
    rows = []
    for q in bank.questions:
        roll = rng.random()
        row = {
            "assessment_id": assessment_id,
            "question_id": q.id,
            "level": None,
            "not_applicable": False,
            "dont_know": False,
            "comment": rng.choice(COMMENTS),
            "evidence": [],
            "version": 1,
        }
        if roll < 0.05:
            row["not_applicable"] = True
        elif roll < 0.1:
            row["dont_know"] = True
        else:
            row["level"] = rng.choice([1, 2, 2, 3, 3, 4])
            if row["level"] >= 3 and rng.random() < 0.8:
                row["evidence"] = [dict(EVIDENCE)]
        rows.append(row)
    return rows


def make_app(url: str):
    from assessment import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )


def prepare(url: str) -> dict:
    """init, 10 organisations × 3 answered assessments, a member and an admin, and empty
    assessments for the POST clients (one per client thread, for the app and the reference)."""
    from sqlalchemy import insert, update

    from assessment.commands import init_database
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Assessment
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank
    from assessment.services.organisations import create_organisation
    from assessment.services.results import refresh_all
    from assessment.services.users import create_user

    app = make_app(url)
    rng = random.Random(2026)
    with app.app_context():
        init_database()
        bank = get_bank(*BANK)
        orgs = [
            create_organisation(f"Bench iestāde {i:04d}", "Valsts pārvaldes iestāde", 3)
            for i in range(SMALL_ORGS)
        ]
        create_user(MEMBER, PASSWORD, "member", orgs[0])
        create_user(ADMIN, PASSWORD, "admin")
        answered = []
        for org in orgs:
            for k in range(ASSESSMENTS_PER_ORG):
                answered.append(
                    create_assessment(org, bank, f"Pašnovērtējums {2024 + k}", "lv", {}, None).id
                )
        rows = [r for a in answered for r in demo_like_rows(bank, a, rng)]
        db.session.execute(insert(AnswerRecord.__table__), rows)
        # Completed, as the scale run's: all but the questionnaire's page (which must accept
        # answers); their results stored as the app stores them (bulk rows skip the services).
        db.session.execute(
            update(Assessment.__table__)
            .where(Assessment.__table__.c.id.in_(answered[1:]))
            .values(state="completed")
        )
        refresh_all()
        posts = {
            side: [
                create_assessment(orgs[0], bank, f"POST {side} {t}", "lv", {}, None).id
                for t in range(THREADS)
            ]
            for side in ("app", "ref")
        }
        db.session.commit()
        questions = [q.id for q in bank.dimension(DIMENSION).questions]
        db.engine.dispose()
    return {
        "page_assessment": answered[0],
        "organisation": orgs[0].id,
        "posts": posts,
        "questions": questions,
    }


def add_scale(app, organisations: int) -> float:
    """Bulk-add organisations (each with 3 fully answered, completed assessments, their results
    stored) up to `organisations`; returns the seconds it took."""
    from sqlalchemy import func, insert, select

    from assessment.extensions import db
    from assessment.models import AnswerRecord, Assessment, Organisation
    from assessment.services.banks import get_bank
    from assessment.services.results import refresh, refresh_latest

    t0 = time.perf_counter()
    rng = random.Random(7)
    with app.app_context():
        bank = get_bank(*BANK)
        have = db.session.scalar(select(func.count()).select_from(Organisation))
        db.session.execute(
            insert(Organisation.__table__),
            [
                {
                    "name": f"Scale iestāde {i:05d}",
                    "kind": "Pašvaldība",
                    "branches": i % 7,
                    "segments": [],
                }
                for i in range(have, organisations)
            ],
        )
        ids = db.session.scalars(
            select(Organisation.id).where(Organisation.name.like("Scale iestāde %"))
        ).all()
        targets = {d.id: d.target for d in bank.dimensions}
        db.session.execute(
            insert(Assessment.__table__),
            [
                {
                    "organisation_id": org_id,
                    "bank_id": bank.id,
                    "bank_version": bank.version,
                    "title": f"Scale {org_id}/{k}",
                    "language": "lv",
                    "state": "completed",
                    "targets": targets,
                }
                for org_id in ids
                for k in range(ASSESSMENTS_PER_ORG)
            ],
        )
        new = db.session.scalars(
            select(Assessment.id).where(Assessment.title.like("Scale %"))
        ).all()
        batch: list[dict] = []
        for assessment_id in new:
            batch += demo_like_rows(bank, assessment_id, rng)
            if len(batch) >= 20_000:
                db.session.execute(insert(AnswerRecord.__table__), batch)
                batch = []
        if batch:
            db.session.execute(insert(AnswerRecord.__table__), batch)
        refresh(new)  # their stored results, as the app stores them
        refresh_latest(ids)  # and each organisation's latest and previous assessment
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - t0


# --- HTTP -------------------------------------------------------------------------------------

TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def session_cookie(response, current: str | None = None) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            return header.split(";", 1)[0]
    return current


def login(port: int, page: str) -> tuple[str, str]:
    """Log in to the app as the member; (session cookie, CSRF token of the questionnaire)."""
    r = fetch(port, Request("GET", "/login"))
    cookie = session_cookie(r)
    token = TOKEN.search(r.body).group(1).decode()
    r = fetch(
        port,
        Request(
            "POST",
            "/login",
            {"email": MEMBER, "password": PASSWORD, "csrf_token": token},
            {"Cookie": cookie},
        ),
    )
    if r.status != 302:
        raise RuntimeError(f"login failed: HTTP {r.status}")
    cookie = session_cookie(r, cookie)
    r = fetch(port, Request("GET", page, headers={"Cookie": cookie}))
    if r.status != 200:
        raise RuntimeError(f"{page}: HTTP {r.status}")
    return session_cookie(r, cookie), TOKEN.search(r.body).group(1).decode()


def page_token(port: int, page: str, cookie: str) -> str:
    r = fetch(port, Request("GET", page, headers={"Cookie": cookie}))
    if r.status != 200:
        raise RuntimeError(f"{page}: HTTP {r.status}: {r.body[:300]!r}")
    return TOKEN.search(r.body).group(1).decode()


def save_form(questions: list[str], flip: int, token: str, versions: int | None) -> dict:
    """The questionnaire form as a browser sends it; the answers differ with the parity of
    `flip`, so alternating it makes every save write."""
    form = {"csrf_token": token, "action": "save"}
    for i, qid in enumerate(questions):
        p = f"q-{qid}"
        form[f"{p}-answer"] = str((i + flip) % 2 * 2 + 1)  # 1 or 3
        form[f"{p}-comment"] = f"Bench {flip % 2}"
        form[f"{p}-evcount"] = "1"
        form[f"{p}-ev-0-title"] = form[f"{p}-ev-0-url"] = form[f"{p}-ev-0-date"] = ""
        if versions is not None:
            form[f"{p}-version"] = str(versions)
    return form


VERSION = re.compile(rb'name="q-[^"]+-version" value="(\d+)"')


class Target:
    """The questionnaire GET and POST of one server (the app or the reference)."""

    def __init__(self, side: str, port: int, cookie: str, token: str, prep: dict):
        self.side, self.port, self.prep = side, port, prep
        self.page = f"/assessments/{prep['page_assessment']}/dimensions/{DIMENSION}"
        self.headers = {"Cookie": cookie}
        self.token = token
        self.posts = prep["posts"][side]
        # The app checks the version each client saw (optimistic locking): a client sends the
        # version it holds and answers chosen by its parity, so they always differ from what
        # is stored (written with the previous version). The reference just alternates.
        self.versions = [0] * THREADS
        self.sent = [0] * THREADS

    def get(self, thread: int, n: int) -> Request:
        return Request("GET", self.page, headers=self.headers)

    def post(self, thread: int, n: int) -> Request:
        self.sent[thread] += 1
        if self.side == "app":
            flip = version = self.versions[thread]
        else:
            flip, version = self.sent[thread], None
        return Request(
            "POST",
            f"/assessments/{self.posts[thread]}/dimensions/{DIMENSION}",
            save_form(self.prep["questions"], flip, self.token, version),
            self.headers,
        )

    def track(self, thread: int, n: int, response) -> None:
        if response.status == 302:
            self.versions[thread] += 1
        else:  # a refusal shows the stored versions: continue from them
            found = VERSION.findall(getattr(response, "body", b"") or b"")
            if found:
                self.versions[thread] = max(int(v) for v in found)

    def run(self, kind: str, seconds: float, cap: int = MAX_REQUESTS) -> LoadResult:
        if kind == "get":
            return load(f"{self.side} GET", self.port, self.get, 200, seconds, THREADS, cap)
        return load(
            f"{self.side} POST", self.port, self.post, 302, seconds, THREADS, cap, after=self.track
        )


def combine(results: list[LoadResult]) -> LoadResult:
    statuses: dict[int, int] = {}
    for r in results:
        for k, v in r.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    return LoadResult(
        results[0].label,
        sum(r.seconds for r in results),
        sum(r.ok for r in results),
        sum(r.errors for r in results),
        statuses,
        [x for r in results for x in r.latencies],
    )


def run_http(app: Target, ref: Target) -> dict[str, dict[str, LoadResult]]:
    """Warm both up, then GET and POST for SECONDS each per server, in alternating rounds
    (app, reference, reference, app, …) so that a change in the machine's load hits both."""
    out: dict[str, dict[str, LoadResult]] = {"app": {}, "ref": {}}
    for kind in ("get", "post"):
        for target in (app, ref):
            target.run(kind, WARMUP_SECONDS if kind == "get" else WARMUP_SECONDS / 3)
        runs: dict[str, list[LoadResult]] = {"app": [], "ref": []}
        for k in range(ROUNDS):
            for target in (app, ref) if k % 2 == 0 else (ref, app):
                runs[target.side].append(target.run(kind, SECONDS / ROUNDS, MAX_REQUESTS // ROUNDS))
        for side in runs:
            out[side][kind] = combine(runs[side])
    return out


# --- in-process measurements ------------------------------------------------------------------


def test_client_login(app):
    client = app.test_client()
    html = client.get("/login").get_data()
    token = TOKEN.search(html).group(1).decode()
    response = client.post(
        "/login", data={"email": MEMBER, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"in-process login failed: HTTP {response.status_code}")
    return client


def queries_per_page(app, client, page: str) -> tuple[int, list[str]]:
    from sqlalchemy import event

    from assessment.extensions import db

    with app.app_context():
        engine = db.engine
    client.get(page)
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split("\n", 1)[0][:100])

    event.listen(engine, "before_cursor_execute", count)
    try:
        status = client.get(page).status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    if status != 200:
        raise RuntimeError(f"{page}: HTTP {status}")
    return len(seen), seen


def interleaved(fns: dict[str, object], runs: int, warm: int = 1) -> dict[str, float]:
    """Median seconds of each callable, called in alternating order (a, b, b, a, …) so a
    change in the machine's load affects all alike."""
    for fn in fns.values():
        for _ in range(warm):
            fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    names = list(fns)
    for k in range(runs):
        for name in names if k % 2 == 0 else names[::-1]:
            t0 = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def getter(client, page: str):
    def get():
        status = client.get(page).status_code
        if status != 200:
            raise RuntimeError(f"{page}: HTTP {status}")

    return get


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def count_story(story) -> tuple[int, int]:
    """(tables, drawings) among the flowables, nested ones included."""
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import KeepTogether, Table

    tables = drawings = 0
    stack = list(story)
    while stack:
        item = stack.pop()
        if isinstance(item, Table):
            tables += 1
            for row in item._cellvalues:
                for cell in row:
                    stack.extend(cell if isinstance(cell, (list, tuple)) else [cell])
        elif isinstance(item, KeepTogether):
            stack.extend(item._content)
        elif isinstance(item, Drawing):
            drawings += 1
    return tables, drawings


def reference_pdf(tables: int, rows: int) -> bytes:
    """A bare ReportLab document: a heading, one radar chart, `tables` tables of `rows` rows
    of wrapped Latvian text (DejaVu Sans, as the report needs for Latvian letters)."""
    from reportlab.graphics.charts.spider import SpiderChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from assessment.reporting.fonts import FONT_DIR

    if "RefSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("RefSans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("RefSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("b", fontName="RefSans", fontSize=9.5, leading=13.5)
    head = ParagraphStyle(
        "h", fontName="RefSans-Bold", fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6
    )
    story = [Paragraph("Klientu apkalpošanas standarta gatavības pašnovērtējums", head)]
    drawing = Drawing(160 * mm, 90 * mm)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = 30 * mm, 5 * mm, 100 * mm, 80 * mm
    chart.data = [[2.4, 3.1, 1.8, 2.9, 3.5, 2.2, 1.6, 2.7], [3, 3, 3, 3, 3, 3, 3, 3]]
    chart.labels = [
        "Vērtības",
        "Vadība",
        "Segmentācija",
        "Mērķi",
        "Apmācība",
        "Procedūras",
        "Tehnoloģijas",
        "Pierādījumi",
    ]
    chart.strands[0].strokeColor = colors.HexColor("#1d5a8a")
    chart.strands[1].strokeColor = colors.HexColor("#b45309")
    drawing.add(chart)
    story.append(drawing)
    text = (
        "Iestāde ir apstiprinājusi klientu apkalpošanas standartu, un tā ieviešana "
        "filiālēs turpinās; pārskats vadībai tiek sagatavots reizi ceturksnī. "
    )
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#cbd2d9")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ebf2")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for t in range(tables):
        story.append(Paragraph(f"Tabula {t + 1}", head))
        data = [
            [Paragraph("Jautājums", body), Paragraph("Atbilde", body), Paragraph("Komentārs", body)]
        ]
        for r in range(rows):
            data.append(
                [
                    Paragraph(f"{t + 1}.{r + 1}. Vai iestādei ir noteikta kārtība?", body),
                    Paragraph(str((r + t) % 5), body),
                    Paragraph(text, body),
                ]
            )
        story += [
            Table(data, colWidths=[55 * mm, 20 * mm, 95 * mm], style=style, repeatRows=1),
            Spacer(1, 4 * mm),
        ]

    def footer(canvas, doc):
        canvas.setFont("RefSans", 7.5)
        canvas.drawRightString(190 * mm, 10 * mm, f"{doc.page}")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Reference").build(
        story, onFirstPage=footer, onLaterPages=footer
    )
    return buffer.getvalue()


def calibrate_reference(tables: int, pages: int) -> int:
    """Rows per table that give the reference `pages` pages (or just over), within 12 builds."""
    tables = max(tables, 1)
    lo, hi, builds = 0, 1, 0
    while pdf_pages(reference_pdf(tables, hi)) < pages and builds < 8:
        lo, hi, builds = hi, hi * 2, builds + 1
    while hi - lo > 1 and builds < 12:
        mid = (lo + hi) // 2
        builds += 1
        if pdf_pages(reference_pdf(tables, mid)) >= pages:
            hi = mid
        else:
            lo = mid
    return hi


def measure_pdf(app, assessment_id: int) -> dict:
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.reporting.pdf import render_pdf, story_of
    from assessment.web.reports import build

    with app.test_request_context():
        item = db.session.get(Assessment, assessment_id)
        t0 = time.perf_counter()
        report = build(item, "lv")
        build_seconds = time.perf_counter() - t0
        data = render_pdf(report)
        tables, drawings = count_story(story_of(report))
    if not data.startswith(b"%PDF-"):
        raise RuntimeError("the app's PDF does not start with %PDF-")
    pages = pdf_pages(data)
    rows = calibrate_reference(tables, pages)
    ref = reference_pdf(tables, rows)
    timings = interleaved(
        {"app": lambda: render_pdf(report), "ref": lambda: reference_pdf(tables, rows)}, PDF_RUNS
    )
    return {
        "app": timings["app"],
        "ref": timings["ref"],
        "build": build_seconds,
        "pages": pages,
        "ref_pages": pdf_pages(ref),
        "tables": tables,
        "drawings": drawings,
        "rows": rows,
        "bytes": len(data),
        "ref_bytes": len(ref),
    }


# --- the run ----------------------------------------------------------------------------------


def main() -> int:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="assessment-bench-") as tmp:
            return run(Path(tmp), started)
    finally:
        signal.alarm(0)


def run(tmp: Path, started: float) -> int:
    db_path, small_path, large_path = tmp / "bench.db", tmp / "small.db", tmp / "large.db"
    url = f"sqlite:///{db_path}"
    log("preparing the database")
    prep = prepare(url)
    shutil.copyfile(db_path, small_path)
    shutil.copyfile(db_path, large_path)
    with sqlite3.connect(db_path) as conn:  # concurrent readers and a writer, both servers
        conn.execute("PRAGMA journal_mode=WAL")
    page = f"/assessments/{prep['page_assessment']}/dimensions/{DIMENSION}"
    env = {
        "DATABASE_URL": url,
        "BENCH_DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "SESSION_COOKIE_SECURE": "0",  # plain http://127.0.0.1
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }

    log("app and reference under gunicorn")
    with (
        Gunicorn("wsgi:app", env, tmp / "app.log") as app_server,
        Gunicorn("bench.reference_app:create_app()", env, tmp / "ref.log") as ref_server,
    ):
        cookie, token = login(app_server.port, page)
        ref_token = page_token(ref_server.port, page, cookie)
        http_results = run_http(
            Target("app", app_server.port, cookie, token, prep),
            Target("ref", ref_server.port, cookie, ref_token, prep),
        )

    log("in-process: queries and PDF")
    small_app = make_app(f"sqlite:///{small_path}")
    small_client = test_client_login(small_app)
    n_queries, statements = queries_per_page(small_app, small_client, page)
    pdf = measure_pdf(small_app, prep["page_assessment"])
    log(f"in-process: scale ({LARGE_ORGS} organisations × {ASSESSMENTS_PER_ORG} assessments)")
    large_app = make_app(f"sqlite:///{large_path}")
    insert_seconds = add_scale(large_app, LARGE_ORGS)
    large_client = test_client_login(large_app)
    n_queries_large, _ = queries_per_page(large_app, large_client, page)
    scale = interleaved(
        {"small": getter(small_client, page), "large": getter(large_client, page)},
        SCALE_REQUESTS,
        warm=5,
    )
    small_admin, large_admin = small_app.test_client(), large_app.test_client()
    _admin_login(small_admin)
    _admin_login(large_admin)
    small, large = scale["small"], scale["large"]
    pages = scale_pages(prep, small_client, large_client, small_admin, large_admin)
    pages["questionnaire"] = (small, large)
    log("in-process: KPI register scale (bench/register_scale.py)")
    register_scale(tmp)  # prints its own table and a "[register] {…}" line of ratios

    a, r = http_results["app"], http_results["ref"]
    figures = {
        "get_ratio": a["get"].rps / r["get"].rps if r["get"].rps else None,
        "post_ratio": a["post"].rps / r["post"].rps if r["post"].rps else None,
        "pdf_ratio": pdf["app"] / pdf["ref"],
        "queries_per_page": n_queries,
        "scale_ratio": large / small,
        "scale_ratio_max": max(b / s_ for s_, b in pages.values()),
    }
    print_table(
        len(prep["questions"]),
        a,
        r,
        pdf,
        n_queries,
        n_queries_large,
        statements,
        small,
        large,
        pages,
        insert_seconds,
        figures,
        time.perf_counter() - started,
    )
    print(
        json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}),
        flush=True,
    )
    return 0


SCALE_PAGE_RUNS = 41  # pages of 2–20 ms: enough runs that one slow moment does not move a median


def scale_pages(
    prep: dict, small_member, large_member, small_admin, large_admin
) -> dict[str, tuple[float, float]]:
    """Median time of each page in the small and the large database (interleaved): the
    member's pages of their organisation and assessment, the admin's lists."""
    a, org = prep["page_assessment"], prep["organisation"]
    member = {
        "dashboard": "/",
        "organisation": f"/organisations/{org}",
        "benchmark": f"/assessments/{a}/benchmark",
        "compare": f"/assessments/{a}/compare",
        "report": f"/assessments/{a}/report",
    }
    admin = {"organisations": "/organisations/", "portfolio": "/portfolio"}
    out = {}
    for name, page in [*member.items(), *admin.items()]:
        small, large = (
            (small_member, large_member) if name in member else (small_admin, large_admin)
        )
        times = interleaved(
            {"small": getter(small, page), "large": getter(large, page)}, SCALE_PAGE_RUNS, warm=2
        )
        out[name] = (times["small"], times["large"])
    return out


def _admin_login(client) -> None:
    html = client.get("/login").get_data()
    token = TOKEN.search(html).group(1).decode()
    client.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": token})


def print_table(
    n_questions,
    a,
    r,
    pdf,
    n_queries,
    n_queries_large,
    statements,
    small,
    large,
    pages,
    insert_seconds,
    figures,
    total,
) -> None:
    def http_row(name: str, x: LoadResult) -> str:
        other = {k: v for k, v in x.statuses.items() if k not in (200, 302)}
        return (
            f"  {name:<28}{x.rps:>9.1f}{x.p50_ms:>10.1f}{1000 * x.percentile(95):>10.1f}"
            f"{x.ok:>8}{x.errors:>7}  {other or ''}"
        )

    cpus = os.cpu_count()
    print(
        f"\nQuestionnaire page '{DIMENSION}' ({n_questions} questions), gunicorn 2 workers, "
        f"{THREADS} client threads, {SECONDS:.0f} s per target, SQLite (WAL), {cpus} CPUs"
    )
    print(f"  {'target':<28}{'req/s':>9}{'p50 ms':>10}{'p95 ms':>10}{'ok':>8}{'errors':>7}")
    print(http_row("app GET", a["get"]))
    print(http_row("reference GET (2 queries)", r["get"]))
    print(http_row("app POST (save, 302)", a["post"]))
    print(http_row("reference POST (1 upsert)", r["post"]))
    print(
        f"\nPDF report (demo-like assessment, {pdf['pages']} pages, {pdf['tables']} tables, "
        f"{pdf['drawings']} drawings; median of {PDF_RUNS})"
    )
    print(
        f"  app render_pdf          {1000 * pdf['app']:>9.1f} ms  ({pdf['bytes']} bytes; "
        f"build_report {1000 * pdf['build']:.1f} ms, not counted)"
    )
    print(
        f"  reference ReportLab     {1000 * pdf['ref']:>9.1f} ms  ({pdf['ref_pages']} pages, "
        f"{pdf['tables']} tables × {pdf['rows']} rows, 1 chart, {pdf['ref_bytes']} bytes)"
    )
    print(
        f"\nSQL statements for one questionnaire GET: {n_queries} "
        f"(at {LARGE_ORGS} organisations: {n_queries_large})"
    )
    for n, s in enumerate(statements, 1):
        print(f"  {n}. {s}")
    print(
        f"\nScale (in-process, median of {SCALE_REQUESTS} GETs; bulk insert {insert_seconds:.1f} s)"
    )
    print(
        f"  questionnaire GET  {SMALL_ORGS:>5} organisations: {1000 * small:7.2f} ms   "
        f"{LARGE_ORGS} × {ASSESSMENTS_PER_ORG} assessments: {1000 * large:7.2f} ms"
    )
    print(
        f"\nScale of every page (in-process, median of {SCALE_PAGE_RUNS}; "
        f"{SMALL_ORGS} against {LARGE_ORGS} organisations × {ASSESSMENTS_PER_ORG} completed)"
    )
    for name, (s_, b) in pages.items():
        print(f"  {name:<16}{1000 * s_:9.2f} ms {1000 * b:9.2f} ms   × {b / s_:.2f}")
    targets = {
        "get_ratio": ">= 0.6",
        "post_ratio": ">= 0.6",
        "pdf_ratio": "<= 2",
        "queries_per_page": "<= 8",
        "scale_ratio": "<= 1.5",
        "scale_ratio_max": "<= 1.5",
    }
    print("\nRatios (target)")
    for key, value in figures.items():
        shown = (
            "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
        )
        print(f"  {key:<18}{shown:>8}   ({targets[key]})")
    print(f"\nTotal {total:.0f} s\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
