"""Mappings between bank versions: checked against both versions; used to carry answers over."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assessment.domain.answers import Answer
from assessment.domain.bank import BankRegistry, bundled_registry, load_bank
from assessment.domain.errors import BankError
from assessment.domain.mapping import (
    MappingRegistry,
    bundled_mapping_paths,
    bundled_mappings,
    check_mapping,
    load_mapping,
    parse_mapping,
    question_links,
)
from assessment.domain.scoring import score
from assessment.services.portfolio import comparison

DATA = Path(__file__).parent.parent / "data"
MAPPING = DATA / "mini_0.1.0_0.2.0.yaml"


@pytest.fixture(scope="module")
def banks():
    return BankRegistry(
        [load_bank(DATA / "mini-bank.yaml"), load_bank(DATA / "mini-bank-0.2.0.yaml")]
    )


@pytest.fixture()
def raw():
    return yaml.safe_load(MAPPING.read_text("utf-8"))


def check(raw, banks):
    mapping = parse_mapping(raw, "m.yaml")
    check_mapping(mapping, banks.get("mini", "0.1.0"), banks.get("mini", "0.2.0"))
    return mapping


def test_the_test_mapping_loads(banks):
    mapping = load_mapping(MAPPING, banks)
    assert mapping.targets("beta.one") == ("beta.first",)
    assert mapping.removed() == ["beta.three"]
    assert mapping.sources()["beta.first"] == ("beta.one", "beta.two")


def test_every_old_question_must_be_listed(raw, banks):
    del raw["questions"]["beta.two"]
    with pytest.raises(BankError) as info:
        check(raw, banks)
    assert "'beta.two' of version 0.1.0 is not mapped" in info.value.message()


def test_a_target_must_exist_in_the_new_version(raw, banks):
    raw["questions"]["alpha.two"] = ["alpha.two", "alpha.nine"]
    with pytest.raises(BankError) as info:
        check(raw, banks)
    assert info.value.path == "questions.alpha.two"
    assert "'alpha.nine' is not a question of version 0.2.0" in info.value.message()


def test_an_unknown_old_question_is_refused(raw, banks):
    raw["questions"]["gamma.one"] = ["alpha.one"]
    with pytest.raises(BankError) as info:
        check(raw, banks)
    assert "'gamma.one' is not a question of version 0.1.0" in info.value.message()


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.pop("to"), "missing required key 'to'"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d.update(to=2.0), "must be a string"),
        (
            lambda d: d["questions"].update({"alpha.one": "gone"}),
            "list of question ids or 'removed'",
        ),
        (lambda d: d["questions"].update({"alpha.one": []}), "list of question ids or 'removed'"),
        (lambda d: d["questions"].update({"alpha.one": ["alpha.one", "alpha.one"]}), "twice"),
        (lambda d: d.update(questions=[]), "non-empty mapping"),
    ],
)
def test_malformed_mappings_are_refused(raw, change, expected):
    change(raw)
    with pytest.raises(BankError) as info:
        parse_mapping(raw, "m.yaml")
    assert expected in info.value.message()


def test_a_mapping_for_missing_versions_is_refused(tmp_path, raw, banks):
    raw["to"] = "0.3.0"
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(raw), "utf-8")
    with pytest.raises(BankError) as info:
        load_mapping(path, banks)
    assert "version 0.3.0 is not installed" in info.value.message()


def test_links_same_version_mapped_and_unmapped(banks):
    old, new = banks.get("mini", "0.1.0"), banks.get("mini", "0.2.0")
    mappings = MappingRegistry([load_mapping(MAPPING, banks)])
    assert question_links(old, old, mappings)["beta.three"] == ("beta.three",)
    links = question_links(old, new, mappings)
    assert links == {
        "alpha.one": ("alpha.one",),
        "alpha.two": ("alpha.two",),
        "alpha.three": (),
        "beta.first": ("beta.one", "beta.two"),
    }
    # without a mapping only the shared ids are linked
    assert question_links(old, new, MappingRegistry())["beta.first"] == ()


def test_comparison_across_versions_uses_the_mapping(banks):
    old, new = banks.get("mini", "0.1.0"), banks.get("mini", "0.2.0")
    mappings = MappingRegistry([load_mapping(MAPPING, banks)])
    before = score(
        old,
        {
            "alpha.one": Answer("alpha.one", level=1),
            "beta.one": Answer("beta.one", level=1),
            "beta.two": Answer("beta.two", level=3),
            "beta.three": Answer("beta.three", level=2),
        },
    )
    after = score(
        new,
        {
            "alpha.one": Answer("alpha.one", level=2),
            "alpha.three": Answer("alpha.three", level=2),
            "beta.first": Answer("beta.first", level=2),
        },
    )
    result = comparison(before, after, new, old, mappings)
    rows = {r["question"].id: r for r in result["questions"]}
    assert rows["alpha.one"]["before"] == "1" and rows["alpha.one"]["change"] == 1
    # merged: the lower median of 1 and 3 is 1
    assert rows["beta.first"]["before"] == "1" and rows["beta.first"]["change"] == 1
    assert [q.id for q in rows["beta.first"]["from"]] == ["beta.one", "beta.two"]
    assert "alpha.three" not in rows
    assert [q.id for q in result["new_questions"]] == ["alpha.three"]
    assert [q.id for q in result["removed_questions"]] == ["beta.three"]
    assert result["versions_differ"] is True
    dims = {r["dimension"].id: r for r in result["dimensions"]}
    assert dims["alpha"]["before"] is not None and dims["alpha"]["after"] == 2


def test_bundled_mappings_load_and_cover_consecutive_versions():
    assert len(bundled_mappings()) == len(bundled_mapping_paths())
    by_id: dict[str, list] = {}
    for bank in bundled_registry():
        by_id.setdefault(bank.id, []).append(bank)
    for bank_id, versions in by_id.items():
        for older, newer in zip(versions, versions[1:], strict=False):
            assert bundled_mappings().get(bank_id, older.version, newer.version) is not None, (
                f"no mapping {bank_id} {older.version} → {newer.version}"
            )
