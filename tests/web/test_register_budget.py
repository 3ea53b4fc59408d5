"""The KPI register's pages issue a fixed number of SQL statements, whatever the number of
organisations, indicators of other organisations and figures (issue 15, item 6)."""

from __future__ import annotations

import datetime as dt

from assessment.domain import kpi
from assessment.extensions import db
from assessment.models import KpiIndicator, KpiValue
from tests.web.test_query_budget import count_get

OVERVIEW_BUDGET = 8
INDICATOR_BUDGET = 10


def _add(app, org_ids, indicators, months):
    periods = kpi.periods_back("month", kpi.last_complete("month", dt.date.today()), months)
    with app.app_context():
        for org in org_ids:
            for n in range(indicators):
                item = KpiIndicator(
                    organisation_id=org,
                    name=f"R {n}",
                    target=85.0,
                    amber=5.0,
                    channel=("Tālrunis", "Portāls")[n % 2],
                )
                db.session.add(item)
                db.session.flush()
                db.session.add_all(
                    [
                        KpiValue(indicator_id=item.id, period=p, value=80.0 + k % 9)
                        for k, p in enumerate(periods)
                    ]
                )
                # a correction in every period: history rows do not add statements either
                db.session.add_all(
                    [KpiValue(indicator_id=item.id, period=p, value=90.0) for p in periods[-2:]]
                )
        db.session.commit()
        return (
            db.session.query(KpiIndicator.id)
            .filter(KpiIndicator.organisation_id == org_ids[0])
            .order_by(KpiIndicator.id)
            .first()[0]
        )


def test_register_pages_statement_count_does_not_grow(app, client, auth, factory):
    mine = factory.organisation("Iestāde A")
    factory.user("ilze@example.lv", "member", mine)
    first = _add(app, [mine], 2, 3)
    auth.login("ilze@example.lv")
    overview, indicator = f"/organisations/{mine}/kpi", f"/kpi/{first}"
    small = count_get(app, client, overview)[0], count_get(app, client, indicator)[0]
    others = [factory.organisation(f"Iestāde {n}") for n in range(5)]
    _add(app, [mine], 8, 24)
    _add(app, others, 6, 24)
    large = count_get(app, client, overview)[0], count_get(app, client, indicator)[0]
    assert large == small
    assert small[0] <= OVERVIEW_BUDGET and small[1] <= INDICATOR_BUDGET
