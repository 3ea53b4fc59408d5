"""The KPI register's service layer: definitions, figures (append-only), access, all-or-none."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from assessment.domain import kpi
from assessment.extensions import db
from assessment.models import KpiValue, User
from assessment.services import register
from assessment.services.errors import Invalid, NotFound
from tests.web.kpi_helpers import approved_standard

TODAY = dt.date(2026, 12, 2)


@pytest.fixture()
def two(app, factory):
    """Two organisations, a member of each, a consultant of the first."""
    a = factory.organisation("Iestāde A")
    b = factory.organisation("Iestāde B")
    ua = factory.user("a@example.lv", "member", a)
    ub = factory.user("b@example.lv", "member", b)
    uc = factory.user("c@example.lv", "consultant", a)
    return {"a": a, "b": b, "ua": ua, "ub": ub, "uc": uc}


def user(uid):
    return db.session.get(User, uid)


def make(uid, org, **kw):
    fields = {"name": "Apmierinātība", "target": 85, "unit": "%", "amber": 5, **kw}
    return register.create_indicator(user(uid), org, register.IndicatorData(**fields))


def test_periods_and_status():
    assert kpi.parse_period("month", "2026-9") == "2026-09"
    assert kpi.parse_period("quarter", "2026 q3") == "2026-Q3"
    with pytest.raises(kpi.Problem):
        kpi.parse_period("quarter", "2026-09")
    assert kpi.last_complete("month", TODAY) == "2026-11"
    assert kpi.last_complete("quarter", TODAY) == "2026-Q3"
    assert kpi.last_complete("year", TODAY) == "2025"
    assert kpi.period_end("2026-Q3") == dt.date(2026, 9, 30)
    assert kpi.periods_back("month", "2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert kpi.parse_number("87,5") == 87.5 and kpi.parse_number("1 234,5") == 1234.5
    for bad in ("abc", "1,2,3", "1.234,5", "nan", "inf", "1e400"):
        with pytest.raises(kpi.Problem):
            kpi.parse_number(bad)
    assert kpi.status_of(85, 85, 5, "higher") == "green"
    assert kpi.status_of(80, 85, 5, "higher") == "amber"
    assert kpi.status_of(79.9, 85, 5, "higher") == "red"
    assert kpi.status_of(4, 3, 1, "lower") == "amber"
    assert kpi.status_of(None, 3, 1, "lower") == "none"


def test_define_record_correct_and_history(ctx, two):
    item = make(two["ua"], two["a"], period_kind="month", owner_id=two["ua"])
    register.record_value(user(two["ua"]), item.id, "2026-11", "80")
    register.record_value(user(two["uc"]), item.id, "2026-11", "87,5", comment="labots")
    db.session.commit()
    values = register.current_values(user(two["ua"]), item.id)
    assert values["2026-11"].value == 87.5 and values["2026-11"].entered_by_id == two["uc"]
    rows = register.history(user(two["ua"]), item.id, "2026-11")
    assert [r.value for r in rows] == [87.5, 80.0]  # newest first, nothing overwritten
    overview = register.overview(user(two["ua"]), two["a"], today=TODAY)
    assert [(o.period, o.value, o.status) for o in overview] == [("2026-11", 87.5, "green")]
    points = register.series(user(two["ua"]), item.id, periods=3, today=TODAY)
    assert [(p.period, p.status) for p in points] == [
        ("2026-09", "none"),
        ("2026-10", "none"),
        ("2026-11", "green"),
    ]


def test_another_organisation_is_not_found(ctx, two):
    item = make(two["ua"], two["a"])
    db.session.commit()
    with pytest.raises(NotFound):
        register.get_indicator(user(two["ub"]), item.id)
    with pytest.raises(NotFound):
        register.record_value(user(two["ub"]), item.id, "2026-11", 1)
    with pytest.raises(NotFound):
        register.list_indicators(user(two["ub"]), two["a"])
    with pytest.raises(NotFound):
        make(two["ub"], two["a"])
    # a figure for another organisation's indicator, sent under one's own organisation
    with pytest.raises(register.RegisterInvalid) as refused:
        register.record_values(
            user(two["ub"]), two["b"], [register.ValueInput(item.id, "2026-11", 1)]
        )
    assert refused.value.field == "id"
    assert db.session.query(KpiValue).count() == 0


def test_definition_refusals(ctx, two):
    for kw, code, fieldname in (
        ({"name": " "}, "required", "name"),
        ({"target": "daudz"}, "number", "target"),
        ({"direction": "up"}, "choice", "direction"),
        ({"period_kind": "week"}, "choice", "period_kind"),
        ({"amber": -1}, "amber_negative", "amber"),
        ({"owner_id": two["ub"]}, "owner", "owner_id"),
        ({"unit": "x" * 51}, "too_long", "unit"),
    ):
        with pytest.raises(Invalid) as refused:
            make(two["ua"], two["a"], **kw)
        assert (refused.value.code, refused.value.field) == (code, fieldname)


def test_all_or_none(ctx, two):
    item = make(two["ua"], two["a"], period_kind="quarter")
    with pytest.raises(register.RegisterInvalid) as refused:
        register.record_values(
            user(two["ua"]),
            two["a"],
            [
                register.ValueInput(item.id, "2026-Q2", "70", line=2),
                register.ValueInput(item.id, "2026-07", "71", line=3),
            ],
        )
    assert (refused.value.code, refused.value.field, refused.value.line) == ("period", "period", 3)
    assert db.session.query(KpiValue).count() == 0


def test_from_the_approved_standard(app, ctx, two):
    approved_standard(app, two["a"])
    rows = register.standard_rows(user(two["ua"]), two["a"])
    assert [r["created"] for r in rows] == [None, None]
    made = register.indicators_from_standard(user(two["ua"]), two["a"], [rows[1]["key"]])
    assert [(m.name, m.target, m.unit, m.direction) for m in made] == [
        ("Gaidīšanas laiks", 3.0, "min", "lower")
    ]
    rest = register.indicators_from_standard(user(two["ua"]), two["a"])
    assert [(m.name, m.target, m.direction) for m in rest] == [
        ("Klientu apmierinātība", 85.0, "higher")
    ]
    assert register.indicators_from_standard(user(two["ua"]), two["a"]) == []
    with pytest.raises(register.RegisterInvalid):
        register.indicators_from_standard(user(two["ub"]), two["b"])


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("sep", [";", ","])
def test_upload_csv_with_bom_and_decimal_comma(ctx, two, sep):
    item = make(two["ua"], two["a"])
    quote = '"87,5"' if sep == "," else "87,5"
    text = (
        f"Rādītāja ID{sep}Rādītājs{sep}Periods{sep}Vērtība{sep}Komentārs\n"
        f"{item.id}{sep}Apmierinātība{sep}2026-10{sep}{quote}{sep}\n"
        f"{sep}Apmierinātība{sep}2026-11{sep}90{sep}pēc vārda\n"
    )
    rows = register.upload_values(
        user(two["ua"]), two["a"], "f.csv", "\ufeff".encode() + text.encode()
    )
    assert [(r.period, r.value, r.source) for r in rows] == [
        ("2026-10", 87.5, "upload"),
        ("2026-11", 90.0, "upload"),
    ]


def test_upload_xlsx_and_a_bad_row_writes_nothing(ctx, two):
    item = make(two["ua"], two["a"])
    good = _xlsx(
        [
            ["Indicator ID", "Indicator", "Period", "Value", "Comment"],
            [item.id, "x", "2026-10", 87.5, None],
            [item.id, "x", "2026-11", "88,5", ""],
        ]
    )
    assert [r.value for r in register.upload_values(user(two["ua"]), two["a"], "f.xlsx", good)] == [
        87.5,
        88.5,
    ]
    db.session.commit()
    bad = _xlsx(
        [
            ["Indicator ID", "Indicator", "Period", "Value"],
            [item.id, "x", "2026-09", 1],
            [item.id, "x", "2026-08", "daudz"],
        ]
    )
    with pytest.raises(register.RegisterInvalid) as refused:
        register.upload_values(user(two["ua"]), two["a"], "f.xlsx", bad)
    assert (refused.value.line, refused.value.field, refused.value.code) == (3, "value", "number")
    db.session.rollback()
    assert db.session.query(KpiValue).count() == 2


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty_file"),
        (b"\xff\xfe", "encoding"),
        (b"Period;Value\n2026-01;1\n", "missing_column"),
        (b"PK\x03\x04 not a workbook", "not_table"),
    ],
)
def test_upload_refuses_unreadable_files(ctx, two, data, code):
    with pytest.raises(register.RegisterInvalid) as refused:
        register.upload_values(user(two["ua"]), two["a"], "f.csv", data)
    assert refused.value.code == code


def test_a_series_shows_at_most_120_periods(ctx, two):
    item = make(two["ua"], two["a"], period_kind="month")
    register.record_values(
        user(two["ua"]),
        two["a"],
        [register.ValueInput(item.id, "1990-01", 1), register.ValueInput(item.id, "2026-11", 2)],
    )
    points = register.series(user(two["ua"]), item.id, today=TODAY)
    assert len(points) == register.MAX_POINTS and points[-1].period == "2026-11"


def test_nul_in_a_comment_is_refused(ctx, two):
    item = make(two["ua"], two["a"])
    with pytest.raises(register.RegisterInvalid) as refused:
        register.record_value(user(two["ua"]), item.id, "2026-01", 1, comment="a\x00b")
    assert (refused.value.code, refused.value.field) == ("control", "comment")


def test_attention_is_as_of_the_given_date(ctx, two):
    from assessment.reporting.kpi_report import kpi_lines

    off = make(two["ua"], two["a"], name="Apmierinātība")
    on = make(two["ua"], two["a"], name="Gaidīšana", target=3, direction="lower")
    register.record_values(
        user(two["ua"]),
        two["a"],
        [
            register.ValueInput(off.id, "2026-05", "70"),
            register.ValueInput(on.id, "2026-05", 2),
            register.ValueInput(off.id, "2026-06", "90"),
        ],
    )
    june = dt.date(2026, 6, 15)  # last complete month: May
    lines = kpi_lines(register.attention(two["a"], today=june), "lv")
    assert [(k.name, k.status, k.value) for k in lines] == [("Apmierinātība", "red", "70 %")]
    july = dt.date(2026, 7, 1)  # last complete month: June (no figure for the wait)
    lines = kpi_lines(register.attention(two["a"], today=july), "en")
    assert [(k.name, k.status_label) for k in lines] == [("Gaidīšana", "No figure")]


def test_a_hundred_figures_are_written_in_a_fixed_number_of_statements(app, ctx, two):
    from sqlalchemy import event

    item = make(two["ua"], two["a"])
    db.session.commit()
    counts = []
    for n in (10, 100):
        periods = kpi.periods_back("month", "2026-10", n)
        seen = []

        def count(conn, cursor, statement, parameters, context, executemany, seen=seen):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            register.record_values(
                user(two["ua"]),
                two["a"],
                [register.ValueInput(item.id, p, k) for k, p in enumerate(periods)],
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len([s for s in seen if s.lstrip().upper().startswith("INSERT")]))
        db.session.rollback()
    assert counts == [1, 1]
