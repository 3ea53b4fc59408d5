"""The report DOCX opens in LibreOffice: converted to PDF there, its text is all present.

Needs Debian's LibreOffice (`.ci/run` installs `libreoffice-writer` when it is missing). Outside CI
the test skips without it; in CI (the environment variable CI set) a missing LibreOffice fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessment.domain.answers import Answer, Evidence
from assessment.domain.scoring import score
from assessment.reporting.build import build_report
from assessment.reporting.docx import render_docx
from assessment.reporting.labels import fmt_num, labels

from .conftest import DATE, levels_for

ORG = "Valsts ieņēmumu dienests"
LV_LINE = "Ārējā saziņā čaklie ēģiptieši īsi ķēra ļaunus ņirgātājus, šūpojot žagarus"
TIMEOUT = 180


def libreoffice() -> str:
    """The LibreOffice program, or skip (fail in CI) when it is not installed."""
    program = shutil.which("libreoffice") or shutil.which("soffice")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (apt-get install libreoffice-writer)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer)")
    return program


def to_pdf_text(docx: Path, tmp_path: Path) -> tuple[str, int]:
    """Convert with LibreOffice in a private profile; the PDF's text and page count."""
    profile = tmp_path / "lo-profile"
    out = tmp_path / "lo-out"
    result = subprocess.run(
        [
            libreoffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    pdf = out / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text), len(reader.pages)


def test_report_docx_converts_in_libreoffice_with_every_section(bundled_bank, tmp_path):
    answers = levels_for(bundled_bank, lambda i, q: (i * 7) % 5)
    first = next(iter(answers))
    answers[first] = Answer(
        first, level=2, comment=LV_LINE, evidence=(Evidence("Stratēģija 2025–2027"),)
    )
    previous = score(bundled_bank, levels_for(bundled_bank, lambda i, q: i % 3))
    rank_one = build_report(
        bundled_bank, answers, lang="lv", organisation=ORG, title="", date=DATE
    ).actions[0]
    report = build_report(
        bundled_bank,
        answers,
        lang="lv",
        organisation=ORG,
        title="Pašnovērtējums 2026",
        date=DATE,
        previous=previous,
        prepared_by="Ilze Bērziņa",
        action_meta={rank_one.question_id: {"owner": "Jānis Kalniņš", "due": "2027-03-01"}},
    )
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(report))
    text, pages = to_pdf_text(path, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    t = labels("lv")
    assert pages >= 10
    for key in (
        "report_kind",
        "where_heading",
        "sure_heading",
        "first_heading",
        "owners_heading",
        "gaps_heading",
        "radar_heading",
        "action_plan_heading",
        "unsupported_heading",
        "trend_heading",
        "signoff_heading",
        "appendix_heading",
    ):
        assert t[key] in text, key
    assert ORG in text
    assert text.count(ORG) >= pages  # the page header names the institution on every page
    assert LV_LINE in flat  # every Latvian diacritic survives
    assert f"1. lapa no {pages}" in text and f"{pages}. lapa no {pages}" in text
    # the dimension table: every dimension with its evidence-backed maturity and gap
    for d in report.dimensions:
        assert d.title in flat
        assert f"{fmt_num(d.evidence_backed, 'lv')} {d.target} {fmt_num(d.gap, 'lv')}" in flat
    # the action plan table: the first action with its owner and due date
    assert rank_one.question_text in flat and "Jānis Kalniņš" in flat and "01.03.2027." in flat
    # the trend table and the sign-off
    assert t["col_previous"] in text and "Ilze Bērziņa" in flat
    for claim in report.unsupported_claims[:3]:
        assert claim.question_text in flat
