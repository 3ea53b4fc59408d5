"""The register's journey with the figures sent through the API instead of an XLSX upload:
the same figures, the same overview, trend and statuses; a bad one among them writes none."""

from __future__ import annotations

import re

from assessment.extensions import db
from assessment.models import User
from tests.conftest import csrf_token
from tests.web.api_helpers import token_for
from tests.web.test_register_pages import (  # noqa: F401 - `org`, `indicator_bank`: fixtures
    BANK,
    from_standard,
    ids,
    indicator_bank,
    lang,
    org,
    quarter_rows,
    upload,
    values,
    xlsx,
)


def test_a_quarters_figures_arrive_through_the_api(app, client, org):  # noqa: F811
    lang(client, "en")
    assert from_standard(client, org).status_code == 302
    rows, months = quarter_rows(app)
    with app.app_context():
        member = db.session.query(User).filter_by(email="ilze@example.lv").one().id
    token = token_for(app, member, name="rindu sistēma")
    items = [
        {
            "indicator": row[0],
            "period": row[2],
            "value": float(str(row[3]).replace(",", ".")),
            "comment": row[4],
        }
        for row in rows[1:]
    ]
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
    assert re.search(
        r"Klientu apmierinātība</a>.*?" + months[2] + r".*?70\.5 %.*?Off target", page, re.S
    )
    sat = ids(app)["Klientu apmierinātība"]
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    assert f'kpi-point kpi-red" data-period="{months[2]}"' in page
    assert f'kpi-point kpi-green" data-period="{months[0]}"' in page
    # And the API reads them back, with their statuses.
    read = api.get(f"/api/v1/indicators/{sat}", headers=headers).get_json()
    assert [(v["period"], v["value"], v["status"], v["source"]) for v in read["values"]] == [
        (months[0], 88.0, "green", "api"),
        (months[1], 80.0, read["values"][1]["status"], "api"),
        (months[2], 70.5, "red", "api"),
    ]


def test_a_linked_question_needs_a_comment_for_another_figure_through_the_api(
    app,
    client,
    factory,
    org,  # noqa: F811
    indicator_bank,  # noqa: F811
):
    """The questionnaire's rule holds for the API too: the bank's indicator question takes the
    register's figure; another figure needs a comment."""
    lang(client, "en")
    assessment = factory.assessment(org, language="en", bank=BANK)
    from_standard(client, org)
    rows, months = quarter_rows(app, satisfaction=(88, 80, 91))
    upload(client, org, xlsx(rows))
    sat = ids(app)["Klientu apmierinātība"]
    assert (
        client.post(
            f"/kpi/{sat}/link",
            data={
                "csrf_token": csrf_token(client, f"/kpi/{sat}"),
                "target": f"{assessment}:gamma.answered",
            },
        ).status_code
        == 302
    )
    with app.app_context():
        member = db.session.query(User).filter_by(email="ilze@example.lv").one().id
    headers = {"Authorization": f"Bearer {token_for(app, member)}", "Accept-Language": "en"}
    url = f"/api/v1/assessments/{assessment}/answers"
    doc = {
        "format": "assessment-answers/1",
        "bank": {"id": BANK[0], "version": BANK[1]},
        "answers": [{"question": "gamma.answered", "value": 60, "period": months[2]}],
    }
    refused = app.test_client().post(url, json=doc, headers=headers)
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"][0]["pointer"] == "/answers/0/comment"
    assert "differs from the KPI register" in body["detail"]
    doc["answers"][0]["comment"] = "survey redone"
    stored = app.test_client().post(url, json=doc, headers=headers)
    assert stored.status_code == 200, stored.get_data(as_text=True)
    answer = stored.get_json()["answers"][0]
    assert (answer["value"], answer["comment"]) == (60, "survey redone")
