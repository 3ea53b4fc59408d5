"""docs/i18n.md, "Adding a language": a catalogue directory and the bank texts are enough: the
language is offered (web pages, links and switches, the command line), its words, numbers and
dates are used, and a bank text in it is read, documented and linted. Here a German catalogue is
made in a copy of the translations directory."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from assessment.domain import i18n
from tests.conftest import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
#: The few entries the German catalogues translate; the rest repeat the English msgids.
GERMAN = {
    "messages": {
        "Privacy notice": "Datenschutzhinweis",
        "How long": "Wie lange",
        "Template:": "Vorlage:",
    },
    "report": {
        "Executive summary": "Zusammenfassung",
        "d MMMM y": "d. MMMM y",
        "error: %(message)s": "Fehler: %(message)s",
        "%(path)s: ok (%(id)s %(version)s, %(dimensions)s dimensions, %(n)s questions)": (
            "%(path)s: in Ordnung (%(id)s %(version)s, %(dimensions)s Dimensionen, %(n)s Fragen)"
        ),
    },
}


@pytest.fixture
def german(tmp_path, monkeypatch):
    """translations/ with de/LC_MESSAGES/{messages,report}.po made from the English ones, as
    `pybabel init` would, a few texts translated (GERMAN), compiled as `make translations`
    does."""
    target = tmp_path / "translations"
    shutil.copytree(ROOT / "assessment" / "translations", target)
    folder = target / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for domain in ("messages", "report"):
        with (target / "en" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            catalog = read_po(handle, locale="de", domain=domain)
        for msgid, text in GERMAN[domain].items():
            catalog[msgid].string = text
        with (folder / f"{domain}.po").open("wb") as handle:
            write_po(handle, catalog)
        with (folder / f"{domain}.mo").open("wb") as handle:
            write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", target)
    i18n.languages.cache_clear()
    i18n.translations.cache_clear()
    yield "de"
    monkeypatch.undo()
    i18n.languages.cache_clear()
    i18n.translations.cache_clear()


def test_a_catalogue_directory_adds_the_language(german):
    from assessment.reporting.labels import LABELS, fmt_date, fmt_num, fmt_pct

    assert i18n.languages() == ("lv", "de", "en")
    assert i18n.gettext(german, "Executive summary") == "Zusammenfassung"
    table = i18n.LabelTable(LABELS.msgids)
    assert table[german]["summary_heading"] == "Zusammenfassung"
    assert table[german]["action_plan_heading"] == "Action plan"  # not translated yet: msgid
    assert fmt_num(Fraction(47, 20), german) == "2,35"  # Babel's German decimal comma
    assert fmt_pct(Fraction(1175, 20), german) == "58,8%"
    assert fmt_date(dt.date(2026, 11, 26), german) == "26. November 2026"


def test_a_bank_text_in_the_language_is_read(german):
    from assessment.domain.bank import parse_bank_text

    text = (ROOT / "tests" / "data" / "mini-bank.yaml").read_text("utf-8")
    assert text.count("\ntitle:\n  lv:") == 1
    text = text.replace("\ntitle:\n  lv:", "\ntitle:\n  de: Mini-Fragenkatalog\n  lv:")
    bank = parse_bank_text(text, "mini-bank.yaml")
    assert bank.title.get(german) == "Mini-Fragenkatalog"
    assert bank.title.get("lv") == bank.title.lv and bank.title.get("xx") == bank.title.en


@pytest.fixture
def german_app(german, app):
    """An application made while the German catalogue is present (the session's app, made
    before, knows two languages); same database as `app`."""
    from assessment import create_app

    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    return create_app(
        {
            **config,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SESSION_COOKIE_SECURE": False,
        }
    )


def log_in(client, email):
    response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_the_web_pages_offer_and_speak_the_language(german_app, factory):
    assert german_app.config["LANGUAGES"] == ("lv", "de", "en")
    client = german_app.test_client()
    client.get("/lang/de")
    html = client.get("/privacy").get_data(as_text=True)
    assert '<html lang="de"' in html
    assert "<h1>Datenschutzhinweis</h1>" in html and "<h2>Wie lange</h2>" in html
    # not translated yet: the English msgid
    assert "<h2>Whom to ask</h2>" in html and "Privātuma" not in html
    assert re.search(r'hreflang="de"\s+aria-current="true">Deutsch</a>', html)  # the switch


def test_the_report_switch_and_the_bank_list_offer_the_language(german_app, factory):
    org = factory.organisation()
    factory.user("admin@example.lv", "admin")
    factory.user("ilze@example.lv", "member", org)
    assessment = factory.assessment(org)
    client = german_app.test_client()
    log_in(client, "ilze@example.lv")
    client.get("/lang/lv")
    report = client.get(f"/assessments/{assessment}/report").get_data(as_text=True)
    assert f'href="/assessments/{assessment}/report?lang=de" hreflang="de">Pārskats: Deutsch' in (
        report
    )
    assert "Pārskats: English" in report
    german_report = client.get(f"/assessments/{assessment}/report?lang=de")
    assert german_report.status_code == 200
    assert '<div class="report" lang="de">' in german_report.get_data(as_text=True)
    register = client.get(f"/organisations/{org}/kpi").get_data(as_text=True)
    assert '<span lang="de">Deutsch</span>' in register
    client.get("/logout")
    client = german_app.test_client()
    log_in(client, "admin@example.lv")
    client.get("/lang/de")
    banks = client.get("/admin/banks").get_data(as_text=True)
    assert 'lang=de" hreflang="de" lang="de">Deutsch</a>' in banks
    assert 'hreflang="lv" lang="lv">latviešu</a>' in banks


def test_the_command_line_speaks_the_language_of_the_environment(german):
    from assessment.cli import main

    env = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "de_DE.UTF-8"}
    bank = str(ROOT / "tests" / "data" / "mini-bank.yaml")
    result = CliRunner(env=env).invoke(main, ["bank", "validate", bank])
    assert result.exit_code == 0, result.output
    assert "mini-bank.yaml: in Ordnung (mini 0.1.0, 2 Dimensionen, 5 Fragen)" in result.output
    refused = CliRunner(env=env).invoke(main, ["score", str(ROOT / "no-such-file.yaml")])
    assert refused.exit_code == 1 and refused.stderr.startswith("Fehler: ")


def test_a_bank_in_the_language_is_documented_and_linted(german):
    from assessment.domain.bank import parse_bank_text
    from assessment.domain.bankdoc import bank_markdown
    from assessment.domain.lint import format_report, lint_bank

    text = (ROOT / "tests" / "data" / "mini-bank.yaml").read_text("utf-8")
    text = text.replace("\ntitle:\n  lv:", "\ntitle:\n  de: Mini-Fragenkatalog\n  lv:")
    bank = parse_bank_text(text, "mini-bank.yaml")
    assert "Mini-Fragenkatalog" in bank_markdown(bank)
    report = lint_bank(bank)
    assert report.languages == ("lv", "en")  # no question text in German yet: nothing to lint
    old = "    text:\n      lv: Question alpha.one? (lv ā)"
    assert text.count(old) == 1
    text = text.replace(
        old, "    text:\n      de: Frage alpha.eins?\n      lv: Question alpha.one? (lv ā)"
    )
    bank = parse_bank_text(text, "mini-bank.yaml")
    assert "`alpha.one` Question alpha.one? / *Question alpha.one? (lv ā) / Frage alpha.eins?*" in (
        bank_markdown(bank)
    )
    report = lint_bank(bank)
    assert report.languages == ("lv", "en", "de")
    assert set(report.figures()["near_duplicate_pairs"]) == {"lv", "en", "de"}
    assert "lv/de/en length ratio" in format_report(report)


@pytest.mark.parametrize("with_german", [False, True])
def test_an_answers_file_in_another_language_is_refused_naming_the_catalogues(
    request, registry, with_german
):
    from assessment.domain.answers import parse_answers
    from assessment.domain.errors import AnswersError
    from tests.conftest import answers_doc, dump

    if with_german:
        request.getfixturevalue("german")
    with pytest.raises(AnswersError) as refused:
        parse_answers(dump(answers_doc(language="fr")), registry, source="f.json")
    if with_german:
        assert refused.value.message("en").endswith(
            'language must be "lv", "de", or "en", found "fr"'
        )
    else:
        assert refused.value.message("en") == 'f.json: language must be "lv" or "en", found "fr"'
        assert refused.value.message("lv") == 'f.json: language jābūt "lv" vai "en", atrasts "fr"'
