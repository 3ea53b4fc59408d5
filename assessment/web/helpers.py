"""Template helpers: locale-aware formatting, the current language, safe redirects."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode, urlsplit

from babel import numbers
from flask import Flask, g, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    get_locale,
    get_timezone,
    get_translations,
)
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.routing import IntegerConverter

from ..domain.i18n import DEFAULT_LANGUAGE, language_choices, language_name, languages, or_list
from ..domain.scoring import round_half_up
from .question_markup import site_footer, site_menu

#: The largest id a row can have (PostgreSQL `integer`). A larger number in an address or a form
#: names nothing; SQLite cannot even bind one beyond 64 bits (OverflowError: a 500, not a 404).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: a database id, so a larger number does not match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def current_lang() -> str:
    """The UI language of this request: one of the catalogues' (default Latvian)."""
    locale = get_locale()
    return (
        locale.language
        if locale is not None and locale.language in languages()
        else DEFAULT_LANGUAGE
    )


def languages_offered() -> str:
    """The catalogues' language codes for a message, joined with "or" in the UI language
    (`lv or en`, `lv vai en`)."""
    return or_list(languages(), current_lang())


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only (no scheme, no host, no //)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target


def fmt_number(value, places: int = 2) -> str:
    """A number in the locale's format (decimal comma in Latvian)."""
    if value is None:
        return "–"
    return _formatted(value, places, str(get_locale()))


def number_format(places: int = 2):
    """fmt_number bound to the request's locale, looked up once (a table of many figures)."""
    locale = str(get_locale())

    def fmt(value) -> str:
        return "–" if value is None else _formatted(value, places, locale)

    return fmt


#: Formatted figures kept per (figure, places, locale identifier): lists repeat the same
#: figures. A fraction is keyed by its two integers (hashing a Fraction is slow), the locale by
#: its identifier (comparing babel Locale objects is slow); emptied when it grows past 4,096.
_FORMATTED: dict[tuple, str] = {}


def _formatted(value, places: int, locale: str) -> str:
    """Babel's formatting of one figure in one locale, kept (_FORMATTED). Rounded half-up
    first (the product's one rounding), so that Babel, which rounds half to even, has nothing
    left to round."""
    key = (
        (value.numerator, value.denominator, places, locale)
        if type(value) is Fraction
        else (value, places, locale)
    )
    text = _FORMATTED.get(key)
    if text is None:
        if len(_FORMATTED) >= 4096:
            _FORMATTED.clear()
        if not places and isinstance(value, int):
            text = numbers.format_decimal(value, locale=locale)
        else:
            rounded = Decimal(repr(round_half_up(value, places)))
            text = numbers.format_decimal(
                rounded, format="#,##0." + "0" * places if places else "#,##0", locale=locale
            )
        _FORMATTED[key] = text
    return text


def fmt_date(value) -> str:
    """A date in the locale's medium format (a time too for a datetime, in the user's time
    zone)."""
    if value is None:
        return "–"
    return _formatted_date(value, str(get_locale()), get_timezone())


@functools.lru_cache(maxsize=4096)
def _formatted_date(value, locale: str, timezone) -> str:
    """Flask-Babel's formatting of one date in one locale and time zone, kept: lists show the
    same dates request after request (the locale's identifier and the time zone are the key,
    because the formatting reads them from the request; identifiers, as for _formatted,
    because comparing babel Locale objects is slow)."""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "medium")
    return format_date(value, "medium")


def path_to_return_to() -> str:
    """This page's address for the language switch to come back to, without a one-time
    "saved" notice (it was said once)."""
    if "saved" not in request.args:
        return request.full_path.rstrip("?")
    rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "saved"])
    return request.path + ("?" + rest if rest else "")


def request_translations():
    """The translations of this request, looked up once (templates call `_()` a hundred times)."""
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


@functools.lru_cache(maxsize=2048)
def _language_url(script_root: str, code: str, back_to: str) -> str:
    """url_for of the language switch (the mount point is part of the key)."""
    return url_for("main.set_language", code=code, next=back_to)


def fmt_measured(value: float | int | None) -> str:
    """An indicator's figure as given, with the decimal comma in Latvian."""
    from ..reporting.labels import fmt_value

    return fmt_value(value, current_lang())


#: Stored state codes whose words differ from the code (the catalogues hold the words).
_STATE_WORDS = {"in_progress": "in progress"}


def state_label(code: str | None) -> str:
    """A stored state (assessment, standard version) in words of the user's language; never the
    raw code: `in_progress` reads "in progress"."""
    if not code:
        return ""
    return request_translations().ugettext(_STATE_WORDS.get(code, code))


@pass_context
def _template_gettext(context, message: str, **variables):
    """Jinja's newstyle `gettext` in one call (jinja2.ext._make_new_gettext does the same)."""
    text = request_translations().ugettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # `_()` is what templates call most (dozens a page): one function instead of the i18n
    # extension's alias → newstyle wrapper → callable chain, with the same result — the
    # message of this request's translations, Markup under autoescape, always %-formatted.
    app.jinja_env.globals["_"] = _template_gettext
    fixed: dict[tuple, str] = {}

    def fixed_url(endpoint: str, **values: str) -> str:
        """url_for of an address that is the same on every page (menu, footer, stylesheet),
        built once per mount point instead of on every page."""
        key = (endpoint, request.script_root, *sorted(values.items()))
        url = fixed.get(key)
        if url is None:
            url = fixed[key] = url_for(endpoint, **values)
        return url

    #: An id no row has: it marks where a row's id goes in an address pattern.
    marker = 2_147_483_647

    def id_url(endpoint: str, key: str, value: int) -> str:
        """url_for(endpoint, key=value) of an address that differs from row to row only by an
        integer id (lists of many rows): the pattern is built once per mount point, the id is
        put in per row."""
        pattern_key = ("id", endpoint, key, request.script_root)
        pattern = fixed.get(pattern_key)
        if pattern is None:
            pattern = fixed[pattern_key] = url_for(endpoint, **{key: marker})
        return pattern.replace(str(marker), str(int(value)), 1)

    def language_url(code: str, back_to: str) -> str:
        """The language switch's address for `code`, coming back to `back_to` (this page): the
        same few pages are shown again and again, so each address is built once."""
        return _language_url(request.script_root, code, back_to)

    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["id_url"] = id_url
    app.jinja_env.globals["language_url"] = language_url
    app.jinja_env.globals["site_menu"] = site_menu
    app.jinja_env.globals["site_footer"] = site_footer
    app.jinja_env.filters["num"] = fmt_number
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["measured"] = fmt_measured
    app.jinja_env.filters["state_label"] = state_label
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.globals["language_choices"] = language_choices
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["languages_offered"] = languages_offered
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict:
        return {"lang": current_lang(), "request_path": path_to_return_to()}


def respondent_label(n: int) -> str:
    """An erased respondent's name in this request's language."""
    from flask_babel import gettext as _

    return _("Respondent %(n)s", n=n) if n else _("Respondent")
