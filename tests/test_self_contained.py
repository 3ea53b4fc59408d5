"""The repository stands on its own: no reference to files outside it; the guideline is inside."""

from __future__ import annotations

import re
from pathlib import Path

from assessment.domain.bank import KNOWN_CLAUSES, bundled_registry

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ["README.md", "docs", "assessment", "questions"]
#: Files that hold no text a person reads as a reference.
BINARY = {".mo", ".ttf", ".png", ".jpg", ".pyc", ".woff", ".woff2", ".ico"}
OUTSIDE = re.compile(r"\.\./shared|shared/seed|\bPRODUCT\.md|\bGLOSSARY\.md")


def searched_files():
    for name in SEARCHED:
        path = ROOT / name
        if path.is_file():
            yield path
            continue
        for item in sorted(path.rglob("*")):
            if item.is_file() and item.suffix not in BINARY and "__pycache__" not in item.parts:
                yield item


def test_no_reference_points_outside_the_repository():
    hits = []
    for path in searched_files():
        text = path.read_text("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not hits, "references outside the repository:\n" + "\n".join(hits)


def test_the_search_would_find_a_reference():
    """The check above is not vacuous: it reads the files it should."""
    names = {str(p.relative_to(ROOT)) for p in searched_files()}
    assert {
        "README.md",
        "docs/scoring.md",
        "assessment/domain/scoring.py",
        "questions/lv-customer-service-2013.yaml",
    } <= names
    assert OUTSIDE.search("Exact rules: `../shared/PRODUCT.md` §4")
    assert OUTSIDE.search("clause id of shared/seed/guidelines-en.md")


def test_the_guideline_is_in_the_repository_with_every_clause_the_banks_cite():
    english = (ROOT / "docs/guideline/guidelines-en.md").read_text("utf-8")
    latvian = (ROOT / "docs/guideline/guidelines-lv.txt").read_text("utf-8")
    assert english.startswith("# Guidelines for preparing a customer service standard")
    assert "klientu apkalpošanas standart" in latvian.lower()
    cited = set()
    for bank in bundled_registry():
        for dimension in bank.dimensions:
            cited |= {dimension.source, *dimension.related}
            for question in dimension.questions:
                cited |= {question.source, *question.related}
    assert cited <= KNOWN_CLAUSES
    for clause in sorted(cited):
        assert f"[{clause}]" in english or re.search(rf"^#+ {re.escape(clause)} ", english, re.M), (
            clause
        )


def test_docs_link_to_files_that_exist():
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text("utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
