"""`assessment bank diff` and the bank commands around versions and mappings."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assessment.cli import main

DATA = Path(__file__).parent / "data"
MINI_ARGS = ["--bank", str(DATA / "mini-bank.yaml"), "--bank", str(DATA / "mini-bank-0.2.0.yaml")]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_diff_with_a_mapping_prints_added_removed_mapped_changed_and_scale():
    result = run(
        "bank",
        "diff",
        "mini",
        "0.1.0",
        "0.2.0",
        *MINI_ARGS,
        "--mapping",
        str(DATA / "mini_0.1.0_0.2.0.yaml"),
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "mini 0.1.0 → 0.2.0: 5 → 4 questions" in out
    assert "Added (1)\n  + alpha.three  Question alpha.three?" in out
    assert "Removed (1)\n  - beta.three" in out
    assert "beta.one → beta.first" in out and "beta.two → beta.first" in out
    assert "~ alpha.one: text" in out
    assert "level 4: Optimised / Optimised (lv ā) → Continuously improved" in out
    assert "level 4: help added" in out
    assert "Unchanged: 1" in out


def test_diff_without_a_mapping_matches_ids():
    result = run("bank", "diff", "mini", "0.1.0", "0.2.0", *MINI_ARGS, "--lang", "lv")
    assert result.exit_code == 0, result.output
    assert "no mapping file" in result.output
    assert "- beta.one  Question beta.one? (lv ā)" in result.output
    assert "+ beta.first" in result.output


def test_diff_refuses_unknown_versions_and_bad_usage():
    missing = run("bank", "diff", "1.0.0", "9.9.9")
    assert missing.exit_code == 1 and "version 9.9.9 is not available" in missing.stderr
    usage = run("bank", "diff", "1.0.0")
    assert usage.exit_code == 2 and "give two versions" in usage.output


def test_diff_of_the_bundled_bank_defaults_the_bank_id():
    result = run("bank", "diff", "1.0.0", "1.0.0")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("lv-customer-service-2013 1.0.0 → 1.0.0: 51 → 51")
    assert "Unchanged: 51" in result.output


def test_validate_checks_the_bundled_mappings():
    from assessment.domain.mapping import bundled_mapping_paths

    result = run("bank", "validate")
    assert result.exit_code == 0, result.output
    assert result.output.count("(mapping ") == len(bundled_mapping_paths())


def test_diff_of_the_bundled_1_0_0_and_2_0_0():
    from assessment.domain.bank import bundled_registry
    from assessment.domain.bankdiff import diff_banks
    from assessment.domain.mapping import bundled_mappings

    result = run("bank", "diff", "1.0.0", "2.0.0")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("lv-customer-service-2013 1.0.0 → 2.0.0: 51 → ")
    assert "no mapping file" not in out
    assert (
        "level 4: Optimised / Pilnveidots → Continuously improved / "
        "Tiek pastāvīgi pilnveidots" in out
    )
    assert (
        "procedures.complaints → procedures.complaints-handling, "
        "procedures.complaints-causes" in out
    )
    assert "+ technology.one-stop" in out
    old = bundled_registry().get("lv-customer-service-2013", "1.0.0")
    new = bundled_registry().get("lv-customer-service-2013", "2.0.0")
    diff = diff_banks(old, new, bundled_mappings().get(old.id, "1.0.0", "2.0.0"))
    assert len(diff.removed) + len(diff.mapped) + len(diff.changed) + diff.unchanged == len(old)
