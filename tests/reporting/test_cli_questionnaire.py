"""`assessment questionnaire --bank ID --version V [--lang lv|en] -o FILE.pdf`."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from pypdf import PdfReader

from assessment.cli import main

from ..conftest import DATA

BUNDLED = ["--bank", "lv-customer-service-2013", "--version", "1.0.0"]


def run(args, app):
    """The console script's group, bound to the test app (its database)."""
    return CliRunner().invoke(main, args, obj=ScriptInfo(create_app=lambda: app))


def text(path) -> tuple[str, int]:
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages)), len(reader.pages)


def test_bundled_bank_in_latvian_by_default_and_in_english(app, tmp_path, bundled_bank):
    out = tmp_path / "anketa.pdf"
    result = run(["questionnaire", *BUNDLED, "-o", str(out)], app)
    assert result.exit_code == 0, result.output
    content, pages = text(out)
    assert pages == 2 + len(bundled_bank)
    assert "Pašnovērtējuma anketa" in content
    assert all(q.id in content and q.text.lv in content for q in bundled_bank.questions)
    en = tmp_path / "Q.PDF"
    result = run(["questionnaire", *BUNDLED, "--lang", "en", "-o", str(en)], app)
    assert result.exit_code == 0, result.output
    assert next(bundled_bank.questions).text.en in text(en)[0]


def test_a_bank_installed_in_the_database(app, tmp_path):
    from assessment.extensions import db
    from assessment.services.banks import install_bank

    with app.app_context():
        install_bank((DATA / "mini-bank.yaml").read_bytes(), "mini-bank.yaml")
        db.session.commit()
    out = tmp_path / "mini.pdf"
    result = run(
        ["questionnaire", "--bank", "mini", "--version", "0.1.0", "--lang", "en", "-o", str(out)],
        app,
    )
    assert result.exit_code == 0, result.output
    assert "Question alpha.one?" in text(out)[0]


def test_unknown_bank_or_version_is_refused_with_exit_1(app, tmp_path):
    out = tmp_path / "q.pdf"
    for bank, version in (("nope", "1.0.0"), ("lv-customer-service-2013", "9.9.9")):
        result = run(["questionnaire", "--bank", bank, "--version", version, "-o", str(out)], app)
        assert result.exit_code == 1, result.output
        assert f"no question bank {bank} version {version} is installed" in result.output
        assert not out.exists()
    result = run(["questionnaire", *BUNDLED, "-o", str(tmp_path / "none" / "q.pdf")], app)
    assert result.exit_code == 1 and "cannot write the file" in result.output


@pytest.mark.parametrize(
    "args,message",
    [
        (["-o", "q.docx"], "must end in .pdf"),
        (["-o", "q"], "must end in .pdf"),
        (["--lang", "de", "-o", "q.pdf"], "'de' is not one of 'lv', 'en'"),
        ([], "Missing option '-o'"),
    ],
)
def test_usage_errors_exit_2(app, tmp_path, args, message):
    args = [a if not a.startswith("q") else str(tmp_path / a) for a in args]
    result = run(["questionnaire", *BUNDLED, *args], app)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_bank_and_version_are_required(app, tmp_path):
    out = str(tmp_path / "q.pdf")
    assert run(["questionnaire", "--version", "1.0.0", "-o", out], app).exit_code == 2
    assert run(["questionnaire", "--bank", "x", "-o", out], app).exit_code == 2
