"""Bank loading and validation: good banks load, bad ones are refused with file, path, reason."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from assessment.domain.bank import bundled_bank_paths, load_bank, parse_bank, parse_bank_text
from assessment.domain.errors import BankError

DATA = Path(__file__).parent.parent / "data"
EIGHT = [
    "values",
    "leadership",
    "segmentation",
    "targets",
    "training",
    "procedures",
    "technology",
    "evidence",
]


@pytest.fixture()
def raw():
    return yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))


def refusal(data) -> BankError:
    with pytest.raises(BankError) as info:
        parse_bank(data, "bank.yaml")
    return info.value


def test_mini_bank_loads_with_order_weights_and_targets(mini_bank):
    assert [d.id for d in mini_bank.dimensions] == ["alpha", "beta"]
    assert [q.id for q in mini_bank.questions] == [
        "alpha.one",
        "alpha.two",
        "beta.one",
        "beta.two",
        "beta.three",
    ]
    assert mini_bank.question("alpha.two").weight == 2
    assert mini_bank.dimension("beta").target == 4
    assert mini_bank.question("alpha.one").levels[4].en == "alpha.one level 4"


def test_missing_lv_text_names_the_path(raw):
    del raw["dimensions"][1]["questions"][2]["text"]["lv"]
    err = refusal(raw)
    assert err.path == "dimensions[1].questions[2].text"
    assert "missing required key 'lv'" in err.message()
    assert err.message().startswith("bank.yaml: dimensions[1].questions[2].text:")


def test_four_levels_instead_of_five_is_refused(raw):
    raw["dimensions"][0]["questions"][1]["levels"].pop()
    err = refusal(raw)
    assert err.path == "dimensions[0].questions[1].levels"
    assert "exactly 5 items, found 4" in err.message()


def test_duplicate_question_id_is_refused(raw):
    raw["dimensions"][0]["questions"][1]["id"] = "alpha.one"
    err = refusal(raw)
    assert err.path == "dimensions[0].questions[1].id"
    assert "duplicate question id 'alpha.one'" in err.message()


def test_unknown_source_clause_is_refused(raw):
    raw["dimensions"][1]["questions"][0]["source"] = "9.9.9"
    err = refusal(raw)
    assert err.path == "dimensions[1].questions[0].source"
    assert "unknown guideline clause '9.9.9'" in err.message()


@pytest.mark.parametrize("weight", [0, -1])
def test_weight_not_above_zero_is_refused(raw, weight):
    raw["dimensions"][0]["questions"][0]["weight"] = weight
    err = refusal(raw)
    assert err.path == "dimensions[0].questions[0].weight"
    assert "greater than 0" in err.message()


@pytest.mark.parametrize("target", [0, 5])
def test_target_outside_one_to_four_is_refused(raw, target):
    raw["dimensions"][1]["target"] = target
    err = refusal(raw)
    assert err.path == "dimensions[1].target"
    assert "from 1 to 4" in err.message()


def test_question_id_must_carry_its_dimension(raw):
    raw["dimensions"][0]["questions"][0]["id"] = "beta.stray"
    assert "must start with its dimension id 'alpha.'" in refusal(raw).message()


def test_recommendations_need_four_levels(raw):
    raw["dimensions"][0]["questions"][0]["recommendations"] = raw["dimensions"][0]["questions"][0][
        "recommendations"
    ][:3]
    assert refusal(raw).path == "dimensions[0].questions[0].recommendations"


def test_yaml_syntax_error_names_line():
    with pytest.raises(BankError) as info:
        parse_bank_text("id: [unclosed\n", "broken.yaml")
    assert "broken.yaml" in info.value.message() and "line" in info.value.message()


def test_not_a_mapping_is_refused():
    with pytest.raises(BankError) as info:
        parse_bank_text("- just\n- a list\n", "list.yaml")
    assert "must be of type object" in info.value.message()


def test_messages_exist_in_latvian(raw):
    raw["dimensions"][0]["questions"][1]["id"] = "alpha.one"
    assert "atkārtojas" in refusal(copy.deepcopy(raw)).message("lv")


# --- the bundled bank ------------------------------------------------------------------------


BUNDLED = [pytest.param(p, id=p.name) for p in bundled_bank_paths()]


@pytest.fixture(scope="module", params=BUNDLED)
def bundled(request):
    """Each bundled bank in turn (1.0.0, 2.0.0, …)."""
    return load_bank(request.param)


def test_bundled_banks_identity_and_dimensions(bundled):
    assert bundled.id == "lv-customer-service-2013"
    assert [d.id for d in bundled.dimensions] == EIGHT


def test_bundled_versions_sit_side_by_side():
    names = {p.name for p in bundled_bank_paths()}
    assert "lv-customer-service-2013.yaml" in names  # 1.0.0 stays where it was
    assert (
        load_bank(
            next(p for p in bundled_bank_paths() if p.name == "lv-customer-service-2013.yaml")
        ).version
        == "1.0.0"
    )
    for path in bundled_bank_paths():
        bank = load_bank(path)
        if bank.version != "1.0.0":
            assert path.name == f"{bank.id}-{bank.version}.yaml"


def test_bundled_bank_has_at_least_five_questions_per_dimension(bundled):
    for dim in bundled.dimensions:
        assert len(dim.questions) >= 5, dim.id
    assert len(bundled) >= 45


def test_bundled_bank_traces_every_clause_of_section_2_3(bundled):
    sources = {q.source for q in bundled.questions}
    for i in range(1, 10):
        assert f"2.3.{i}" in sources


def test_bundled_bank_latvian_has_diacritics_and_differs_from_english(bundled):
    for q in bundled.questions:
        assert q.text.lv != q.text.en, q.id
        assert len({t.en for t in q.levels}) == 5, q.id
        assert len({t.lv for t in q.levels}) == 5, q.id
    joined = " ".join(q.text.lv + " ".join(t.lv for t in q.levels) for q in bundled.questions)
    for letter in "āēīūčšžņļķģ":
        assert letter in joined


#: Question ids other tools and documents use, per version (PRODUCT.md §3 examples for 1.0.0;
#: the demo, the docs and the issue's new practices for 2.0.0).
IDS_IN_USE = {
    "1.0.0": (
        "values.mission",
        "technology.queue",
        "targets.per-segment",
        "segmentation.potential",
    ),
    "2.0.0": (
        "values.mission",
        "technology.queue",
        "targets.per-segment",
        "segmentation.potential",
        "procedures.complaints-handling",
        "procedures.appeals",
        "technology.one-stop",
        "technology.service-monitoring",
        "technology.digital-accessibility",
        "technology.case-status",
        "segmentation.journeys",
        "evidence.revenue",
        "evidence.benchmark",
    ),
}


def test_bundled_bank_has_ids_other_tools_use(bundled):
    for qid in IDS_IN_USE[bundled.version]:
        assert bundled.question(qid) is not None, qid
