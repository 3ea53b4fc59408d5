"""Bank 2.x rules: scale help per level, rationales for weights and targets, version order."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assessment.domain.bank import BankRegistry, latest_versions, parse_bank, version_key
from assessment.domain.errors import BankError

DATA = Path(__file__).parent.parent / "data"
WHY = {"lv": "Pamatojums.", "en": "The reason."}


@pytest.fixture()
def raw():
    return yaml.safe_load((DATA / "mini-bank.yaml").read_text("utf-8"))


def as_v2(raw):
    """The mini bank as version 2.0.0 with the rationales its weight 2 and target 4 need."""
    raw["version"] = "2.0.0"
    raw["dimensions"][0]["questions"][1]["rationale"] = dict(WHY)  # alpha.two, weight 2
    raw["dimensions"][1]["rationale"] = dict(WHY)  # beta, target 4
    return raw


def test_scale_help_is_optional_and_kept_per_level(raw):
    raw["scale"][2]["help"] = {"lv": "Uzrakstīts un apstiprināts.", "en": "Written and owned."}
    bank = parse_bank(raw, "bank.yaml")
    assert bank.scale_help[2].en == "Written and owned."
    assert bank.scale_help[0] is None and len(bank.scale_help) == 5
    assert bank.scale[2].en == "Defined"


def test_scale_help_needs_both_languages(raw):
    raw["scale"][1]["help"] = {"en": "Ad hoc."}
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert info.value.path == "scale[1].help"
    assert "missing required key 'lv'" in info.value.message()


def test_unknown_key_in_a_scale_level_is_refused(raw):
    raw["scale"][1]["hint"] = "x"
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert "unknown key 'hint'" in info.value.message()


def test_rationales_are_read(raw):
    bank = parse_bank(as_v2(raw), "bank.yaml")
    assert bank.question("alpha.two").rationale.lv == "Pamatojums."
    assert bank.dimension("beta").rationale.en == "The reason."
    assert bank.question("alpha.one").rationale is None


def test_version_1_needs_no_rationale(raw):
    assert parse_bank(raw, "bank.yaml").question("alpha.two").weight == 2


def test_version_2_refuses_a_weight_without_rationale(raw):
    raw = as_v2(raw)
    del raw["dimensions"][0]["questions"][1]["rationale"]
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert info.value.path == "dimensions[0].questions[1]"
    assert "'alpha.two' has weight 2" in info.value.message()
    assert "pamatojums" in info.value.message("lv")


def test_version_2_refuses_a_target_without_rationale(raw):
    raw = as_v2(raw)
    del raw["dimensions"][1]["rationale"]
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert info.value.path == "dimensions[1]"
    assert "target 4" in info.value.message()


def test_version_2_refuses_a_dimension_weight_without_rationale(raw):
    raw = as_v2(raw)
    raw["dimensions"][0]["weight"] = 1.5
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert info.value.path == "dimensions[0]"
    raw["dimensions"][0]["rationale"] = dict(WHY)
    assert parse_bank(raw, "bank.yaml").dimension("alpha").weight == 1.5


def test_rationale_needs_both_languages(raw):
    raw["dimensions"][0]["questions"][1]["rationale"] = {"lv": "Tikai latviski."}
    with pytest.raises(BankError) as info:
        parse_bank(raw, "bank.yaml")
    assert info.value.path == "dimensions[0].questions[1].rationale"


def test_versions_order_as_numbers_not_as_text(raw):
    assert (
        version_key("10.0.0") > version_key("2.0.0") > version_key("1.10.0") > version_key("1.9.3")
    )
    banks = []
    for version in ("1.9.0", "10.0.0", "2.0.0", "1.10.0"):
        data = yaml.safe_load(yaml.safe_dump(raw))
        data["version"] = version
        if version_key(version)[0] >= 2:
            data = as_v2(data)
            data["version"] = version
        banks.append(parse_bank(data, "bank.yaml"))
    registry = BankRegistry(banks)
    assert registry.latest("mini").version == "10.0.0"
    assert latest_versions(banks)["mini"].version == "10.0.0"
    assert [b.version for b in registry] == ["1.9.0", "1.10.0", "2.0.0", "10.0.0"]
    assert registry.latest("other") is None
