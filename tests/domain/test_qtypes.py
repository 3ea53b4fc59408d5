"""Question types (docs/question-bank-format.md and docs/scoring.md): the indicator type in
banks and answers files, its levels,
and evidence freshness; scoring checked against an independent oracle (tests/domain/oracle.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.domain import qtypes
from assessment.domain.answer_form import names
from assessment.domain.answers import Answer, Evidence, parse_answers
from assessment.domain.bank import BankRegistry, bundled_registry, load_bank, parse_bank
from assessment.domain.consolidation import consolidate_answers
from assessment.domain.errors import AnswersError, BankError
from assessment.domain.qtypes.indicator import level_of
from assessment.domain.scoring import is_unsupported, score, stale_before
from assessment.services.results import score_file as score_answers_file
from tests.conftest import DATA, answers_doc, dump
from tests.domain.oracle import indicator_level, months_back, oracle

IND_PATH = DATA / "indicator-bank.yaml"


@pytest.fixture(scope="module")
def ind_bank():
    return load_bank(IND_PATH)


@pytest.fixture(scope="module")
def ind_registry(ind_bank):
    reg = BankRegistry(bundled_registry())
    reg.add(ind_bank)
    return reg


def raw_bank():
    return yaml.safe_load(IND_PATH.read_text("utf-8"))


def ind_doc(answers=None, **extra):
    return answers_doc(answers, bank=("mini-ind", "0.1.0"), **extra)


# --- the bank -------------------------------------------------------------------------------


def test_registry_names_both_types_and_maturity_is_default(ind_bank):
    assert list(qtypes.TYPES) == ["maturity", "indicator"]
    assert ind_bank.question("alpha.one").type == "maturity"
    wait = ind_bank.question("gamma.wait")
    assert wait.type == "indicator" and wait.details.direction == "lower"
    assert wait.details.thresholds == (30, 15, 5, 2.5) and wait.details.unit.en == "minutes"


def test_bundled_bank_has_only_maturity_questions():
    bank = bundled_registry().get("lv-customer-service-2013", "1.0.0")
    assert {q.type for q in bank.questions} == {"maturity"}


def refused_bank(mutate) -> str:
    data = raw_bank()
    mutate(data["dimensions"][2]["questions"])
    with pytest.raises(BankError) as info:
        parse_bank(data, "ind.yaml")
    return info.value.message("en")


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (
            lambda qs: qs[0].update(thresholds=[50, 70, 70, 95]),
            "ind.yaml: dimensions[2].questions[0].thresholds: must be strictly increasing for "
            "direction 'higher', found [50, 70, 70, 95]",
        ),
        (
            lambda qs: qs[1].update(thresholds=[2.5, 5, 15, 30]),
            "ind.yaml: dimensions[2].questions[1].thresholds: must be strictly decreasing for "
            "direction 'lower', found [2.5, 5, 15, 30]",
        ),
        (
            lambda qs: qs[0].update(thresholds=[50, 70, 85]),
            "dimensions[2].questions[0].thresholds: must have exactly 4 items, found 3",
        ),
        (
            lambda qs: qs[0].update(thresholds=[50, 70, "85", 95]),
            "dimensions[2].questions[0].thresholds[2]: must be of type number",
        ),
        (
            lambda qs: qs[0].update(thresholds=[50, 70, 85, float("inf")]),
            "dimensions[2].questions[0].thresholds[3]: must be a finite number",
        ),
        (
            lambda qs: qs[0].pop("unit"),
            "dimensions[2].questions[0]: missing required key 'unit' (type: indicator)",
        ),
        (
            lambda qs: qs[0].pop("direction"),
            "dimensions[2].questions[0]: missing required key 'direction'",
        ),
        (
            lambda qs: qs[0].pop("thresholds"),
            "dimensions[2].questions[0]: missing required key 'thresholds'",
        ),
        (
            lambda qs: qs[0].update(direction="sideways"),
            "dimensions[2].questions[0].direction: 'sideways' is not one of ['higher', 'lower']",
        ),
        (
            lambda qs: qs[0].update(type="ranking"),
            "dimensions[2].questions[0].type: 'ranking' is not one of ['maturity', 'indicator']",
        ),
        (
            lambda qs: qs[0].update(type="maturity"),
            "dimensions[2].questions[0].unit: 'unit' belongs to questions of type 'indicator'",
        ),
        (
            lambda qs: qs[0].update(unit={"lv": "x"}),
            "dimensions[2].questions[0].unit: missing required key 'en'",
        ),
    ],
)
def test_bad_indicator_questions_are_refused_with_file_path_and_reason(mutate, expected):
    assert expected in refused_bank(mutate)


# --- levels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, level",
    [
        (0, 0),
        (49.999, 0),
        (50, 1),
        (69, 1),
        (70, 2),
        (85, 3),
        (94.9, 3),
        (95, 4),
        (100, 4),
    ],
)
def test_higher_is_better_counts_thresholds_reached(ind_bank, value, level):
    assert level_of(ind_bank.question("gamma.answered").details, value) == level


@pytest.mark.parametrize(
    "value, level",
    [
        (60, 0),
        (30.1, 0),
        (30, 1),
        (15, 2),
        (14, 2),
        (5, 3),
        (2.5, 4),
        (0, 4),
        (-1, 4),
    ],
)
def test_lower_is_better_counts_thresholds_reached(ind_bank, value, level):
    assert level_of(ind_bank.question("gamma.wait").details, value) == level


# --- the answers file -----------------------------------------------------------------------


def refused(registry, doc) -> AnswersError:
    with pytest.raises(AnswersError) as info:
        parse_answers(dump(doc), registry, "answers.json")
    return info.value


def test_indicator_answers_parse_to_levels_and_round_trip(ind_registry):
    doc = ind_doc(
        [
            {
                "question": "gamma.answered",
                "value": 87.5,
                "period": "2026-Q3",
                "evidence": [{"title": "Zvanu statistika", "date": "2026-10-01"}],
            },
            {"question": "gamma.wait", "value": 4},
            {"question": "alpha.one", "level": 2},
        ],
        as_of="2026-12-01",
        evidence_max_age_months=24,
    )
    parsed, _bank = parse_answers(dump(doc), ind_registry)
    answered, wait, _ = parsed.answers
    assert (answered.level, answered.value, answered.period) == (3, 87.5, "2026-Q3")
    assert (wait.level, wait.value, wait.period) == (3, 4, "")
    assert parsed.as_of_date == dt.date(2026, 12, 1) and parsed.max_age == 24
    assert json.loads(parsed.to_json()) == doc


def test_without_freshness_keys_the_file_round_trips_without_them(ind_registry):
    doc = ind_doc([{"question": "gamma.wait", "dont_know": True}])
    parsed, _ = parse_answers(dump(doc), ind_registry)
    assert parsed.max_age == 36 and parsed.as_of_date is None
    assert json.loads(parsed.to_json()) == doc


@pytest.mark.parametrize(
    "answer, expected",
    [
        (
            {"question": "gamma.wait", "level": 3},
            "answers[0].level: question 'gamma.wait' is an indicator question: give its value",
        ),
        (
            {"question": "alpha.one", "value": 3},
            "answers[0].value: question 'alpha.one' is not an indicator question",
        ),
        (
            {"question": "alpha.one", "level": 2, "period": "2026"},
            "answers[0].period: question 'alpha.one' is not an indicator question",
        ),
        (
            {"question": "gamma.wait", "value": 3, "dont_know": True},
            "answers[0]: an answer to an indicator question must have exactly one of value",
        ),
        ({"question": "gamma.wait"}, "answers[0]: an answer to an indicator question must have"),
        (
            {"question": "gamma.wait", "not_applicable": True, "period": "2026"},
            "answers[0]: an answer to an indicator question must have",
        ),
        ({"question": "gamma.wait", "value": "3"}, "answers[0].value: value must be a finite"),
        ({"question": "gamma.wait", "value": True}, "answers[0].value: value must be a finite"),
        ({"question": "gamma.wait", "value": 1e16}, "answers[0].value: value must be a finite"),
        ({"question": "gamma.wait", "value": 10**400}, "answers[0].value: value must be"),
        (
            {"question": "gamma.wait", "value": 3, "period": "2026-Q5"},
            'answers[0].period: a period must be a year, quarter or month: "2026", "2026-Q3" or '
            '"2026-09", found "2026-Q5"',
        ),
        ({"question": "gamma.wait", "value": 3, "period": 2026}, "answers[0].period: a period"),
        ({"question": "gamma.wait", "value": 3, "period": "2026-13"}, "answers[0].period"),
        ({"question": "gamma.wait", "value": 3, "period": "2026\n"}, "answers[0].period"),
        (
            {"question": "gamma.wait", "value": 3, "not_applicable": "yes"},
            "answers[0].not_applicable: must be true or false",
        ),
    ],
)
def test_bad_indicator_answers_are_refused_naming_the_entry(ind_registry, answer, expected):
    error = refused(ind_registry, ind_doc([answer]))
    assert expected in error.message("en")
    assert error.message("lv")  # a Latvian message exists for every refusal


def test_non_finite_values_in_json_are_refused(ind_registry):
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        raw = dump(ind_doc([{"question": "gamma.wait", "value": 0}])).replace(
            b'"value": 0', b'"value": ' + literal
        )
        with pytest.raises(AnswersError) as info:
            parse_answers(raw, ind_registry)
        assert "answers[0].value" in info.value.message("en")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"as_of": "2026-02-30"}, "as_of: a date must be YYYY-MM-DD"),
        ({"as_of": "20260201"}, "as_of: a date must be YYYY-MM-DD"),
        ({"as_of": 2026}, "as_of: must be a string"),
        (
            {"evidence_max_age_months": 0},
            "evidence_max_age_months: must be an integer from 1 to 120",
        ),
        ({"evidence_max_age_months": 121}, "evidence_max_age_months: must be an integer from 1"),
        ({"evidence_max_age_months": 12.0}, "evidence_max_age_months: must be an integer"),
        ({"evidence_max_age_months": True}, "evidence_max_age_months: must be an integer"),
    ],
)
def test_bad_freshness_keys_are_refused(ind_registry, extra, expected):
    assert expected in refused(ind_registry, ind_doc([], **extra)).message("en")


def test_latvian_message_for_level_on_indicator(ind_registry):
    error = refused(ind_registry, ind_doc([{"question": "gamma.wait", "level": 1}]))
    assert "ir rādītāja jautājums" in error.message("lv")


# --- evidence freshness ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of, months, cutoff",
    [
        ("2026-12-02", 36, "2023-12-02"),
        ("2026-03-31", 1, "2026-02-28"),
        ("2028-03-31", 1, "2028-02-29"),
        ("2026-05-31", 3, "2026-02-28"),
        ("2026-01-15", 1, "2025-12-15"),
        ("2026-01-15", 120, "2016-01-15"),
    ],
)
def test_stale_before_moves_back_calendar_months_clamping_the_day(as_of, months, cutoff):
    assert stale_before(dt.date.fromisoformat(as_of), months) == dt.date.fromisoformat(cutoff)
    assert months_back(dt.date.fromisoformat(as_of), months) == dt.date.fromisoformat(cutoff)


def test_stale_evidence_no_longer_backs_level_three(mini_bank):
    old = Evidence("Old survey", date="2023-12-01")
    cutoff = stale_before(dt.date(2026, 12, 2), 36)  # 2023-12-02
    assert is_unsupported(Answer("x", level=3, evidence=(old,)), cutoff)
    assert not is_unsupported(Answer("x", level=3, evidence=(old,)), None)  # no as_of
    on_day = Evidence("Survey", date="2023-12-02")
    assert not is_unsupported(Answer("x", level=3, evidence=(on_day,)), cutoff)
    undated = Evidence("Undated")
    assert not is_unsupported(Answer("x", level=4, evidence=(old, undated)), cutoff)
    answers = {"alpha.one": Answer("alpha.one", level=3, evidence=(old,))}
    fresh = score(mini_bank, answers).to_dict("en")
    stale = score(mini_bank, answers, as_of=dt.date(2026, 12, 2)).to_dict("en")
    assert fresh["dimensions"][0]["evidence_backed"] == 3.0
    assert stale["dimensions"][0]["evidence_backed"] == 2.0
    assert stale["dimensions"][0]["unsupported"] == 1
    assert [r["kind"] for r in stale["recommendations"]] == ["next_step", "evidence"]
    longer = score(mini_bank, answers, as_of=dt.date(2026, 12, 2), evidence_max_age_months=48)
    assert longer.to_dict("en")["dimensions"][0]["evidence_backed"] == 3.0


def test_indicator_answers_are_levels_before_consolidation(ind_bank):
    from assessment.domain.answers import Respondent

    respondents = [
        Respondent(
            f"r{i}",
            (
                Answer(
                    "gamma.wait",
                    level=level_of(ind_bank.question("gamma.wait").details, v),
                    value=v,
                ),
            ),
        )
        for i, v in enumerate((40, 10, 1))
    ]  # levels 0, 2, 4
    merged = consolidate_answers(ind_bank, respondents, {})
    answer = merged.answers["gamma.wait"]
    assert answer.level == 2 and answer.value is None  # a consolidated answer is a level answer
    assert merged.spreads["gamma.wait"] == 4


# --- the oracle -----------------------------------------------------------------------------


def compare(bank, doc):
    parsed, _ = parse_answers(dump(doc), BankRegistry([bank]))
    result = score_answers_file(parsed, bank)
    expected = oracle(yaml.safe_load(Path(bank.path).read_text("utf-8")), doc)
    for dim in result.dimensions:
        m, e, gap, unsupported = expected["dimensions"][dim.id]
        assert (dim.maturity, dim.evidence_backed, dim.gap, dim.unsupported) == (
            m,
            e,
            gap,
            unsupported,
        ), dim.id
    assert (result.maturity, result.evidence_backed) == expected["overall"]
    got = [(r.kind, r.question.id, r.level, r.priority) for r in result.recommendations]
    assert got == expected["recommendations"]


DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2027, 12, 31))
EVIDENCE = st.lists(
    st.builds(
        lambda title, date: {"title": title, **({"date": date.isoformat()} if date else {})},
        st.sampled_from(["A", "B", "C"]),
        st.none() | DATES,
    ),
    max_size=3,
)


@st.composite
def documents(draw, bank_yaml):
    answers = []
    for dim in bank_yaml["dimensions"]:
        for q in dim["questions"]:
            kind = draw(st.sampled_from(["none", "na", "dk", "given"]))
            if kind == "none":
                continue
            item = {"question": q["id"]}
            if kind == "na":
                item["not_applicable"] = True
            elif kind == "dk":
                item["dont_know"] = True
            elif q.get("type") == "indicator":
                item["value"] = draw(
                    st.one_of(
                        st.sampled_from(list(q["thresholds"])),
                        st.integers(-10, 120),
                        st.floats(-10, 120, allow_nan=False),
                    )
                )
            else:
                item["level"] = draw(st.integers(0, 4))
            item["evidence"] = draw(EVIDENCE)
            answers.append(item)
    extra = {}
    if draw(st.booleans()):
        extra["as_of"] = draw(DATES).isoformat()
    if draw(st.booleans()):
        extra["evidence_max_age_months"] = draw(st.integers(1, 120))
    targets = draw(
        st.dictionaries(
            st.sampled_from([d["id"] for d in bank_yaml["dimensions"]]), st.integers(1, 4)
        )
    )
    return ind_doc(answers, targets=targets, **extra)


IND_YAML = yaml.safe_load(IND_PATH.read_text("utf-8"))
IND_BANK = load_bank(IND_PATH)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(IND_YAML))
def test_scoring_matches_the_oracle(doc):
    compare(IND_BANK, doc)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["gamma.answered", "gamma.wait"]), st.floats(-1e6, 1e6, allow_nan=False))
def test_indicator_level_matches_the_oracle(qid, value):
    q = next(q for q in IND_YAML["dimensions"][2]["questions"] if q["id"] == qid)
    assert level_of(IND_BANK.question(qid).details, value) == indicator_level(q, value)


@settings(max_examples=300, deadline=None)
@given(DATES, st.integers(1, 120))
def test_stale_cutoff_matches_the_oracle(as_of, months):
    assert stale_before(as_of, months) == months_back(as_of, months)


# --- the registry's contract ----------------------------------------------------------------


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("name", list(qtypes.TYPES))
def test_every_type_module_has_the_whole_contract(name):
    """What docs/architecture.md ("Adding a question type") says a type module holds."""
    module = qtypes.get(name)
    assert module.NAME == name
    assert module.PARTIAL == f"assessments/_qtype_{name}.html"
    assert (TEMPLATES / module.PARTIAL).is_file()
    assert isinstance(module.SCHEMA, dict) and isinstance(module.CHOICES, tuple)
    for function in (
        "parse_bank",
        "parse_answer",
        "level",
        "parse_form",
        "build_markup",
        "answer_markup",
    ):
        assert callable(getattr(module, function)), function
    partial = (TEMPLATES / module.PARTIAL).read_text("utf-8")
    assert "style=" not in partial and "<script" not in partial


def test_type_level_is_what_scoring_uses(ind_bank):
    wait = ind_bank.question("gamma.wait")
    assert wait.qtype.level(wait, Answer("gamma.wait", level=0, value=3)) == 3
    one = ind_bank.question("alpha.one")
    assert one.qtype.level(one, Answer("alpha.one", level=2)) == 2


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", "v", "na", "dk", "3", "x"]),
    st.one_of(st.text(max_size=50), st.floats().map(str), st.integers().map(str)),
    st.one_of(
        st.just(""),
        st.sampled_from(["2026", "2026-Q3", "2026-09", "2026-13"]),
        st.text(max_size=10),
    ),
)
def test_indicator_form_parsing_never_fails_and_levels_are_right(choice, value, period):
    question = IND_BANK.question("gamma.answered")
    form = {"q-x-answer": choice, "q-x-value": value, "q-x-period": period}
    got_choice, got_value, got_period, errors = question.qtype.parse_form(
        question, form, names("x")
    )
    if errors:
        return
    if got_value:
        number = float(got_value)
        assert got_choice == str(indicator_level(IND_YAML["dimensions"][2]["questions"][0], number))
        assert not got_period or re.fullmatch(r"[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?", got_period)
    else:
        assert got_choice in ("", "na", "dk") and not got_period
