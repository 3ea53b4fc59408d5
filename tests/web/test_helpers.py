"""Template helpers: the date filter keeps its formatted dates per locale and time zone."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from flask_babel import force_locale

from assessment import create_app
from assessment.web.helpers import fmt_date, fmt_number


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield app


def test_the_same_date_is_formatted_in_each_locale_not_the_first_one_kept(ctx):
    day = dt.date(2026, 11, 26)
    with force_locale("en"):
        en = fmt_date(day)
    with force_locale("lv"):
        lv = fmt_date(day)
    with force_locale("en"):
        en_again = fmt_date(day)
    assert en == en_again == "Nov 26, 2026"
    assert lv != en and "2026" in lv and "26" in lv


def test_a_datetime_is_shown_in_each_apps_time_zone_not_the_first_one_kept(tmp_path):
    """The cache's key holds the time zone: two apps in one process, UTC and Riga."""
    moment = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)  # 1 July, 01:30 in Riga (UTC+3)
    shown = {}
    for zone in ("UTC", "Europe/Riga", "UTC"):
        other = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}",
                "BABEL_DEFAULT_TIMEZONE": zone,
            }
        )
        with other.test_request_context("/"), force_locale("en"):
            shown.setdefault(zone, set()).add(fmt_date(moment))
    assert shown["UTC"] == {"Jun 30, 2026, 10:30:00\u202fPM"}
    assert shown["Europe/Riga"] == {"Jul 1, 2026, 1:30:00\u202fAM"}


def test_none_is_a_dash(ctx):
    assert fmt_date(None) == "–"
    assert fmt_number(None) == "–"


def test_figures_are_formatted_per_locale_and_kept_apart_by_exact_value(ctx):
    """The kept figures are keyed by the exact value and the locale: 5/2 and 2.5 agree, 1/3
    and 0.33 are formatted alike but 1/8 rounds half up (0.13), and each locale has its own."""
    with force_locale("en"):
        en = [fmt_number(v) for v in (Fraction(5, 2), 2.5, Fraction(1, 3), Fraction(1, 8), 1234)]
        assert fmt_number(3, 0) == "3"
    with force_locale("lv"):
        lv = [fmt_number(v) for v in (Fraction(5, 2), 2.5, Fraction(1, 3), Fraction(1, 8), 1234)]
    assert en == ["2.50", "2.50", "0.33", "0.13", "1,234.00"]
    assert lv[:4] == ["2,50", "2,50", "0,33", "0,13"] and lv[4].endswith("234,00")
    with force_locale("en"):  # asked again: the kept English, not the Latvian
        assert fmt_number(Fraction(5, 2)) == "2.50"


def test_templates_underscore_translates_escapes_and_formats_like_jinjas_gettext(app):
    """`_()` in templates (one function, not the i18n extension's chain): this request's
    language, the variables escaped, %-formatting always applied, as Jinja's newstyle gettext."""
    from flask import render_template_string

    page = (
        '{{ _("Page %(n)s of %(m)s.", n=n, m=2) }}|{{ _("Dashboard") }}|{{ gettext("Dashboard") }}'
    )
    shown = {}
    for lang in ("lv", "en"):  # a request each: the translations are looked up once a request
        with app.test_request_context("/"), force_locale(lang):
            shown[lang] = render_template_string(page, n="<b>1</b>")
    assert shown["en"] == "Page &lt;b&gt;1&lt;/b&gt; of 2.|Dashboard|Dashboard"
    assert shown["lv"] == "Lapa &lt;b&gt;1&lt;/b&gt; no 2.|Sākumlapa|Sākumlapa"
