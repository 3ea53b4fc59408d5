"""Domain exceptions, declared once, each with a message in every language of the catalogues
(the `report` gettext domain, docs/i18n.md)."""

from __future__ import annotations

from .i18n import M_, gettext, or_list

#: code → English msgid of the report domain (docs/i18n.md).
MESSAGES: dict[str, str] = {
    "bank.unreadable": M_("cannot read the file: %(detail)s"),
    "bank.not_yaml": M_("not valid YAML: %(detail)s"),
    "bank.schema": M_("%(detail)s"),
    "bank.duplicate_question": M_("duplicate question id '%(id)s' (first used at %(first)s)"),
    "bank.duplicate_dimension": M_("duplicate dimension id '%(id)s'"),
    "bank.question_prefix": M_(
        "question id '%(id)s' must start with its dimension id '%(dimension)s.'"
    ),
    "bank.unknown_clause": M_(
        "unknown guideline clause '%(clause)s' (known: 2.0, 2.1.1–2.1.5, 2.2.1–2.2.7, "
        "2.2.2a–e, 2.3.1–2.3.9)"
    ),
    "bank.too_large": M_("the file is larger than %(limit)s bytes"),
    "bank.bad_char": M_("holds a character that is not allowed (NUL or an unpaired surrogate)"),
    "bank.exists": M_("bank %(id)s version %(version)s is already installed"),
    "bank.rationale_question": M_(
        "question '%(id)s' has weight %(weight)s: a bank of version 2.0.0 or later needs a "
        "'rationale' (lv, en) saying why the weight is not 1"
    ),
    "bank.rationale_dimension": M_(
        "dimension '%(id)s' has weight %(weight)s and target %(target)s: a bank of version "
        "2.0.0 or later needs a 'rationale' (lv, en) when the weight is not 1 or the target "
        "not 3"
    ),
    "mapping.invalid": M_("%(detail)s"),
    "answers.empty": M_("the file is empty"),
    "answers.too_large": M_("the file is larger than %(limit)s bytes"),
    "answers.not_utf8": M_("the file is not UTF-8 text (byte %(position)s)"),
    "answers.not_json": M_("not valid JSON: %(detail)s (line %(line)s, column %(column)s)"),
    "answers.not_object": M_("the file must hold one JSON object"),
    "answers.format": M_('format must be "assessment-answers/1", found %(found)s'),
    "answers.field_type": M_("%(path)s: must be %(expected)s"),
    "answers.missing": M_("%(path)s: is required"),
    "answers.unknown_bank": M_("bank %(id)s version %(version)s is not installed"),
    "answers.unknown_question": M_("%(path)s: unknown question id '%(question)s' in bank %(bank)s"),
    "answers.level_range": M_("%(path)s: level must be an integer from 0 to 4, found %(found)s"),
    "answers.duplicate": M_(
        "%(path)s: question '%(question)s' is answered twice (also at %(first)s)"
    ),
    "answers.kind": M_(
        "%(path)s: an answer must have exactly one of level, not_applicable: true, dont_know: true"
    ),
    "answers.target_range": M_(
        "%(path)s: a target must be an integer from 1 to 4, found %(found)s"
    ),
    "answers.unknown_dimension": M_("%(path)s: unknown dimension '%(dimension)s'"),
    "answers.language": M_("language must be %(languages)s, found %(found)s"),
    "answers.confidence": M_("%(path)s: confidence must be low, medium or high"),
    "answers.too_long": M_("%(path)s: longer than %(limit)s characters"),
    "answers.too_many": M_("%(path)s: more than %(limit)s items"),
    "answers.bad_char": M_(
        "%(path)s: holds a character that is not allowed (NUL or an unpaired surrogate)"
    ),
    "answers.bad_date": M_("%(path)s: a date must be YYYY-MM-DD, found %(found)s"),
    "answers.bad_url": M_("%(path)s: a link must start with http:// or https://, found %(found)s"),
    "answers.not_indicator": M_(
        "%(path)s: question '%(question)s' is not an indicator question: answer it with "
        "level, not_applicable: true or dont_know: true, without %(key)s"
    ),
    "answers.not_maturity": M_(
        "%(path)s: question '%(question)s' is an indicator question: give its value, not a level"
    ),
    "answers.kind_indicator": M_(
        "%(path)s: an answer to an indicator question must have exactly one of value, "
        "not_applicable: true, dont_know: true (period only with a value)"
    ),
    "answers.value": M_(
        "%(path)s: value must be a finite number (at most %(limit)s in absolute value), "
        "found %(found)s"
    ),
    "answers.period": M_(
        '%(path)s: a period must be a year, quarter or month: "2026", "2026-Q3" or '
        '"2026-09", found %(found)s'
    ),
    "answers.max_age": M_("%(path)s: must be an integer from 1 to 120 (months), found %(found)s"),
}

#: The kinds a field of an answers file must be (`expected` of answers.field_type), translated
#: with the message.
TYPE_NAMES = (
    M_("a string"),
    M_("an object"),
    M_("a list"),
    M_("true or false"),
    M_("an integer"),
    M_("an object with a name and answers"),
)


def _writable(text: str) -> str:
    """The message as UTF-8 can carry it: an unpaired surrogate quoted from the input (a JSON
    escape such as \\ud800) would make writing the page or the terminal fail."""
    return text.encode("utf-8", "replace").decode("utf-8")


class DomainError(Exception):
    """A refusal of user input, with a message in either language."""

    def __init__(self, code: str, source: str | None = None, **params: object) -> None:
        self.code = code
        self.source = source
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The refusal in `lang` (English without a catalogue), prefixed by the file it concerns."""
        params = dict(self.params)
        if "expected" in params:
            params["expected"] = gettext(lang, str(params["expected"]))
        if "languages" in params:  # the catalogues' languages, "lv" or "en" in this language
            params["languages"] = or_list([f'"{code}"' for code in params["languages"]], lang)
        text = gettext(lang, MESSAGES[self.code], **params)
        return _writable(f"{self.source}: {text}" if self.source else text)


class BankError(DomainError):
    """A question bank that cannot be used, with the file and the path inside it."""

    def __init__(self, code: str, source: str, path: str = "", **params: object) -> None:
        self.path = path
        super().__init__(code, source, **params)

    def message(self, lang: str = "en") -> str:
        """`file: path: reason`, the form `assessment bank validate` prints."""
        text = gettext(lang, MESSAGES[self.code], **self.params)
        where = f"{self.source}: {self.path}" if self.path else f"{self.source}"
        return _writable(f"{where}: {text}")


class AnswersError(DomainError):
    """An answers file (assessment-answers/1) that is refused."""
