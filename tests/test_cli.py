"""The command line (README.md): exit 0 on success, 1 with a message on refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import main
from tests.conftest import answers_doc, dump

ROOT = Path(__file__).parent.parent
MINI = str(ROOT / "tests" / "data" / "mini-bank.yaml")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_bank_validate_bundled_and_refuses_bad(tmp_path):
    ok = run("bank", "validate")
    assert ok.exit_code == 0 and "51 questions" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(MINI).read_text("utf-8").replace("source: 2.3.9", "source: 7.7.7"), "utf-8")
    result = run("bank", "validate", str(bad))
    assert result.exit_code == 1
    assert "unknown guideline clause '7.7.7'" in result.stderr
    assert "Traceback" not in result.output


def test_score_json_matches_engine(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(
        dump(
            answers_doc(
                [{"question": "alpha.one", "level": 3}, {"question": "beta.two", "dont_know": True}]
            )
        )
    )
    result = run("score", str(path), "--bank", MINI)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["dimensions"][0]["evidence_backed"] == 2.0
    assert out["unanswered"] == ["alpha.two", "beta.one", "beta.three"]


def test_score_text_shows_table(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(dump(answers_doc([{"question": "alpha.one", "level": 1}])))
    result = run("score", str(path), "--bank", MINI, "--format", "text")
    assert result.exit_code == 0
    assert "Maturity" in result.output and "alpha.one" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"{", "not valid JSON"),
        (b"\xff", "not UTF-8"),
        (dump(answers_doc([{"question": "alpha.one", "level": 9}])), "answers[0].level"),
    ],
)
def test_score_refuses_bad_files_with_exit_1(tmp_path, content, message):
    path = tmp_path / "a.json"
    path.write_bytes(content)
    result = run("score", str(path), "--bank", MINI)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_score_missing_file_and_usage_errors():
    assert run("score", "/nonexistent.json").exit_code == 1
    assert run("score").exit_code == 2
    assert run("score", "x", "--format", "yaml").exit_code == 2


@pytest.mark.parametrize("name", ["small-institution", "three-respondents"])
def test_examples_print_what_the_readme_shows(name):
    example = ROOT / "examples" / f"{name}.json"
    expected = (ROOT / "examples" / f"{name}.score.json").read_text("utf-8")
    result = run("score", str(example))
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(expected)
    text = run("score", str(example), "--format", "text")
    assert text.output == (ROOT / "examples" / f"{name}.score.txt").read_text("utf-8")


def test_init_is_idempotent_and_user_create(runner):
    assert runner.invoke(args=["init"]).exit_code == 0
    assert runner.invoke(args=["init"]).exit_code == 0
    result = runner.invoke(
        args=["user", "create", "jauns@example.lv", "--role", "admin"],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    mismatch = runner.invoke(
        args=["user", "create", "x@example.lv", "--role", "admin"],
        input="a long password\nanother one\n",
    )
    assert mismatch.exit_code == 1
    member = runner.invoke(
        args=["user", "create", "m@example.lv", "--role", "member", "--organisation", "Nav tādas"],
        input="a long password\na long password\n",
    )
    assert member.exit_code == 1 and "no organisation" in member.output


def test_import_then_export_round_trip(runner, tmp_path):
    example = ROOT / "examples" / "small-institution.json"
    result = runner.invoke(args=["import", str(example), "--organisation", "Jauna iestāde"])
    assert result.exit_code == 0, result.output
    new_id = int(result.output.strip())
    out = tmp_path / "out.json"
    assert runner.invoke(args=["export", str(new_id), "-o", str(out)]).exit_code == 0
    assert (
        json.loads(out.read_text("utf-8"))["answers"]
        == json.loads(example.read_text("utf-8"))["answers"]
    )
    bad = runner.invoke(args=["import", str(tmp_path / "none.json"), "--organisation", "X"])
    assert bad.exit_code == 1


def test_import_finds_an_organisation_with_non_ascii_capitals(runner):
    """SQLite's lower() folds only ASCII: "ĀB" must still be found, not created twice."""
    example = ROOT / "examples" / "small-institution.json"
    first = runner.invoke(args=["import", str(example), "--organisation", "ĀRSTU BIROJS"])
    again = runner.invoke(args=["import", str(example), "--organisation", "ĀRSTU BIROJS"])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    from sqlalchemy import func, select

    from assessment.extensions import db
    from assessment.models import Organisation

    with runner.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


