"""The register's journey with the figures sent through the API instead of an XLSX upload:
the same figures, the same overview, trend and statuses; a bad one among them writes none."""

from __future__ import annotations

import re

from assessment.extensions import db
from assessment.models import User
from tests.web.api_helpers import token_for
from tests.web.test_register_pages import (  # noqa: F401 - `org` is a fixture
    from_standard,
    ids,
    lang,
    org,
    quarter_rows,
    values,
)


def test_a_quarters_figures_arrive_through_the_api(app, client, org):  # noqa: F811
    lang(client, "en")
    assert from_standard(client, org).status_code == 302
    rows, months = quarter_rows(app)
    with app.app_context():
        member = db.session.query(User).filter_by(email="ilze@example.lv").one().id
    token = token_for(app, member, name="rindu sistēma")
    items = [{"indicator": row[0], "period": row[2],
              "value": float(str(row[3]).replace(",", ".")), "comment": row[4]}
             for row in rows[1:]]
    api = app.test_client()  # no session: the token alone
    url = f"/api/v1/organisations/{org}/indicator-values"
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    # One bad figure among them: nothing is written, and the problem names it.
    bad = [dict(i) for i in items]
    bad[1]["period"] = "2026-13"
    refused = api.post(url, json={"values": bad}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["pointer"] == "/values/1/period"
    assert values(app) == 0
    response = api.post(url, json={"values": items}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert values(app) == 3
    # The register shows them as it shows an upload's.
    page = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert re.search(r"Klientu apmierinātība</a>.*?" + months[2] + r".*?70\.5 %.*?Off target",
                     page, re.S)
    sat = ids(app)["Klientu apmierinātība"]
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    assert f'kpi-point kpi-red" data-period="{months[2]}"' in page
    assert f'kpi-point kpi-green" data-period="{months[0]}"' in page
    # And the API reads them back, with their statuses.
    read = api.get(f"/api/v1/indicators/{sat}", headers=headers).get_json()
    assert [(v["period"], v["value"], v["status"], v["source"]) for v in read["values"]] == [
        (months[0], 88.0, "green", "api"), (months[1], 80.0, read["values"][1]["status"], "api"),
        (months[2], 70.5, "red", "api")]
