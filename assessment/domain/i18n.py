"""One mechanism for the fixed texts that are not web pages: gettext catalogues through Babel.

The report (HTML, PDF, DOCX, KPI list, charts), the blank questionnaire, the standard
document, the terminal text report, the domain's error messages and the command line take
their words from the `report` domain of the catalogues in `assessment/translations/`
(`<lang>/LC_MESSAGES/report.po`); the web pages keep Flask-Babel's `messages` domain. The
language is always an argument (a report's own language is independent of the interface's), so
this module needs no Flask and the domain may use it. docs/i18n.md says how to add a language.

Figures and dates are formatted by Babel for the language, after the product's one rounding
(half-up, `rounding.round_half_up`, which `scoring` exports).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol
from babel.support import NullTranslations, Translations

from .rounding import round_half_up

#: The catalogues: `<lang>/LC_MESSAGES/<domain>.po` (and the compiled `.mo`).
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
#: The domain of the report, CLI and error texts; the web pages use "messages".
DOMAIN = "report"
#: The keywords that mark the report domain's msgids for `pybabel extract` (`-k` each, with
#: `--no-default-keywords`; docs/i18n.md): they are not Babel's defaults, so the UI's
#: extraction (messages) leaves these texts out.
EXTRACT_KEYWORDS = ("M_", "C_:1c,2", "plural_text:2,3")
#: The default language: first in `languages()`, the interface's fallback.
DEFAULT_LANGUAGE = "lv"
#: The language of the msgids: what an unknown language gets.
SOURCE_LANGUAGE = "en"


def M_(msgid: str) -> str:  # noqa: N802 (the gettext marker convention)
    """Mark `msgid` for extraction into the report domain; translated where it is used."""
    return msgid


def C_(context: str, msgid: str) -> tuple[str, str]:  # noqa: N802
    """Mark `msgid` with a context (the same English words translated differently)."""
    return context, msgid


@cache
def languages() -> tuple[str, ...]:
    """The languages that have catalogues (a directory with LC_MESSAGES/messages.po), the
    default first."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))
    return tuple(sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE))


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The language's own name for itself (Babel/CLDR): `latviešu`, `English`; with `in_lang`,
    its name in that language (`angļu`, `Latvian`), for a sentence."""
    from babel import Locale

    return Locale.parse(lang).get_display_name(in_lang or lang) or lang


def or_list(items: list[str] | tuple[str, ...], lang: str) -> str:
    """`items` joined the language's way with "or" (Babel): `lv or en`, `lv vai en`,
    `lv, de oder en`."""
    from babel.lists import format_list

    return format_list(list(items), style="or", locale=normal(lang))


def language_choices() -> list[tuple[str, str]]:
    """(code, own name) of every language, the default first: choices of a language field."""
    return [(lang, language_name(lang)) for lang in languages()]


def normal(lang: str | None) -> str:
    """`lang` when it has catalogues, else the source language (English)."""
    return lang if lang in languages() else SOURCE_LANGUAGE


@cache
def translations(lang: str, domain: str = DOMAIN) -> NullTranslations:
    """The catalogue of `lang` in `domain`: the compiled .mo, or the .po compiled in memory
    when the .mo is missing or older (a fresh clone before `make translations`)."""
    folder = TRANSLATIONS_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=domain)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=domain)
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain)


def gettext(lang: str, msgid: str | tuple[str, str], **params: object) -> str:
    """`msgid` (or `(context, msgid)`) in `lang`, its `%(name)s` placeholders filled."""
    t = translations(normal(lang))
    text = t.upgettext(*msgid) if isinstance(msgid, tuple) else t.ugettext(msgid)
    return text % params if params else text


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the command line's own messages, chosen the way command-line tools
    choose it (GNU gettext), not by `--lang`: the first of LC_ALL, LC_MESSAGES and LANG that is
    set names the locale; in a locale other than C/POSIX, the list in LANGUAGE (`de:lv`) comes
    before it. The first of these with catalogues counts; otherwise English."""
    import os

    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    if _language_code(locale) in ("", "c", "posix"):
        return SOURCE_LANGUAGE
    for candidate in [*env.get("LANGUAGE", "").split(":"), locale]:
        code = _language_code(candidate)
        if code in languages():
            return code
    return SOURCE_LANGUAGE


def _language_code(locale: str) -> str:
    """`lv` of `lv_LV.UTF-8`, `de` of `de_DE@euro`, `c` of `C.UTF-8`."""
    return locale.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()


def cli_text(msgid: str | tuple[str, str], **params: object) -> str:
    """A message of the command line itself in the environment's language."""
    return gettext(environment_language(), msgid, **params)


def plural_text(lang: str, singular: str, plural: str, n: int, **params: object) -> str:
    """ngettext in `lang`: the form for `n` (Latvian has three), `%(n)s` and the other
    placeholders filled."""
    text = translations(normal(lang)).ungettext(singular, plural, n)
    return text % {"n": n, **params}


class LabelTable(Mapping[str, Mapping[str, str]]):
    """A module's fixed texts: key → English msgid (or a list of them); `table[lang]` is the
    same keys with the texts of `lang` (English for a language without a catalogue)."""

    def __init__(self, msgids: Mapping[str, str | tuple[str, str] | list[str]]) -> None:
        self.msgids = dict(msgids)
        self._cache: dict[str, dict] = {}

    def __getitem__(self, lang: str) -> dict:
        lang = normal(lang)
        table = self._cache.get(lang)
        if table is None:
            table = self._cache[lang] = {
                key: [gettext(lang, m) for m in value]
                if isinstance(value, list)
                else gettext(lang, value)
                for key, value in self.msgids.items()
            }
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(languages())

    def __len__(self) -> int:
        return len(languages())


def format_number(value: Fraction | Decimal | float | int, lang: str, places: int = 2) -> str:
    """`value` rounded half-up to `places` and written the language's way (`2,35`, `2.35`),
    without grouping, a minus as `−`."""
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    rounded = round_half_up(exact, places)
    if rounded == 0:
        rounded = abs(rounded)
    pattern = "0." + "0" * places if places else "0"
    text = format_decimal(Decimal(str(rounded)), format=pattern, locale=normal(lang))
    return text.replace("-", "−")


def language_tag(lang: str) -> str:
    """The BCP 47 tag documents in `lang` declare (PDF /Lang, DOCX language): `lv-LV`, `en-GB`."""
    # Translators: the BCP 47 language tag of documents in this language (e.g. lv-LV).
    return gettext(lang, M_("en-GB"))


def decimal_symbol(lang: str | None) -> str:
    """The decimal sign of `lang` (Babel's): `,` in Latvian, `.` in English."""
    return get_decimal_symbol(normal(lang))


def format_date(d: dt.date, lang: str) -> str:
    """A date in the pattern the catalogue gives (`26.11.2026.`, `26 November 2026`)."""
    # Translators: a Babel/CLDR date pattern (d day, MM month number, MMMM month name, y year).
    pattern = gettext(lang, M_("d MMMM y"))
    return babel_format_date(d, pattern, locale=normal(lang))
