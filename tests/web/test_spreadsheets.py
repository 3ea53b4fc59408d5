"""Exports people open in Excel (issue 13, item 11): the answers and the action plan as XLSX,
and the CSV with `;` separators."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import csrf_token

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def answered(client, auth, factory):
    org = factory.organisation()
    other = factory.organisation("Pilsonības un migrācijas lietu pārvalde")
    factory.user("ilze@example.lv", "member", org)
    factory.user("peteris@example.lv", "member", other)
    a = factory.assessment(org)
    b = factory.assessment(other, language="en")
    auth.login("ilze@example.lv")
    token = csrf_token(client, f"/assessments/{a}/dimensions/values")
    client.post(
        f"/assessments/{a}/dimensions/values",
        data={
            "csrf_token": token,
            "q-values.mission-answer": "1",
            "q-values.mission-comment": '=HYPERLINK("x") ā\x07',
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "Stratēģija",
            "q-values.co-created-answer": "dk",
        },
    )
    return a, b


def workbook(response):
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def test_answers_xlsx_has_latvian_headers_typed_cells_and_formats(client, answered):
    a, _b = answered
    ws = workbook(client.get(f"/assessments/{a}/export.xlsx")).active
    assert ws.title == "Atbildes"
    heads = [c.value for c in ws[1]]
    assert heads[:6] == [
        "Dimensija",
        "Jautājuma ID",
        "Jautājums",
        "Vadlīniju punkts",
        "Līmenis",
        "Līmeņa nosaukums",
    ]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width == 60
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    mission = rows["values.mission"]
    assert mission[4].value == 1 and mission[4].data_type == "n"  # a number, not "1"
    # a formula stays text; a control character is dropped, Latvian letters kept
    assert mission[7].value == '=HYPERLINK("x") ā' and mission[7].data_type == "s"
    assert rows["values.co-created"][6].value == "Nezinu"
    assert rows["values.co-created"][4].value is None


def test_action_plan_xlsx_numbers_and_dates(app, client, answered):
    a, _b = answered
    token = csrf_token(client, f"/assessments/{a}/report")
    response = client.post(
        f"/assessments/{a}/actions/values.mission",
        data={"csrf_token": token, "owner": "Jānis Ozols", "due": "2027-03-31", "status": "open"},
    )
    assert response.status_code in (302, 303)
    ws = workbook(client.get(f"/assessments/{a}/actions.xlsx")).active
    assert ws.title == "Rīcības plāns"
    heads = [c.value for c in ws[1]]
    assert heads[0] == "Nr." and "Atbildīgais" in heads and "Termiņš" in heads
    row = next(
        r for r in ws.iter_rows(min_row=2) if r[heads.index("Atbildīgais")].value == "Jānis Ozols"
    )
    due = row[heads.index("Termiņš")]
    assert due.value.date() == dt.date(2027, 3, 31) and due.number_format == "dd.mm.yyyy"
    assert isinstance(row[0].value, int) and row[heads.index("Prioritāte")].data_type == "n"
    en = workbook(client.get(f"/assessments/{a}/actions.xlsx?lang=en")).active
    assert en.title == "Action plan" and en["A1"].value == "No."
    overview = client.get(f"/assessments/{a}").get_data(as_text=True)
    assert f"/assessments/{a}/export.xlsx" in overview
    assert f"/assessments/{a}/actions.xlsx" in overview and "export.csv?sep=;" in overview


def test_csv_offers_semicolons_and_refuses_other_separators(client, answered):
    a, _b = answered
    comma = client.get(f"/assessments/{a}/export.csv").data.decode("utf-8-sig")
    assert comma.splitlines()[0].startswith("dimension,question,")
    semi = client.get(f"/assessments/{a}/export.csv?sep=;")
    assert semi.status_code == 200
    assert semi.data.decode("utf-8-sig").splitlines()[0].startswith("dimension;question;")
    bad = client.get(f"/assessments/{a}/export.csv?sep=|")
    assert bad.status_code == 400
    assert "semikol" in bad.get_data(as_text=True)  # in the user's language (lv)


def test_xlsx_exports_of_another_organisation_are_not_found(client, answered):
    _a, b = answered
    for url in (f"/assessments/{b}/export.xlsx", f"/assessments/{b}/actions.xlsx"):
        assert client.get(url).status_code == 404, url


def test_xlsx_exports_need_a_login(client, answered, auth):
    a, _b = answered
    auth.logout()
    for url in (f"/assessments/{a}/export.xlsx", f"/assessments/{a}/actions.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
