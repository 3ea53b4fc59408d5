"""Latvian and English: complete catalogues, a remembered language switch, locale formats.

The catalogues are `assessment/translations/<lang>/LC_MESSAGES/messages.po`; docs/i18n.md says how
to update them. A UI string added to a template or a Python module without a translation makes
`test_every_ui_string_is_in_both_catalogues` fail.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "assessment" / "translations"
LANGS = ("lv", "en")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def load(lang: str):
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def entries(catalog):
    """The real messages (not the header)."""
    return [m for m in catalog if m.id]


def strings(message) -> tuple[str, ...]:
    """A message's translation(s), as a tuple (plural messages have several)."""
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues(app):
    """The .mo files are build products (git-ignored; `make translations` writes them).

    Compile any that is missing or older than its .po, as `make` would, so that these tests
    check what the .po says; then drop Flask-Babel's cache in case an earlier test loaded none.
    """
    for lang in LANGS:
        po = po_path(lang)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalog = load(lang)
            with mo.open("wb") as f:
                write_mo(f, catalog)
    with app.app_context():
        from flask_babel import get_babel

        get_babel(app).instance.domain_instance.cache.clear()


# --- the catalogues -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_no_empty_or_fuzzy_entry(lang):
    catalog = load(lang)
    assert entries(catalog), f"{lang}: empty catalogue"
    empty = [m.id for m in entries(catalog) if not all(strings(m))]
    fuzzy = [m.id for m in entries(catalog) if m.fuzzy]
    assert not empty, f"{lang}: untranslated: {empty}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang):
    """%(name)s placeholders of a msgid appear unchanged in its msgstr (Babel's checkers)."""
    catalog = load(lang)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems
    for m in entries(catalog):
        wanted = sorted(re.findall(r"%\(\w+\)s", m.id if isinstance(m.id, str) else m.id[0]))
        for s in strings(m):
            assert sorted(re.findall(r"%\(\w+\)s", s)) == wanted, (lang, m.id, s)


def test_english_catalogue_repeats_the_msgids():
    assert all(m.string == m.id for m in entries(load("en")) if isinstance(m.id, str))


def test_latvian_plural_forms():
    assert load("lv").num_plurals == 3


@pytest.fixture(scope="module")
def fresh_extraction(tmp_path_factory):
    """Extract the msgids of the current source, as docs/i18n.md says, into a temporary .pot."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    status = CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    assert not status, "pybabel extract failed"
    with pot.open("rb") as f:
        return read_po(f)


def test_extraction_finds_templates_python_and_dynamic_msgids(fresh_extraction):
    ids = {m.id for m in entries(fresh_extraction)}
    assert "Log in" in ids  # a template
    assert "Passwords differ." in ids  # assessment/forms.py (_l)
    assert "Page not found" in ids  # assessment/web/errors.py (_)
    assert len(ids) > 100


@pytest.mark.parametrize("lang", LANGS)
def test_every_ui_string_is_in_both_catalogues(fresh_extraction, lang):
    """A string wrapped in _() anywhere in the source but missing from a catalogue fails here.

    Fix: run the extract and update commands of docs/i18n.md and translate the new entries.
    """
    catalog = load(lang)
    missing = [
        m.id
        for m in entries(fresh_extraction)
        if catalog.get(m.id) is None or not all(strings(catalog.get(m.id)))
    ]
    assert not missing, f"{lang}: not translated: {missing}"


def test_stored_values_shown_through_underscore_are_translated():
    """States, roles and bank origins reach _() as variables; web/msgids.py lists them."""
    from assessment.models import ROLES, STATES

    lv = load("lv")
    for value in (*STATES, *ROLES, "bundled", "uploaded"):
        message = lv.get(value)
        assert message is not None and message.string and message.string != value, value
    assert lv.get("in_progress").string == "tiek aizpildīts"
    assert lv.get("consultant").string == "konsultants"


# --- the running application --------------------------------------------------------------------


def test_login_page_follows_accept_language(client):
    en = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Log in" in en and "Pieteikties" not in en
    assert '<html lang="en">' in en

    lv = client.get("/login", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert "Pieteikties" in lv and "Log in" not in lv
    assert '<html lang="lv">' in lv


def test_latvian_is_the_default(client):
    html = client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Pieteikties" in html


def test_language_switch_overrides_the_browser_and_is_remembered(client):
    response = client.get("/lang/lv?next=/login", headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.location.endswith("/login")
    for _ in range(2):
        html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Pieteikties" in html and "Parole" in html
        assert "Log in" not in html

    client.get("/lang/en?next=/login")
    for _ in range(2):
        html = client.get("/login", headers={"Accept-Language": "lv"}).get_data(as_text=True)
        assert "Log in" in html and "Pieteikties" not in html


def test_unknown_language_code_changes_nothing(client):
    client.get("/lang/en")
    client.get("/lang/xx")
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_language_choice_is_stored_on_the_user(app, client, auth, factory):
    """A logged-in user's choice outlives the session: the next login is in that language."""
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    assert auth.login("ilze@example.lv").status_code == 302
    client.get("/lang/en")
    assert "Log out" in client.get("/").get_data(as_text=True)
    auth.logout()

    fresh = app.test_client()
    from tests.conftest import Auth

    Auth(fresh).login("ilze@example.lv")  # a new browser: only the stored preference
    html = fresh.get("/", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert "Log out" in html and "Iziet" not in html


def test_logged_in_pages_in_latvian(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    factory.assessment(org)
    auth.login("ilze@example.lv")
    client.get("/lang/lv")
    html = client.get("/").get_data(as_text=True)
    assert "Iziet" in html and "Sākumlapa" in html
    assert "melnraksts" in html  # _(a.state) of the new assessment
    html = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert "Pašnovērtējumi" in html and "melnraksts" in html


def test_error_page_in_the_chosen_language(client):
    client.get("/lang/lv")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Lapa nav atrasta" in response.get_data(as_text=True)
    client.get("/lang/en")
    assert "Page not found" in client.get("/no/such/page").get_data(as_text=True)


# --- numbers and dates --------------------------------------------------------------------------


def render(app, source: str, lang: str, **context) -> str:
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        return app.jinja_env.from_string(source).render(**context)


def test_numbers_use_the_locale_decimal_separator(app):
    assert render(app, "{{ 2.35|num }}", "lv") == "2,35"
    assert render(app, "{{ 2.35|num }}", "en") == "2.35"
    assert render(app, "{{ 3|num(1) }}", "lv") == "3,0"


def test_dates_use_the_locale_format(app):
    day = dt.date(2026, 3, 5)
    lv = render(app, "{{ d|date }}", "lv", d=day)
    en = render(app, "{{ d|date }}", "en", d=day)
    assert lv == format_date(day, "medium", locale="lv") and "2026" in lv
    assert en == format_date(day, "medium", locale="en") and lv != en