IND = str(ROOT / "tests" / "data" / "indicator-bank.yaml")


def test_bank_validate_indicator_bank_and_refuses_bad_thresholds(tmp_path):
    ok = run("bank", "validate", IND)
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(IND).read_text("utf-8").replace("- 70\n", "- 40\n", 1), "utf-8")
    result = run("bank", "validate", str(bad))
    assert result.exit_code == 1
    assert "dimensions[2].questions[0].thresholds: must be strictly increasing" in result.stderr


def test_score_honours_indicator_values_and_evidence_freshness(tmp_path):
    answers = [
        {
            "question": "alpha.one",
            "level": 3,
            "evidence": [{"title": "Survey", "date": "2023-06-30"}],
        },
        {"question": "gamma.answered", "value": 90, "period": "2026-Q3"},
        {"question": "gamma.wait", "value": 16},
    ]
    doc = answers_doc(answers, bank=("mini-ind", "0.1.0"))
    path = tmp_path / "a.json"

    def score(**extra):
        path.write_bytes(dump({**doc, **extra}))
        result = run("score", str(path), "--bank", IND)
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        return {d["id"]: d for d in out["dimensions"]}

    fresh = score()
    assert fresh["alpha"]["unsupported"] == 0 and fresh["alpha"]["evidence_backed"] == 3.0
    # (1·3 + 2·1) / 3: 90 reaches three thresholds of 50/70/85/95; 16 minutes one of 30/15/5/2.5
    assert fresh["gamma"]["maturity"] == 1.67
    assert score(as_of="2026-06-30")["alpha"]["unsupported"] == 0  # cutoff 2023-06-30: on it
    stale = score(as_of="2026-07-01")
    assert stale["alpha"]["unsupported"] == 1 and stale["alpha"]["evidence_backed"] == 2.0
    assert score(as_of="2026-07-01", evidence_max_age_months=60)["alpha"]["unsupported"] == 0
    path.write_bytes(dump({**doc, "as_of": "2026-7-1"}))
    refused = run("score", str(path), "--bank", IND)
    assert refused.exit_code == 1 and "as_of: a date must be YYYY-MM-DD" in refused.stderr


def test_score_ignores_confidence_and_flags(tmp_path):
    """Issue 16: confidence and review flags travel in the answers file but change no score."""
    plain = tmp_path / "plain.json"
    marked = tmp_path / "marked.json"
    plain.write_bytes(
        dump(
            answers_doc(
                [{"question": "alpha.one", "level": 3}, {"question": "beta.two", "level": 1}]
            )
        )
    )
    marked.write_bytes(
        dump(
            answers_doc(
                [
                    {
                        "question": "alpha.one",
                        "level": 3,
                        "confidence": "low",
                        "flag": {"note": "?"},
                    },
                    {"question": "beta.two", "level": 1, "confidence": "high"},
                ]
            )
        )
    )
    a, b = run("score", str(plain), "--bank", MINI), run("score", str(marked), "--bank", MINI)
    assert a.exit_code == b.exit_code == 0, b.output
    assert json.loads(a.output) == json.loads(b.output)
    bad = tmp_path / "bad.json"
    bad.write_bytes(dump(answers_doc([{"question": "alpha.one", "level": 3, "flag": "x"}])))
    refused = run("score", str(bad), "--bank", MINI)
    assert refused.exit_code == 1 and "flag" in refused.stderr
