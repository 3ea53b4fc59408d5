"""`assessment report FILE -o OUT.pdf [--lang lv|en]`, offline."""

from __future__ import annotations

from pypdf import PdfReader

from assessment.cli import main

from ..conftest import DATA, answers_doc, dump
from .conftest import MARKUP, ORG


def test_report_command_writes_the_pdf(tmp_path):
    from click.testing import CliRunner

    answers = tmp_path / "answers.json"
    answers.write_bytes(
        dump(
            answers_doc(
                answers=[
                    {"question": "alpha.one", "level": 3, "comment": MARKUP},
                    {"question": "beta.one", "level": 1},
                ],
                language="lv",
            )
        )
    )
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        main, ["report", str(answers), "-o", str(out), "--bank", str(DATA / "mini-bank.yaml")]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert ORG in text and "Kur mēs esam" in text  # the file's language
    en = tmp_path / "report-en.pdf"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(answers),
            "-o",
            str(en),
            "--lang",
            "en",
            "--bank",
            str(DATA / "mini-bank.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Where we are" in " ".join(p.extract_text() for p in PdfReader(en).pages)


def _answers(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_bytes(
        dump(
            answers_doc(
                answers=[
                    {"question": "alpha.one", "level": 3, "comment": "<b>&\"' āčēģīķļņšūž"},
                    {"question": "beta.one", "level": 1},
                ],
                language="lv",
            )
        )
    )
    return answers


def test_report_command_chooses_docx_by_the_extension(tmp_path):
    import io

    from click.testing import CliRunner
    from docx import Document

    answers = _answers(tmp_path)
    for name in ("report.docx", "REPORT.DOCX"):
        out = tmp_path / name
        result = CliRunner().invoke(
            main, ["report", str(answers), "-o", str(out), "--bank", str(DATA / "mini-bank.yaml")]
        )
        assert result.exit_code == 0, result.output
        doc = Document(io.BytesIO(out.read_bytes()))
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert headings[0] == "Kur mēs esam"  # the file's language
        assert ORG in doc.sections[0].header.paragraphs[0].text
        assert any("<b>&\"' āčēģīķļņšūž" in p.text for p in doc.paragraphs)
    en = tmp_path / "report-en.docx"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(answers),
            "-o",
            str(en),
            "--lang",
            "en",
            "--bank",
            str(DATA / "mini-bank.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO(en.read_bytes()))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Where we are"


def test_report_command_refuses_another_extension_before_reading_anything(tmp_path):
    from click.testing import CliRunner

    answers = _answers(tmp_path)
    for name in ("report.odt", "report", "report.pdf.txt", "report.doc"):
        out = tmp_path / name
        result = CliRunner().invoke(
            main, ["report", str(answers), "-o", str(out), "--bank", str(DATA / "mini-bank.yaml")]
        )
        assert result.exit_code == 2, (name, result.output)
        assert "must end in .pdf or .docx" in result.output
        assert not out.exists()
    # a missing input file is a refusal (1), also for DOCX
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "none.json"), "-o", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 1 and "cannot read the file" in result.output
    # an unwritable output is a refusal (1)
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(answers),
            "-o",
            str(tmp_path / "no-such-dir" / "r.docx"),
            "--bank",
            str(DATA / "mini-bank.yaml"),
        ],
    )
    assert result.exit_code == 1 and "cannot write the file" in result.output
