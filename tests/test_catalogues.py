"""Every gettext catalogue is complete, and holds every msgid the code uses (docs/i18n.md).

The catalogues are `assessment/translations/<lang>/LC_MESSAGES/<domain>.po`: the web pages'
`messages` (Flask-Babel) and `report` (report, questionnaire, standard document, text report,
error messages, command line; `assessment/domain/i18n.py`). Every domain of every language is
checked, so a new language or a new domain is covered without changing this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from assessment.domain import i18n

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "assessment" / "translations"
#: The extraction keywords of each domain, as docs/i18n.md and `make extract` give them.
KEYWORDS = {
    "messages": {**DEFAULT_KEYWORDS, **parse_keywords(["_l"])},
    "report": parse_keywords(list(i18n.EXTRACT_KEYWORDS)),
}
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name, domain=path.stem)


def strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)


def problems(path: Path) -> list[str]:
    """What keeps the catalogue at `path` from being complete: untranslated or fuzzy entries."""
    catalog = read(path)
    found = ["the catalogue's header is marked fuzzy"] if catalog.fuzzy else []
    for message in catalog:
        if not message.id:
            continue
        if not all(s.strip() for s in strings(message)):
            found.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
    return found


def extracted(domain: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of every message the source marks for `domain`, by Babel's extraction
    with babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS[domain]
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def pairs() -> list[tuple[str, str]]:
    return [(p.parent.parent.name, p.stem) for p in CATALOGUES]


def test_there_are_catalogues_of_both_domains_for_every_language():
    assert i18n.languages()[0] == i18n.DEFAULT_LANGUAGE
    assert set(i18n.languages()) >= {"lv", "en"}
    for lang in i18n.languages():
        for domain in KEYWORDS:
            assert (TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po").exists(), (lang, domain)


def test_the_languages_are_the_catalogues_present():
    from assessment.config import from_environment

    on_disk = {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert set(i18n.languages()) == on_disk
    assert from_environment(str(ROOT / "instance"))["LANGUAGES"] == i18n.languages()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_catalogue_has_no_untranslated_or_fuzzy_message(path):
    assert not problems(path), f"{path.relative_to(ROOT)}: {problems(path)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_translations_keep_the_placeholders(path):
    """Babel's checks (python-format) pass, and each msgstr has its msgid's %(name)s."""
    catalog = read(path)
    assert not [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    for m in catalog:
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        wanted = sorted(set(re.findall(r"%\(\w+\)s", msgid)))
        for s in strings(m):
            assert sorted(set(re.findall(r"%\(\w+\)s", s))) == wanted, (path.name, m.id, s)


@pytest.fixture(scope="module")
def used():
    return {domain: extracted(domain) for domain in KEYWORDS}


def test_extraction_finds_each_domains_messages(used):
    assert (None, "Log in") in used["messages"]
    assert (None, "Executive summary") in used["report"]  # reporting/labels.py, M_
    assert ("terminal", "Gap") in used["report"]  # domain/textreport.py, C_
    assert (None, "The action plan holds %(n)s action:") in used["report"]  # plural_text
    assert (None, "Executive summary") not in used["messages"]


@pytest.mark.parametrize("lang,domain", pairs())
def test_every_msgid_the_code_uses_is_in_the_catalogue(used, lang, domain):
    """A msgid marked in the source (extracted afresh) but absent from a catalogue fails here.
    Fix: docs/i18n.md, "Updating the catalogues"."""
    catalog = read(TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po")
    missing = sorted(
        (context or "", msgid)
        for context, msgid in used[domain]
        if catalog.get(msgid, context=context) is None
    )
    assert not missing, f"{lang}/{domain}.po lacks {missing}"


def test_the_checks_catch_an_untranslated_a_fuzzy_and_a_missing_message(tmp_path):
    """The checks above on a catalogue broken on purpose."""
    broken = tmp_path / "xx" / "LC_MESSAGES" / "report.po"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Executive summary"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Action plan"\nmsgstr "Plan"\n',
        encoding="utf-8",
    )
    assert problems(broken) == ["untranslated: 'Executive summary'", "fuzzy: 'Action plan'"]
    assert read(broken).get("Overall") is None


def test_the_report_domain_is_read_without_flask():
    """The report's language is its own: no request, no Flask-Babel."""
    assert i18n.gettext("lv", "Executive summary") == "Kopsavilkums"
    assert i18n.gettext("en", "Executive summary") == "Executive summary"
    assert i18n.gettext("xx", "Executive summary") == "Executive summary"
    assert i18n.gettext("lv", ("terminal", "Gap")) == "Atšķ."
    assert (
        i18n.plural_text(
            "lv",
            "%(n)s of %(total)s answer given with low confidence",
            "%(n)s of %(total)s answers given with low confidence",
            21,
            total=30,
        )
        == "21 no 30 atbildēm sniegta ar zemu pārliecību"
    )
