"""Bad input to the KPI register, fuzzed by hypothesis: the definition form, the figure form, the
upload (CSV and XLSX soup) and the evidence/link forms never give a 5xx, and a refusal writes
nothing (tests/web/test_fuzz.py's `send`)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assessment.extensions import db
from assessment.models import KpiIndicator
from tests.web.test_fuzz import FUZZ, field_values, form_data, plausible, send, upload_fields, web  # noqa: F401


@pytest.fixture()
def kpi(web):  # noqa: F811 - the fixture imported above
    """An indicator of the member's organisation (quarterly)."""
    with web.app.app_context():
        item = KpiIndicator(
            organisation_id=web.ids["org"],
            name="Apmierinātība",
            target=85.0,
            amber=5.0,
            period_kind="quarter",
        )
        db.session.add(item)
        db.session.commit()
        web.ids["indicator"] = item.id
    return web


DEFINITION = {
    "name": plausible("Apmierinātība", "", "x" * 301),
    "target": plausible("85", "87,5", "-1", "1e16", "abc"),
    "amber": plausible("0", "2,5", "-1"),
    "baseline": plausible("", "70"),
    "direction": plausible("higher", "lower", "up"),
    "period_kind": plausible("month", "quarter", "year", "week"),
    "owner_id": plausible("", "1", "999999", "abc"),
    "review_on": plausible("", "2027-01-31", "2027-02-30", "31.01.2027"),
    "unit": plausible("%", "x" * 51),
}


@FUZZ
@given(form_data(DEFINITION))
@example({"name": "Apmierinātība", "target": "85"})
def test_definition_form(kpi, data):
    token = kpi.login("ilze@example.lv")
    send(
        kpi.app,
        kpi.client,
        "POST",
        f"/organisations/{kpi.ids['org']}/kpi/new",
        data={**data, "csrf_token": token},
    )


@FUZZ
@given(
    form_data(
        {
            "period": plausible("2026-Q1", "2026-Q5", "2999-Q1", "2026"),
            "value": plausible("87,5", "1e999", "", "x"),
            "comment": plausible("", "labots", "a\x00b"),
        }
    )
)
@example({"period": "2026-Q1", "value": "87,5"})
def test_figure_form(kpi, data):
    token = kpi.login("ilze@example.lv")
    send(
        kpi.app,
        kpi.client,
        "POST",
        f"/kpi/{kpi.ids['indicator']}/values",
        data={**data, "csrf_token": token},
    )


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


cells = st.one_of(
    field_values, st.integers(-(10**20), 10**20), st.floats(allow_nan=True), st.none()
)


@st.composite
def upload_files(draw):
    """A CSV or XLSX of the template's columns, with fuzzed cells, or bytes soup."""
    kind = draw(st.sampled_from(["csv", "xlsx", "soup"]))
    if kind == "soup":
        return draw(st.binary(max_size=300))
    ident = draw(st.one_of(st.just(0), cells))
    rows = [["Indicator ID", "Indicator", "Period", "Value", "Comment"]]
    rows += [
        [ident, draw(cells), draw(st.one_of(st.just("2026-Q1"), cells)), draw(cells), draw(cells)]
        for _ in range(draw(st.integers(0, 3)))
    ]
    if kind == "xlsx":
        safe = [[c if not isinstance(c, str) else c.replace("\x00", "") for c in r] for r in rows]
        try:
            return _xlsx(safe)
        except Exception:  # openpyxl refuses some characters in a cell: a soup then
            return b"PK\x03\x04"
    sep = draw(st.sampled_from([";", ","]))
    return "\n".join(sep.join("" if c is None else str(c) for c in r) for r in rows).encode(
        "utf-8", "surrogatepass"
    )


@FUZZ
@given(upload_fields(upload_files(), st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f", ""])))
def test_upload(kpi, fields):
    token = kpi.login("ilze@example.lv")
    send(
        kpi.app,
        kpi.client,
        "POST",
        f"/organisations/{kpi.ids['org']}/kpi/upload",
        data={**fields, "csrf_token": token},
        content_type="multipart/form-data",
    )


@FUZZ
@given(
    form_data(
        {"target": plausible("1:values.mission", "x", "", "1:", ":x", "99999999999:values.mission")}
    ),
    st.sampled_from(["evidence", "link"]),
)
def test_evidence_and_link_forms(kpi, data, action):
    token = kpi.login("ilze@example.lv")
    send(
        kpi.app,
        kpi.client,
        "POST",
        f"/kpi/{kpi.ids['indicator']}/{action}",
        data={**data, "csrf_token": token},
    )
