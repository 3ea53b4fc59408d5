"""`assessment report FILE -o OUT.pdf [--lang lv|en]`, offline."""

from __future__ import annotations

from pypdf import PdfReader

from assessment.cli import main

from ..conftest import DATA, answers_doc, dump
from .conftest import MARKUP, ORG


def test_report_command_writes_the_pdf(tmp_path):
    from click.testing import CliRunner

    answers = tmp_path / "answers.json"
    answers.write_bytes(dump(answers_doc(
        answers=[{"question": "alpha.one", "level": 3, "comment": MARKUP},
                 {"question": "beta.one", "level": 1}], language="lv")))
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", str(answers), "-o", str(out),
                                       "--bank", str(DATA / "mini-bank.yaml")])
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert ORG in text and "Kopsavilkums" in text  # the file's language
    en = tmp_path / "report-en.pdf"
    result = CliRunner().invoke(main, ["report", str(answers), "-o", str(en), "--lang", "en",
                                       "--bank", str(DATA / "mini-bank.yaml")])
    assert result.exit_code == 0, result.output
    assert "Executive summary" in " ".join(p.extract_text() for p in PdfReader(en).pages)
