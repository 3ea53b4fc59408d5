"""docs/i18n.md, "Adding a language": a catalogue directory and the bank texts are enough for
the report domain: the language is offered, its words, numbers and dates are used, and a bank
text in it is read. Here a German catalogue is made in a copy of the translations directory."""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from assessment.domain import i18n

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def german(tmp_path, monkeypatch):
    """translations/ with de/LC_MESSAGES/{messages,report}.po made from the English ones, as
    `pybabel init` would, with two report texts translated."""
    target = tmp_path / "translations"
    shutil.copytree(ROOT / "assessment" / "translations", target)
    folder = target / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for domain in ("messages", "report"):
        with (target / "en" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            catalog = read_po(handle, locale="de", domain=domain)
        if domain == "report":
            catalog["Executive summary"].string = "Zusammenfassung"
            catalog["d MMMM y"].string = "d. MMMM y"
        with (folder / f"{domain}.po").open("wb") as handle:
            write_po(handle, catalog)
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
