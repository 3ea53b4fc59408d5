"""The KPI register at scale (issue 15, item 6): its overview and an indicator page with 2,000
organisations × 20 indicators × 36 monthly figures, against the same pages with 10 organisations.

`register_scale(tmp)` builds both SQLite databases in `tmp`, measures (in-process, test client,
median of interleaved GETs) and prints its own table and one line
`[register] {"register_overview_ratio": …, "register_indicator_ratio": …, …}`; it returns the
figures. Run alone with `python -m bench.register_scale`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

SECRET = "bench-secret-not-for-production"
PASSWORD = "kafijas krūze uz galda 2026"
MEMBER = "bench-kpi@example.lv"
SMALL_ORGS, LARGE_ORGS, INDICATORS, MONTHS = 10, 2000, 20, 36
REQUESTS = 30
CHANNELS = ("Klientu centrs", "Tālrunis", "E-pasts", "Portāls")


def _app(url: str):
    from assessment import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "SESSION_COOKIE_SECURE": False,
        }
    )


def _months(today: dt.date) -> list[str]:
    from assessment.domain import kpi

    return kpi.periods_back("month", kpi.last_complete("month", today), MONTHS)


def _fill(path: Path, first: int, last: int, months: list[str], rng: random.Random) -> None:
    """Organisations first..last-1, each with INDICATORS indicators of MONTHS figures (raw
    sqlite3: 1.4 million rows in seconds)."""
    now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO organisations (id, name, kind, branches, segments, created_at) "
            "VALUES (?, ?, 'Valsts pārvaldes iestāde', 1, '[]', ?)",
            [(org, f"KPI iestāde {org:05d}", now) for org in range(first, last)],
        )
        indicator_rows, value_rows = [], []
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM kpi_indicators").fetchone()[0] + 1
        for org in range(first, last):
            for n in range(INDICATORS):
                indicator_rows.append(
                    (
                        next_id,
                        org,
                        f"Rādītājs {n:02d}",
                        "Definīcija",
                        CHANNELS[n % 4],
                        f"Pakalpojums {n % 3}",
                        f"Grupa {n % 2}",
                        "%",
                        "higher",
                        80.0,
                        85.0,
                        5.0,
                        "Rindu sistēma",
                        "month",
                        "",
                        now,
                    )
                )
                for period in months:
                    value_rows.append(
                        (next_id, period, round(rng.uniform(70, 95), 1), "", "upload", now)
                    )
                next_id += 1
            if len(value_rows) > 200_000:
                _insert(conn, indicator_rows, value_rows)
                indicator_rows, value_rows = [], []
        _insert(conn, indicator_rows, value_rows)
        conn.execute("ANALYZE")


def _insert(conn, indicators, values) -> None:
    conn.executemany(
        "INSERT INTO kpi_indicators (id, organisation_id, name, definition, channel, service, "
        "segment, unit, direction, baseline, target, amber, data_source, period_kind, "
        "source_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        indicators,
    )
    conn.executemany(
        "INSERT INTO kpi_values (indicator_id, period, value, comment, source, entered_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        values,
    )


def prepare(tmp: Path) -> tuple[Path, Path, int]:
    """The small database (10 organisations, a member of the first) and its copy grown to
    2,000 organisations; returns the paths and the first organisation's id."""
    from assessment.commands import init_database
    from assessment.extensions import db
    from assessment.services.organisations import create_organisation
    from assessment.services.users import create_user

    small, large = tmp / "kpi-small.db", tmp / "kpi-large.db"
    app = _app(f"sqlite:///{small}")
    with app.app_context():
        init_database()
        org = create_organisation("KPI iestāde 00000", "Valsts pārvaldes iestāde", 1)
        create_user(MEMBER, PASSWORD, "member", org)
        db.session.commit()
        org_id = org.id
        db.engine.dispose()
    rng = random.Random(15)
    months = _months(dt.date.today())
    _fill(small, org_id, org_id + 1, months, rng)  # the member's own organisation's figures
    _fill(small, org_id + 1, org_id + SMALL_ORGS, months, rng)
    shutil.copyfile(small, large)
    _fill(large, org_id + SMALL_ORGS, org_id + LARGE_ORGS, months, rng)
    return small, large, org_id


def _client(url: str):
    import re

    app = _app(url)
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(
        "/login", data={"email": MEMBER, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"login failed: HTTP {response.status_code}")
    return app, client


def _statements(app, client, page: str) -> int:
    from sqlalchemy import event

    from assessment.extensions import db

    with app.app_context():
        engine = db.engine
    client.get(page)
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        status = client.get(page).status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    if status != 200:
        raise RuntimeError(f"{page}: HTTP {status}")
    return len(seen)


def register_scale(tmp: Path) -> dict:
    """Build, measure, print; the figures as a dict."""
    from bench.__main__ import getter, interleaved

    t0 = time.perf_counter()
    small, large, org_id = prepare(tmp)
    build = time.perf_counter() - t0
    small_app, small_client = _client(f"sqlite:///{small}")
    large_app, large_client = _client(f"sqlite:///{large}")
    with small_app.app_context():
        from sqlalchemy import select

        from assessment.extensions import db
        from assessment.models import KpiIndicator

        indicator_id = db.session.scalar(
            select(KpiIndicator.id)
            .where(KpiIndicator.organisation_id == org_id)
            .order_by(KpiIndicator.id)
            .limit(1)
        )
    pages = {
        "overview": f"/organisations/{org_id}/kpi",
        "indicator": f"/kpi/{indicator_id}?periods=36",
    }
    figures: dict[str, float | int] = {}
    rows = []
    for name, page in pages.items():
        times = interleaved(
            {"small": getter(small_client, page), "large": getter(large_client, page)},
            REQUESTS,
            warm=3,
        )
        n_small = _statements(small_app, small_client, page)
        n_large = _statements(large_app, large_client, page)
        figures[f"register_{name}_ratio"] = round(times["large"] / times["small"], 3)
        figures[f"register_{name}_queries"] = n_large
        rows.append((name, page, times, n_small, n_large))
    print(
        f"\nKPI register at scale ({INDICATORS} indicators × {MONTHS} monthly figures per "
        f"organisation; databases built in {build:.1f} s; median of {REQUESTS} GETs)"
    )
    for name, page, times, n_small, n_large in rows:
        print(
            f"  {name:<10} {page:<32} {SMALL_ORGS:>5} org.: {1000 * times['small']:7.2f} ms "
            f"({n_small} SQL)   {LARGE_ORGS} org.: {1000 * times['large']:7.2f} ms "
            f"({n_large} SQL)   ratio {times['large'] / times['small']:.3f} (<= 1.5)"
        )
    print("[register] " + json.dumps(figures), flush=True)
    return figures


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="assessment-bench-kpi-") as directory:
        register_scale(Path(directory))
    sys.exit(0)
