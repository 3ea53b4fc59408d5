"""The KPI register pages: from the standard, upload, overview, trend, evidence, report; access,
CSRF and bad input (a clear message, a 4xx, nothing written)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from assessment.domain import kpi
from assessment.extensions import db
from assessment.models import AnswerRecord, KpiIndicator, KpiLink, KpiValue
from tests.conftest import DATA, csrf_token
from tests.web.kpi_helpers import approved_standard

BANK = ("mini-ind", "0.1.0")


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture()
def org(app, client, auth, factory):
    org_id = factory.organisation("Iestāde A")
    factory.user("ilze@example.lv", "member", org_id)
    other = factory.organisation("Iestāde B")
    factory.user("zane@example.lv", "member", other)
    approved_standard(app, org_id)
    auth.login("ilze@example.lv")
    return org_id


def lang(client, code):
    with client.session_transaction() as session:
        session["lang"] = code


def ids(app):
    with app.app_context():
        return {i.name: i.id for i in db.session.query(KpiIndicator)}


def values(app):
    with app.app_context():
        return db.session.query(KpiValue).count()


def from_standard(client, org_id, key="all", kind="quarter"):
    url = f"/organisations/{org_id}/kpi"
    return client.post(
        url + "/from-standard",
        data={"csrf_token": csrf_token(client, url), "key": key, "period_kind": kind},
    )


def upload(client, org_id, data, name="f.xlsx"):
    url = f"/organisations/{org_id}/kpi"
    return client.post(
        url + "/upload",
        data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def quarter_rows(app, satisfaction=(88, 80, "70,5"), wait=None):
    """The last three complete quarters' figures of the standard's indicators (headers in
    Latvian; the returned "months" are those quarters)."""
    months = kpi.periods_back("quarter", kpi.last_complete("quarter", dt.date.today()), 3)
    found = ids(app)
    rows = [["Rādītāja ID", "Rādītājs", "Periods", "Vērtība", "Komentārs"]]
    for month, value in zip(months, satisfaction, strict=True):
        rows.append([found["Klientu apmierinātība"], "Klientu apmierinātība", month, value, ""])
    for month, value in zip(months, wait or (), strict=False):
        rows.append([found["Gaidīšanas laiks"], "Gaidīšanas laiks", month, value, ""])
    return rows, months


def test_from_standard_upload_trend_and_overview(app, client, org):
    lang(client, "en")
    assert from_standard(client, org).status_code == 302
    assert set(ids(app)) == {"Klientu apmierinātība", "Gaidīšanas laiks"}
    rows, months = quarter_rows(app)
    response = upload(client, org, xlsx(rows))
    assert response.status_code == 302
    assert values(app) == 3
    page = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert "3 figures saved." in page
    sat = ids(app)["Klientu apmierinātība"]
    assert re.search(
        r"Klientu apmierinātība</a>.*?" + months[2] + r".*?70\.5 %.*?Off target", page, re.S
    )
    assert re.search(r"Gaidīšanas laiks</a>.*?No figure", page, re.S)
    # filtered by channel: only the telephone's indicator
    page = client.get(f"/organisations/{org}/kpi?channel=T%C4%81lrunis").get_data(as_text=True)
    assert "Gaidīšanas laiks</a>" in page and "Klientu apmierinātība</a>" not in page
    # the indicator page: the chart with the target line and an off-target point, the table
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    assert 'class="kpi-target"' in page
    assert f'kpi-point kpi-red" data-period="{months[2]}"' in page
    assert f'kpi-point kpi-green" data-period="{months[0]}"' in page
    assert re.search(rf'<th scope="row">{months[2]}</th><td>70\.5 %</td>', page)
    assert "style=" not in page and "<script" not in page


def test_lv_pages_and_decimal_comma(app, client, org):
    lang(client, "lv")
    from_standard(client, org)
    rows, months = quarter_rows(app)
    upload(client, org, xlsx(rows))
    page = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert "Rādītāju reģistrs" in page and "Neatbilst mērķim" in page
    page = client.get(f"/kpi/{ids(app)['Klientu apmierinātība']}").get_data(as_text=True)
    assert "70,5 %" in page


def test_correction_keeps_history(app, client, org):
    lang(client, "en")
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    months = [kpi.last_complete("quarter", dt.date.today())]
    for value, comment in (("80", ""), ("87,5", "recounted")):
        token = csrf_token(client, f"/kpi/{sat}")
        assert (
            client.post(
                f"/kpi/{sat}/values",
                data={"csrf_token": token, "period": months[0], "value": value, "comment": comment},
            ).status_code
            == 302
        )
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    assert re.search(rf'<th scope="row">{months[0]}</th><td>87\.5 %</td>', page)
    history = page.split("Corrections")[1]
    assert re.search(rf"<td>{months[0]}</td><td>80</td>", history)
    assert values(app) == 2


@pytest.mark.parametrize(
    "code,expected",
    [
        ("en", "Line 3: Value: enter a number, such as 87,5. Nothing was saved."),
        ("lv", "3. rinda: Vērtība: ievadiet skaitli, piemēram, 87,5. Nekas netika saglabāts."),
    ],
)
def test_a_bad_row_names_line_and_column_and_writes_nothing(app, client, org, code, expected):
    lang(client, code)
    from_standard(client, org)
    rows, _months = quarter_rows(app, satisfaction=(88, "daudz", 70))
    response = upload(client, org, xlsx(rows))
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert values(app) == 0


def test_bad_csv_period_and_unknown_indicator(app, client, org):
    lang(client, "en")
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    text = f'Indicator ID,Period,Value\n{sat},2026-Q1,"87,5"\n{sat},2026-03,1\n'.encode()
    response = upload(client, org, text, "f.csv")
    assert response.status_code == 400
    assert "Line 3: Period: enter a quarter such as 2026-Q3." in response.get_data(as_text=True)
    text = b"Indicator ID;Period;Value\n999999;2026-Q1;1\n"
    response = upload(client, org, text, "f.csv")
    assert "Line 2: Indicator ID: no such indicator" in response.get_data(as_text=True)
    for data, name in ((b"", "f.csv"), (b"%PDF-1.4", "f.pdf"), (b"PK\x03\x04junk", "f.xlsx")):
        assert upload(client, org, data, name).status_code == 400
    assert values(app) == 0


def test_csv_upload_from_the_template(app, client, org):
    lang(client, "lv")
    from_standard(client, org)
    template = client.get(f"/organisations/{org}/kpi/template.csv?lang=lv")
    assert template.status_code == 200 and template.data.startswith(b"\xef\xbb\xbfR")
    text = template.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Rādītāja ID;Rādītājs;Periods;Vērtība;Komentārs"
    # each indicator's line gets a figure with a decimal comma in the Value column
    filled = "\r\n".join(
        line.replace(";;", ";87,5;", 1) if i else line for i, line in enumerate(text.splitlines())
    )
    response = upload(client, org, ("\ufeff" + filled).encode(), "f.csv")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert values(app) == 2
    workbook = client.get(f"/organisations/{org}/kpi/template.xlsx?lang=en")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.data)).active
    assert [c.value for c in sheet[1]] == [
        "Indicator ID",
        "Indicator",
        "Period",
        "Value",
        "Comment",
    ]


def test_define_directly_and_refusals(app, client, org):
    lang(client, "en")
    url = f"/organisations/{org}/kpi/new"
    base = {
        "name": "Satisfaction of pensioners",
        "target": "4,2",
        "amber": "0,3",
        "unit": "points",
        "direction": "higher",
        "period_kind": "quarter",
        "segment": "Seniors",
        "service": "Pensions",
        "channel": "Web",
        "review_on": "2027-06-30",
    }
    for bad, message in (
        (("target", "many"), "Target: enter a number"),
        (("review_on", "30.06.2027"), "Enter the date as YYYY-MM-DD"),
        (("period_kind", "week"), "Period kind: choose one"),
        (("amber", "-1"), "The amber band cannot be negative"),
        (("owner_id", "999"), "The owner must be a member"),
    ):
        response = client.post(
            url, data={**base, bad[0]: bad[1], "csrf_token": csrf_token(client, url)}
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert ids(app) == {}
    response = client.post(url, data={**base, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.query(KpiIndicator).one()
        assert (item.target, item.amber, item.segment, item.period_kind) == (
            4.2,
            0.3,
            "Seniors",
            "quarter",
        )
    page = client.get(f"/organisations/{org}/kpi?segment=Seniors").get_data(as_text=True)
    assert "Satisfaction of pensioners</a>" in page


def test_csrf_is_required(app, client, org):
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    for url, data in (
        (f"/kpi/{sat}/values", {"period": "2026-Q1", "value": "1"}),
        (f"/organisations/{org}/kpi/new", {"name": "x", "target": "1"}),
        (f"/organisations/{org}/kpi/from-standard", {"key": "all"}),
    ):
        assert client.post(url, data=data).status_code == 400
    assert values(app) == 0


def test_another_organisation_sees_nothing(app, client, auth, org):
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    auth.logout()
    auth.login("zane@example.lv")
    for path in (
        f"/organisations/{org}/kpi",
        f"/organisations/{org}/kpi/new",
        f"/organisations/{org}/kpi/template.csv",
        f"/organisations/{org}/kpi/template.xlsx",
        f"/kpi/{sat}",
        f"/kpi/{sat}/edit",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/password")
    for path in (
        f"/kpi/{sat}/values",
        f"/kpi/{sat}/edit",
        f"/kpi/{sat}/evidence",
        f"/kpi/{sat}/link",
        f"/organisations/{org}/kpi/upload",
        f"/organisations/{org}/kpi/from-standard",
    ):
        response = client.post(
            path,
            data={
                "csrf_token": token,
                "period": "2026-01",
                "value": "1",
                "key": "all",
                "name": "x",
                "target": "1",
            },
        )
        assert response.status_code == 404, path
    assert values(app) == 0


@pytest.fixture()
def indicator_bank(app):
    from assessment.services.banks import install_bank

    with app.app_context():
        install_bank(
            (DATA / "indicator-bank.yaml").read_bytes(), "indicator-bank.yaml", origin="uploaded"
        )
        db.session.commit()


def test_evidence_link_and_report(app, client, factory, org, indicator_bank):
    lang(client, "en")
    assessment = factory.assessment(org, language="en", bank=BANK)
    from_standard(client, org)
    rows, months = quarter_rows(app, satisfaction=(88, 80, 91))
    upload(client, org, xlsx(rows))
    sat = ids(app)["Klientu apmierinātība"]
    token = csrf_token(client, f"/kpi/{sat}")
    response = client.post(
        f"/kpi/{sat}/evidence", data={"csrf_token": token, "target": f"{assessment}:alpha.one"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/kpi/{sat}/link", data={"csrf_token": token, "target": f"{assessment}:no.such"}
    )
    assert response.status_code == 400
    assert "Choose a question of the assessment." in response.get_data(as_text=True)
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    with app.app_context():
        from assessment.services.banks import get_bank

        bank = get_bank(*BANK)
        indicator_q = next(q for q in bank.questions if q.type == "indicator")
    response = client.post(
        f"/kpi/{sat}/link", data={"csrf_token": token, "target": f"{assessment}:{indicator_q.id}"}
    )
    assert response.status_code == 302, page
    # a maturity question cannot take a figure
    response = client.post(
        f"/kpi/{sat}/link", data={"csrf_token": token, "target": f"{assessment}:alpha.one"}
    )
    assert response.status_code == 400
    assert "Only an indicator question" in response.get_data(as_text=True)
    with app.app_context():
        rows_ = {r.question_id: r for r in db.session.query(AnswerRecord)}
        end = rows_["alpha.one"].evidence[0]
        assert end["title"] == f"Klientu apmierinātība ({months[0]}–{months[2]})"
        from assessment.domain.kpi import period_end

        assert end["date"] == period_end(months[2]).isoformat()
        linked = rows_[indicator_q.id]
        assert (linked.value, linked.period) == (91.0, months[2])
        assert linked.level is not None
        assert db.session.query(KpiLink).count() == 1
    # the report lists the indicator without figures (waiting time), not the one on target
    html = client.get(f"/assessments/{assessment}/report").get_data(as_text=True)
    section = html.split('id="report-kpi"')[1].split("</section>")[0]
    # a section of its own, after the action plan, not inside another section's table
    assert html.index('id="report-actions"') < html.index('id="report-kpi"')
    assert "<table" not in html.split('id="report-kpi"')[0].rsplit("</section>", 1)[1]
    assert "Gaidīšanas laiks" in section and "No figure" in section
    assert "Klientu apmierinātība" not in section
    pdf = client.get(f"/assessments/{assessment}/report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Indicators off target or without recent figures" in text
    assert "Gaidīšanas laiks" in text
    docx = client.get(f"/assessments/{assessment}/report.docx")
    from docx import Document

    document = Document(io.BytesIO(docx.data))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "Gaidīšanas laiks" in cells


def test_linked_question_shows_the_figure_and_an_override_needs_a_comment(
    app, client, factory, org, indicator_bank
):
    lang(client, "en")
    assessment = factory.assessment(org, language="en", bank=BANK)
    from_standard(client, org)
    rows, months = quarter_rows(app, satisfaction=(88, 80, 91))
    upload(client, org, xlsx(rows))
    sat = ids(app)["Klientu apmierinātība"]
    token = csrf_token(client, f"/kpi/{sat}")
    assert (
        client.post(
            f"/kpi/{sat}/link", data={"csrf_token": token, "target": f"{assessment}:gamma.answered"}
        ).status_code
        == 302
    )
    page_url = f"/assessments/{assessment}/dimensions/gamma"
    page = client.get(page_url).get_data(as_text=True)
    assert f"KPI register: Klientu apmierinātība — 91 % ({months[2]})" in page
    html = page

    def field(name):
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
        return match.group(1) if match else ""

    base = {
        "csrf_token": csrf_token(client, page_url),
        "action": "save",
        "q-gamma.answered-answer": "v",
        "q-gamma.answered-period": months[2],
        "q-gamma.answered-version": field("q-gamma.answered-version"),
        "q-gamma.answered-seen": field("q-gamma.answered-seen"),
    }
    response = client.post(page_url, data={**base, "q-gamma.answered-value": "60"})
    assert response.status_code == 400
    assert "differs from the KPI register" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.query(AnswerRecord).filter_by(question_id="gamma.answered").one()
        assert row.value == 91.0
    response = client.post(
        page_url,
        data={**base, "q-gamma.answered-value": "60", "q-gamma.answered-comment": "survey redone"},
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.query(AnswerRecord).filter_by(question_id="gamma.answered").one()
        assert (row.value, row.comment) == (60.0, "survey redone")


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"period": "", "value": "1"}, "Period: enter a quarter such as 2026-Q3."),
        ({"period": "2026-13", "value": "1"}, "Period: enter a quarter"),
        ({"period": "2999-Q4", "value": "1"}, "Period: the period has not begun yet."),
        ({"period": "2025-Q1", "value": ""}, "Value: this field is required."),
        ({"period": "2025-Q1", "value": "1e999"}, "Value: enter a number"),
        ({"period": "2025-Q1", "value": "1,2,3"}, "Value: enter a number"),
        ({"period": "2025-Q1", "value": "1", "comment": "x" * 2001}, "Comment: too long"),
    ],
)
def test_bad_figures_in_the_form(app, client, org, fields, message):
    lang(client, "en")
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    response = client.post(
        f"/kpi/{sat}/values", data={"csrf_token": csrf_token(client, f"/kpi/{sat}"), **fields}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert values(app) == 0


def test_bad_requests_to_the_register(app, client, org):
    lang(client, "lv")
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    url = f"/organisations/{org}/kpi"
    token = csrf_token(client, url)
    response = client.post(url + "/upload", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Izvēlieties augšupielādējamo CSV vai XLSX datni." in response.get_data(as_text=True)
    response = client.post(url + "/from-standard", data={"csrf_token": token, "key": ""})
    assert response.status_code == 400
    response = client.post(url + "/from-standard", data={"csrf_token": token, "key": "nav"})
    assert response.status_code == 404
    for target in ("", "x:y", "999999:alpha.one"):
        response = client.post(f"/kpi/{sat}/evidence", data={"csrf_token": token, "target": target})
        assert response.status_code in (400, 404), target
    # the organisation has no assessment in progress: the page says so instead of the forms
    page = client.get(f"/kpi/{sat}").get_data(as_text=True)
    assert "Iestādei nav novērtējuma, kas tiek aizpildīts." in page
    assert client.get(f"/kpi/{sat}?periods=abc").status_code == 200
    assert client.get("/kpi/2147483648").status_code == 404
    assert values(app) == 0


def test_edit_keeps_the_figures_and_a_review_date_passed_is_shown(app, client, org):
    lang(client, "en")
    from_standard(client, org)
    sat = ids(app)["Klientu apmierinātība"]
    quarter = kpi.last_complete("quarter", dt.date.today())
    client.post(
        f"/kpi/{sat}/values",
        data={"csrf_token": csrf_token(client, f"/kpi/{sat}"), "period": quarter, "value": "80"},
    )
    page = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert "Definition due for review" not in page
    url = f"/kpi/{sat}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="85"' in form  # the target as it is
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Klientu apmierinātība",
            "target": "75",
            "amber": "0",
            "direction": "higher",
            "period_kind": "quarter",
            "review_on": "2020-01-31",
            "definition": "Apmierināto klientu īpatsvars aptaujā",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert "Definition due for review" in page
    assert re.search(r"Klientu apmierinātība</a>.*?On target", page, re.S)  # 80 ≥ 75 now
    assert values(app) == 1
