"""Shared set-up for the KPI register tests: an approved standard with a 2.2.7 table."""

from __future__ import annotations

import datetime as dt

from assessment.extensions import db
from assessment.models import Standard, StandardVersion

ROWS = [
    {
        "key": "2.2.7-satisfaction",
        "channel": "Klientu centrs",
        "indicator": "Klientu apmierinātība",
        "target": "vismaz 85",
        "unit": "%",
        "data_source": "Aptauja",
    },
    {
        "key": "i-wait",
        "channel": "Tālrunis",
        "indicator": "Gaidīšanas laiks",
        "target": "ne vairāk kā 3",
        "unit": "min",
        "data_source": "Rindu sistēma",
    },
]


def approved_standard(app, org_id: int, rows=None) -> None:
    """An approved standard version holding `rows` as its 2.2.7 indicator table."""
    with app.app_context():
        standard = Standard(organisation_id=org_id, language="lv", public_slug=f"org-{org_id}-kpi")
        db.session.add(standard)
        standard.versions.append(
            StandardVersion(
                number=1,
                state="approved",
                approved_on=dt.date(2026, 1, 5),
                content={"indicators": list(ROWS if rows is None else rows)},
            )
        )
        db.session.commit()


def last_quarter(today: dt.date | None = None) -> tuple[str, list[str]]:
    """The last complete quarter and its three months."""
    from assessment.domain import kpi

    quarter = kpi.last_complete("quarter", today or dt.date.today())
    start = kpi.period_start(quarter)
    months = [
        kpi.period_containing("month", dt.date(start.year, start.month + n, 1)) for n in range(3)
    ]
    return quarter, months
