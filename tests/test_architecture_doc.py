"""docs/architecture.md describes the code as it is: its table of layers names the number of
Python files each folder holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| (\w+) \| `(assessment/[\w/]*)`[^|]*\| (\d+) \|", re.M)


def python_files(folder: str, top_level_only: bool) -> int:
    path = ROOT / folder
    found = path.glob("*.py") if top_level_only else path.rglob("*.py")
    return sum(1 for f in found if "__pycache__" not in f.parts)


def test_the_layer_table_counts_the_files_there_are():
    rows = ROW.findall(DOC.read_text("utf-8"))
    assert {layer for layer, _folder, _n in rows} == {
        "web",
        "services",
        "reporting",
        "domain",
        "app",
    }
    for layer, folder, count in rows:
        assert python_files(folder, top_level_only=layer == "app") == int(count), (layer, folder)


def test_the_question_types_are_counted_too():
    text = DOC.read_text("utf-8")
    stated = int(re.search(r"question types \(`qtypes/`, (\d+) files\)", text).group(1))
    assert python_files("assessment/domain/qtypes", top_level_only=False) == stated
