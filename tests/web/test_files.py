"""Export (JSON, CSV) and import of answers files through the web."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import csrf_token


@pytest.fixture()
def answered(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    a = factory.assessment(org)
    auth.login("ilze@example.lv")
    token = csrf_token(client, f"/assessments/{a}/dimensions/values")
    client.post(
        f"/assessments/{a}/dimensions/values",
        data={
            "csrf_token": token,
            "q-values.mission-answer": "3",
            "q-values.mission-comment": '=HYPERLINK("x")',
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "Stratēģija",
            "q-values.co-created-answer": "dk",
        },
    )
    return org, a


def test_export_json_is_a_valid_answers_file(client, answered, registry):
    from assessment.domain.answers import parse_answers

    org, a = answered
    response = client.get(f"/assessments/{a}/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    parsed, bank = parse_answers(response.data, registry)
    assert parsed.organisation == "Valsts ieņēmumu dienests"
    assert [x.question for x in parsed.answers] == ["values.mission", "values.co-created"]
    assert parsed.answers[0].evidence[0].title == "Stratēģija"


def test_export_csv_neutralises_formulas_and_keeps_latvian(client, answered):
    org, a = answered
    text = client.get(f"/assessments/{a}/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert text.splitlines()[0].startswith("dimension,question")
    assert text.count("\n") >= 52


def test_import_round_trips(client, answered):
    org, a = answered
    exported = client.get(f"/assessments/{a}/export.json").data
    token = csrf_token(client, f"/organisations/{org}/import")
    response = client.post(
        f"/organisations/{org}/import",
        data={"csrf_token": token, "file": (io.BytesIO(exported), "a.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    new_id = int(response.location.rstrip("/").split("/")[-1])
    again = json.loads(client.get(f"/assessments/{new_id}/export.json").data)
    assert again["answers"] == json.loads(exported)["answers"]


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"", "file"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"{not json", "JSON"),
        (
            json.dumps(
                {"format": "assessment-answers/1", "bank": {"id": "x", "version": "1"}}
            ).encode(),
            "x",
        ),
    ],
)
def test_bad_import_is_refused_with_a_message(client, answered, payload, message):
    org, a = answered
    client.get("/lang/en")
    token = csrf_token(client, f"/organisations/{org}/import")
    response = client.post(
        f"/organisations/{org}/import",
        data={"csrf_token": token, "file": (io.BytesIO(payload), "bad.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_import_can_mark_the_assessment_completed(app, client, answered):
    """Issue 13, item 8: an assessment finished elsewhere is imported as completed."""
    from assessment.extensions import db
    from assessment.models import Assessment

    org, a = answered
    exported = client.get(f"/assessments/{a}/export.json").data
    form = client.get(f"/organisations/{org}/import").get_data(as_text=True)
    assert 'name="complete"' in form
    ids = []
    for extra in ({}, {"complete": "y"}):
        token = csrf_token(client, f"/organisations/{org}/import")
        response = client.post(
            f"/organisations/{org}/import",
            data={"csrf_token": token, "file": (io.BytesIO(exported), "a.json"), **extra},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        ids.append(int(response.location.rstrip("/").split("/")[-1]))
    with app.app_context():
        plain, done = (db.session.get(Assessment, i) for i in ids)
        assert plain.state != "completed" and plain.completed_at is None
        assert done.state == "completed" and done.completed_at is not None
