"""The command line's own messages and help follow the environment's language (LANGUAGE,
LC_ALL, LC_MESSAGES, LANG, as command-line tools read them); `--lang` chooses only the language
of what a command produces (docs/i18n.md, "The command line")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.domain.i18n import environment_language

DATA = Path(__file__).parent / "data"
MINI_ARGS = ["--bank", str(DATA / "mini-bank.yaml"), "--bank", str(DATA / "mini-bank-0.2.0.yaml")]


def run(lang: str, *args: str):
    env = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": lang}
    return CliRunner(env=env).invoke(main, list(args))


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "lv_LV.UTF-8"}, "lv"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # no French catalogue
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "lv_LV.UTF-8"}, "lv"),
        ({"LANG": "lv_LV.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LANGUAGE": "fr:lv:en"}, "lv"),
        ({"LANG": "C", "LANGUAGE": "lv"}, "en"),  # GNU gettext ignores LANGUAGE in the C locale
    ],
)
def test_the_environment_chooses_the_language(environ, expected):
    assert environment_language(environ) == expected


def test_the_same_command_speaks_latvian_under_a_latvian_locale_and_english_under_c():
    lv = run("lv_LV.UTF-8", "bank", "validate", str(DATA / "mini-bank.yaml"))
    en = run("C", "bank", "validate", str(DATA / "mini-bank.yaml"))
    assert lv.exit_code == en.exit_code == 0, (lv.output, en.output)
    assert "mini-bank.yaml: kārtībā (mini 0.1.0, dimensijas: 2, jautājumi: 5)" in lv.output
    assert "mini-bank.yaml: ok (mini 0.1.0, 2 dimensions, 5 questions)" in en.output


def test_refusals_and_usage_errors_of_our_own_follow_the_environment(tmp_path):
    missing = str(tmp_path / "missing.yaml")
    lv = run("lv_LV.UTF-8", "score", missing)
    assert lv.exit_code == 1 and "kļūda: " in lv.stderr and "failu nevar nolasīt" in lv.stderr
    en = run("C", "score", missing)
    assert en.exit_code == 1 and "error: " in en.stderr and "cannot read the file" in en.stderr
    usage = run("lv_LV.UTF-8", "bank", "diff", "1.0.0")
    assert usage.exit_code == 2 and "norādiet divas versijas" in usage.output
    bad = run("lv_LV.UTF-8", "report", "x.yaml", "-o", "out.txt")
    assert bad.exit_code == 2 and "faila nosaukumam jābeidzas ar .pdf vai .docx" in bad.output


def test_bank_diff_frame_follows_the_environment_and_the_texts_follow_lang():
    args = ("bank", "diff", "mini", "0.1.0", "0.2.0", *MINI_ARGS)
    lv_frame = run("lv_LV.UTF-8", *args, "--lang", "en")
    assert lv_frame.exit_code == 0, lv_frame.output
    assert "mini 0.1.0 → 0.2.0: jautājumi 5 → 4" in lv_frame.output
    assert (
        "Izņemti (3)" in lv_frame.output and "- beta.one  Question beta.one?\n" in lv_frame.output
    )
    assert "Nemainīti: " in lv_frame.output
    en_frame = run("C", *args, "--lang", "lv")
    assert "Removed (3)" in en_frame.output and "- beta.one  Question beta.one? (lv ā)" in (
        en_frame.output
    )


def test_help_follows_the_environment():
    lv = run("lv_LV.UTF-8", "bank", "diff", "--help")
    assert lv.exit_code == 0
    assert "Kas mainījies no bankas versijas V1 līdz V2" in lv.output
    assert "Jautājumu tekstu valoda." in lv.output
    en = run("C", "bank", "diff", "--help")
    assert "What changed from version V1 to V2" in en.output
    assert "Language of the question texts." in en.output
    listing = run("lv_LV.UTF-8", "--help")
    assert "Jautājumu bankas." in listing.output
