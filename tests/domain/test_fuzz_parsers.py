"""Fuzzing the pure parsers: whatever the input, a parsed result or a DomainError — never a crash.

`parse_answers` either returns a well-formed file or raises AnswersError; `parse_bank_text` (and
`parse_bank`) either return a Bank or raise BankError. Every refusal renders in Latvian and in
English as text that can be written out as UTF-8 (it ends up in a web page).
"""

from __future__ import annotations

import copy
import json
import math
import os
from fractions import Fraction
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context, event

from assessment.domain.answers import FORMAT, parse_answers
from assessment.domain.bank import Bank, BankRegistry, load_bank, parse_bank, parse_bank_text
from assessment.domain.errors import AnswersError, BankError

DATA = Path(__file__).parent.parent / "data"
MINI_TEXT = (DATA / "mini-bank.yaml").read_text("utf-8")
MINI = yaml.safe_load(MINI_TEXT)
REGISTRY = BankRegistry([load_bank(DATA / "mini-bank.yaml")])
QUESTION_IDS = ["alpha.one", "alpha.two", "beta.one", "beta.two", "beta.three"]

#: FUZZ_EXAMPLES=2000 for a deeper run by hand; the suite keeps it quick.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies ---------------------------------------------------------------------------------

#: Unicode that breaks naive code: NUL, bidi marks, combining marks alone, ZWJ emoji, BOM,
#: case-mapping oddities (İ, ß, ﬀ lengthen when case-folded), line separators, format braces.
EDGE_STRINGS = [
    "",
    " ",
    "\t",
    "\r\n",
    "\x00",
    "a\x00b",
    "\u200f",
    "\u202e\u202d",
    "\u200b",
    "\ufeff",
    "e\u0301",
    "\u0301\u0302",
    "👩\u200d👩\u200d👧\u200d👦",
    "🏳️‍🌈",
    "İ",
    "ß",
    "ﬀ",
    "\u2028\u2029",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ā ē ī ū ļ ņ ķ ģ š ž č",
    "ا\u0644\u0639\u0631\u0628\u064a\u0629",
    "'",
    '"',
    "\\",
    "{}",
    "{path}",
    "{0}",
    "%s",
    "%(n)s",
    "<script>alert(1)</script>",
    "null",
    "NaN",
    "Infinity",
    "-1",
    "1e309",
    "9" * 50,
    "\x7f\x1b[31m",
    "\ud7ff\ue000\uffff",
    "\U0010ffff",
]

texts = st.one_of(
    st.sampled_from(EDGE_STRINGS),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(EDGE_STRINGS), min_size=1, max_size=5).map("".join),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([10**30, -(10**300), 2**63, 2**31, 5, -1, 0, 4]),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)

json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)
    ),
    max_leaves=12,
)

#: Values that are near-misses for the fields of an answers file or a bank.
near_misses = st.one_of(
    st.integers(min_value=-3, max_value=8),
    st.sampled_from(
        [
            True,
            False,
            2.0,
            3.5,
            "3",
            "",
            None,
            [],
            {},
            10**30,
            float("nan"),
            float("inf"),
            "assessment-answers/1",
            "assessment-answers/2",
            "mini",
            "0.1.0",
            "lv",
            "en",
            "de",
            "2026-02-30",
            "2026-03-01",
            "https://x.lv",
            "javascript:alert(1)",
            "2.3.1",
            "9.9",
            "alpha",
            "beta",
            "gamma",
            ".nan",
        ]
    ),
    st.sampled_from(QUESTION_IDS),
)

values = st.one_of(json_values, near_misses)


def all_paths(node, prefix=()):
    """Every path to a value in a JSON-like tree (the root is ())."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from all_paths(child, prefix + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from all_paths(child, prefix + (index,))


def similar(old):
    """A value of the same kind as `old`."""
    if isinstance(old, bool):
        return st.booleans()
    if isinstance(old, int):
        return st.one_of(st.integers(min_value=-2, max_value=6), st.integers())
    if isinstance(old, str):
        return st.one_of(
            texts,
            st.builds(lambda t, n: (t or "x") * n, texts, st.sampled_from([2, 50, 400, 3000])),
        )
    if isinstance(old, list):
        return st.lists(values, max_size=3)
    if isinstance(old, dict):
        return st.dictionaries(texts, values, max_size=3)
    return values


@st.composite
def mutations(draw, base):
    """A copy of `base` with 1–4 random edits: drop, replace, duplicate, add a key."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in all_paths(doc) if p]
        if not paths:
            return draw(values)
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        op = draw(st.sampled_from(["drop", "replace", "similar", "similar", "duplicate", "add"]))
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(values)
        elif op == "similar":  # same type, other value: often still valid, stored as given
            parent[key] = draw(similar(parent[key]))
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[key] = [parent[key], copy.deepcopy(parent[key])]
        elif isinstance(parent, dict):
            parent[draw(texts)] = draw(values)
        else:
            parent.append(draw(values))
    return doc


