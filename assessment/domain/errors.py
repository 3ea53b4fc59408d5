"""Domain exceptions, declared once, each with a message in Latvian and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # question banks
    "bank.unreadable": {
        "en": "cannot read the file: {detail}",
        "lv": "failu nevar nolasīt: {detail}",
    },
    "bank.not_yaml": {
        "en": "not valid YAML: {detail}",
        "lv": "nav derīgs YAML: {detail}",
    },
    "bank.schema": {"en": "{detail}", "lv": "{detail}"},
    "bank.duplicate_question": {
        "en": "duplicate question id '{id}' (first used at {first})",
        "lv": "jautājuma identifikators '{id}' atkārtojas (pirmo reizi: {first})",
    },
    "bank.duplicate_dimension": {
        "en": "duplicate dimension id '{id}'",
        "lv": "dimensijas identifikators '{id}' atkārtojas",
    },
    "bank.question_prefix": {
        "en": "question id '{id}' must start with its dimension id '{dimension}.'",
        "lv": "jautājuma identifikatoram '{id}' jāsākas ar dimensijas identifikatoru "
        "'{dimension}.'",
    },
    "bank.unknown_clause": {
        "en": "unknown guideline clause '{clause}' (known: 2.0, 2.1.1–2.1.5, 2.2.1–2.2.7, "
        "2.2.2a–e, 2.3.1–2.3.9)",
        "lv": "nezināms vadlīniju punkts '{clause}' (zināmie: 2.0, 2.1.1–2.1.5, 2.2.1–2.2.7, "
        "2.2.2a–e, 2.3.1–2.3.9)",
    },
    "bank.too_large": {
        "en": "the file is larger than {limit} bytes",
        "lv": "fails ir lielāks par {limit} baitiem",
    },
    "bank.bad_char": {
        "en": "holds a character that is not allowed (NUL or an unpaired surrogate)",
        "lv": "satur neatļautu rakstzīmi (NUL vai nesapārotu surogātkodu)",
    },
    "bank.exists": {
        "en": "bank {id} version {version} is already installed",
        "lv": "jautājumu banka {id}, versija {version}, jau ir uzstādīta",
    },
    "bank.rationale_question": {
        "en": "question '{id}' has weight {weight}: a bank of version 2.0.0 or later needs a "
        "'rationale' (lv, en) saying why the weight is not 1",
        "lv": "jautājumam '{id}' ir svars {weight}: 2.0.0 vai jaunākas versijas bankā "
        "vajadzīgs pamatojums 'rationale' (lv, en), kāpēc svars nav 1",
    },
    "bank.rationale_dimension": {
        "en": "dimension '{id}' has weight {weight} and target {target}: a bank of version "
        "2.0.0 or later needs a 'rationale' (lv, en) when the weight is not 1 or the target "
        "not 3",
        "lv": "dimensijai '{id}' ir svars {weight} un mērķa līmenis {target}: 2.0.0 vai "
        "jaunākas versijas bankā vajadzīgs pamatojums 'rationale' (lv, en), ja svars nav 1 "
        "vai mērķa līmenis nav 3",
    },
    "mapping.invalid": {"en": "{detail}", "lv": "{detail}"},
    # answers files
    "answers.empty": {"en": "the file is empty", "lv": "fails ir tukšs"},
    "answers.too_large": {
        "en": "the file is larger than {limit} bytes",
        "lv": "fails ir lielāks par {limit} baitiem",
    },
    "answers.not_utf8": {
        "en": "the file is not UTF-8 text (byte {position})",
        "lv": "fails nav UTF-8 teksts ({position}. baits)",
    },
    "answers.not_json": {
        "en": "not valid JSON: {detail} (line {line}, column {column})",
        "lv": "nav derīgs JSON: {detail} ({line}. rinda, {column}. kolonna)",
    },
    "answers.not_object": {
        "en": "the file must hold one JSON object",
        "lv": "failā jābūt vienam JSON objektam",
    },
    "answers.format": {
        "en": 'format must be "assessment-answers/1", found {found}',
        "lv": 'format jābūt "assessment-answers/1", atrasts {found}',
    },
    "answers.field_type": {
        "en": "{path}: must be {expected}",
        "lv": "{path}: jābūt {expected_lv}",
    },
    "answers.missing": {
        "en": "{path}: is required",
        "lv": "{path}: ir obligāts",
    },
    "answers.unknown_bank": {
        "en": "bank {id} version {version} is not installed",
        "lv": "jautājumu banka {id}, versija {version}, nav uzstādīta",
    },
    "answers.unknown_question": {
        "en": "{path}: unknown question id '{question}' in bank {bank}",
        "lv": "{path}: jautājums '{question}' bankā {bank} nepastāv",
    },
    "answers.level_range": {
        "en": "{path}: level must be an integer from 0 to 4, found {found}",
        "lv": "{path}: līmenim jābūt veselam skaitlim no 0 līdz 4, atrasts {found}",
    },
    "answers.duplicate": {
        "en": "{path}: question '{question}' is answered twice (also at {first})",
        "lv": "{path}: uz jautājumu '{question}' atbildēts divreiz (arī {first})",
    },
    "answers.kind": {
        "en": "{path}: an answer must have exactly one of level, not_applicable: true, "
        "dont_know: true",
        "lv": "{path}: atbildei jābūt tieši vienam no: level, not_applicable: true, "
        "dont_know: true",
    },
    "answers.target_range": {
        "en": "{path}: a target must be an integer from 1 to 4, found {found}",
        "lv": "{path}: mērķa līmenim jābūt veselam skaitlim no 1 līdz 4, atrasts {found}",
    },
    "answers.unknown_dimension": {
        "en": "{path}: unknown dimension '{dimension}'",
        "lv": "{path}: dimensija '{dimension}' nepastāv",
    },
    "answers.language": {
        "en": 'language must be "lv" or "en", found {found}',
        "lv": 'language jābūt "lv" vai "en", atrasts {found}',
    },
    "answers.confidence": {
        "en": "{path}: confidence must be low, medium or high",
        "lv": "{path}: pārliecībai jābūt low, medium vai high (zema, vidēja vai augsta)",
    },
    "answers.too_long": {
        "en": "{path}: longer than {limit} characters",
        "lv": "{path}: garāks par {limit} rakstzīmēm",
    },
    "answers.too_many": {
        "en": "{path}: more than {limit} items",
        "lv": "{path}: vairāk nekā {limit} vienumu",
    },
    "answers.bad_char": {
        "en": "{path}: holds a character that is not allowed (NUL or an unpaired surrogate)",
        "lv": "{path}: satur neatļautu rakstzīmi (NUL vai nesapārotu surogātkodu)",
    },
    "answers.bad_date": {
        "en": "{path}: a date must be YYYY-MM-DD, found {found}",
        "lv": "{path}: datumam jābūt formā GGGG-MM-DD, atrasts {found}",
    },
    "answers.bad_url": {
        "en": "{path}: a link must start with http:// or https://, found {found}",
        "lv": "{path}: saitei jāsākas ar http:// vai https://, atrasts {found}",
    },
    "answers.not_indicator": {
        "en": "{path}: question '{question}' is not an indicator question: answer it with "
        "level, not_applicable: true or dont_know: true, without {key}",
        "lv": "{path}: jautājums '{question}' nav rādītāja jautājums: atbildiet ar level, "
        "not_applicable: true vai dont_know: true, bez {key}",
    },
    "answers.not_maturity": {
        "en": "{path}: question '{question}' is an indicator question: give its value, not a level",
        "lv": "{path}: jautājums '{question}' ir rādītāja jautājums: norādiet tā vērtību "
        "(value), nevis līmeni",
    },
    "answers.kind_indicator": {
        "en": "{path}: an answer to an indicator question must have exactly one of value, "
        "not_applicable: true, dont_know: true (period only with a value)",
        "lv": "{path}: atbildei uz rādītāja jautājumu jābūt tieši vienam no: value, "
        "not_applicable: true, dont_know: true (period tikai kopā ar value)",
    },
    "answers.value": {
        "en": "{path}: value must be a finite number (at most {limit} in absolute value), "
        "found {found}",
        "lv": "{path}: vērtībai jābūt galīgam skaitlim (absolūtajā vērtībā ne lielākam par "
        "{limit}), atrasts {found}",
    },
    "answers.period": {
        "en": '{path}: a period must be a year, quarter or month: "2026", "2026-Q3" or '
        '"2026-09", found {found}',
        "lv": '{path}: periodam jābūt gadam, ceturksnim vai mēnesim: "2026", "2026-Q3" '
        'vai "2026-09", atrasts {found}',
    },
    "answers.max_age": {
        "en": "{path}: must be an integer from 1 to 120 (months), found {found}",
        "lv": "{path}: jābūt veselam skaitlim no 1 līdz 120 (mēneši), atrasts {found}",
    },
}

TYPE_NAMES_LV = {
    "a string": "teksts",
    "an object": "objekts",
    "a list": "saraksts",
    "true or false": "true vai false",
    "an integer": "vesels skaitlis",
    "an object with a name and answers": "objekts ar vārdu un atbildēm",
}


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
        """The refusal in `lang` ('lv' or 'en'), prefixed by the file it concerns."""
        templates = MESSAGES[self.code]
        params = dict(self.params)
        if "expected" in params:
            params["expected_lv"] = TYPE_NAMES_LV.get(str(params["expected"]), params["expected"])
        text = templates.get(lang, templates["en"]).format(**params)
        return _writable(f"{self.source}: {text}" if self.source else text)


class BankError(DomainError):
    """A question bank that cannot be used, with the file and the path inside it."""

    def __init__(self, code: str, source: str, path: str = "", **params: object) -> None:
        self.path = path
        super().__init__(code, source, **params)

    def message(self, lang: str = "en") -> str:
        """`file: path: reason`, the form `assessment bank validate` prints."""
        templates = MESSAGES[self.code]
        text = templates.get(lang, templates["en"]).format(**self.params)
        where = f"{self.source}: {self.path}" if self.path else f"{self.source}"
        return _writable(f"{where}: {text}")


class AnswersError(DomainError):
    """An answers file (assessment-answers/1) that is refused."""