VALID_ANSWERS = {
    "format": FORMAT,
    "bank": {"id": "mini", "version": "0.1.0"},
    "organisation": "Valsts ieņēmumu dienests",
    "title": "Pašnovērtējums",
    "language": "lv",
    "targets": {"alpha": 3, "beta": 4},
    "answers": [
        {
            "question": "alpha.one",
            "level": 3,
            "comment": "ļoti labi",
            "evidence": [
                {"title": "Stratēģija", "url": "https://example.lv", "date": "2026-03-01"}
            ],
        },
        {"question": "alpha.two", "not_applicable": True},
        {"question": "beta.one", "dont_know": True, "comment": ""},
    ],
    "respondents": [
        {
            "name": "Anna",
            "answers": [
                {"question": "alpha.one", "level": 1},
                {"question": "beta.two", "level": 4},
            ],
        },
    ],
}


@st.composite
def encoded(draw, docs):
    """A JSON document as the bytes of a file: ASCII or UTF-8, maybe a BOM, maybe cut short."""
    doc = draw(docs)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    raw = text.encode("utf-8")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    if draw(st.sampled_from(["whole"] * 9 + ["cut"])) == "cut":
        raw = raw[: draw(st.integers(min_value=0, max_value=len(raw)))]
    return raw


JSON_TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"format"',
    b'"assessment-answers/1"',
    b'"bank"',
    b'"answers"',
    b'"level"',
    b"1" * 5000,
    b"-0",
    b"1e999",
    b"NaN",
    b"Infinity",
    b"null",
    b"true",
    b'"\\u0000"',
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b" ",
    b"\n",
    b'"',
    b"\\",
]
json_soup = st.lists(st.sampled_from(JSON_TOKENS), max_size=30).map(b"".join)

# --- answers files ------------------------------------------------------------------------------


def note(value: str) -> None:
    """Count outcomes (see --hypothesis-show-statistics) when inside a hypothesis test."""
    if currently_in_test_context():
        event(value)


def check_message(exc) -> None:
    """A refusal renders in both languages as text that UTF-8 can carry."""
    for lang in ("lv", "en"):
        text = exc.message(lang)
        assert isinstance(text, str) and text
        text.encode("utf-8")


def check_answers(raw: bytes):
    """parse_answers returns a well-formed file or raises AnswersError; nothing else."""
    try:
        parsed, bank = parse_answers(raw, REGISTRY, "fuzz.json")
    except AnswersError as exc:
        check_message(exc)
        note(f"refused: {exc.code}")
        return None
    note("accepted")
    assert bank.key == (parsed.bank_id, parsed.bank_version)
    for answer in parsed.answers + [a for r in parsed.respondents for a in r.answers]:
        assert bank.question(answer.question) is not None
        assert answer.level is None or (type(answer.level) is int and 0 <= answer.level <= 4)
        assert (answer.level is not None) + answer.not_applicable + answer.dont_know == 1
        assert isinstance(answer.comment, str)
        assert all(isinstance(e.title, str) and e.title for e in answer.evidence)
    assert all(type(v) is int and 1 <= v <= 4 for v in parsed.targets.values())
    # What was accepted is written back as a file that parses to the same thing.
    again, _bank = parse_answers(parsed.to_json().encode("utf-8"), REGISTRY)
    assert again.to_dict() == parsed.to_dict()
    return parsed


def test_the_valid_document_parses():
    assert check_answers(json.dumps(VALID_ANSWERS).encode()) is not None


@FUZZ
@given(st.binary(max_size=2000))
@example(b'{"format": ' + b"1" * 5000 + b"}")  # int() refuses > 4300 digits: was ValueError
@example(b"[" * 100_000)
def test_answers_arbitrary_bytes(raw):
    check_answers(raw)


@FUZZ
@given(json_soup)
@example(b'{"format": "\\ud800"}')  # a lone surrogate in the refusal message
def test_answers_json_token_soup(raw):
    check_answers(raw)


@FUZZ
@given(encoded(json_values))
def test_answers_arbitrary_json_values(raw):
    check_answers(raw)


@FUZZ
@given(encoded(mutations(VALID_ANSWERS)))
@example(json.dumps({**VALID_ANSWERS, "title": "a\u0000b"}).encode())  # NUL: PostgreSQL refuses
@example(json.dumps({**VALID_ANSWERS, "title": "\ud800"}).encode())  # not storable as UTF-8
@example(
    json.dumps(
        {
            **VALID_ANSWERS,
            "answers": [
                {"question": "alpha.one", "level": 2},
                {"question": "alpha.one", "level": 3},
            ],
        }
    ).encode()
)
def test_answers_mutated_valid_document(raw):
    check_answers(raw)


# --- question banks -----------------------------------------------------------------------------


def check_bank(parse, value):
    """A Bank, well-formed, or BankError; nothing else."""
    try:
        bank = parse(value)
    except BankError as exc:
        check_message(exc)
        note(f"refused: {exc.code}")
        return None
    note("accepted")
    assert isinstance(bank, Bank)
    ids = [q.id for q in bank.questions]
    assert len(ids) == len(set(ids)) == len(bank)
    for dimension in bank.dimensions:
        assert dimension.target in (1, 2, 3, 4)
        assert isinstance(dimension.weight, Fraction) and dimension.weight > 0
        for question in dimension.questions:
            assert question.id.startswith(dimension.id + ".")
            assert isinstance(question.weight, Fraction) and question.weight > 0
            assert len(question.levels) == 5 and len(question.recommendations) == 4
    for text in [bank.title, bank.source, *bank.scale]:
        assert "\x00" not in text.lv + text.en
        (text.lv + text.en).encode("utf-8")
    return bank


def test_the_mini_bank_parses():
    assert check_bank(parse_bank_text, MINI_TEXT) is not None


YAML_TOKENS = [
    "id: ",
    "mini",
    "version: ",
    "0.1.0",
    "\n",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "? ",
    ", ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!omap ",
    "!!python/object:os.system ",
    "!foo ",
    "2020-13-45",
    "2026-03-01 25:00:00",
    "1" * 5000,
    ".nan",
    ".inf",
    "~",
    "'",
    '"\\0"',
    '"\\ud800"',
    '"\\x00"',
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
    "\t",
    "\x85",
    "\ufeff",
    "ā",
    "\x00",
]
yaml_soup = st.lists(st.sampled_from(YAML_TOKENS), max_size=25).map("".join)


@FUZZ
@given(st.one_of(texts, yaml_soup))
@example("id: " + "1" * 5000)  # int() refuses > 4300 digits: was ValueError
@example("[" * 1000)  # PyYAML recurses: was RecursionError
@example("id: 2020-13-45")  # an impossible date: was ValueError
@example("id: !!int abc")  # was ValueError
@example("!!int")  # was IndexError
@example("!!timestamp")  # was AttributeError
@example("id: !!timestamp 2026-03-01 25:00:00")  # was ValueError
def test_bank_arbitrary_text(text):
    check_bank(parse_bank_text, text)


@FUZZ
@given(st.binary(max_size=2000))
def test_bank_arbitrary_bytes(raw):
    check_bank(parse_bank_text, raw)


def _with(change) -> dict:
    data = copy.deepcopy(MINI)
    change(data)
    return data


@FUZZ
@given(mutations(MINI), st.booleans())
@example(_with(lambda d: d.update({1: "x", "zz": "y"})), False)  # mixed key types: TypeError
@example(_with(lambda d: d["dimensions"][0]["questions"][0].update(weight=math.nan)), True)
@example(_with(lambda d: d["dimensions"][1].update(weight=math.nan)), False)
@example(_with(lambda d: d["title"].update(en="a\x00b")), True)  # NUL: PostgreSQL refuses
@example(_with(lambda d: d["title"].update(en="\ud800")), False)  # not storable as UTF-8
@example(_with(lambda d: d.update(version="1.0." + "0" * 40)), True)  # longer than the column
@example(_with(lambda d: d.update(id="a" * 64 + "\n")), True)  # `$` matches before a newline
def test_bank_mutated_valid_bank(data, as_yaml):
    if as_yaml:
        try:
            text = yaml.safe_dump(data, allow_unicode=True)
        except yaml.YAMLError:  # pragma: no cover - every JSON-like value dumps
            return
        bank = check_bank(parse_bank_text, text)
    else:
        bank = check_bank(parse_bank, data)
    if bank is not None:
        assert len(bank.id) <= 64 and len(bank.version) <= 32  # what the database holds
