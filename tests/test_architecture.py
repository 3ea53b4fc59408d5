"""The package's layers hold (import-linter contracts in pyproject.toml, as `make lint`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    done = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout, done.stdout


def test_the_contracts_are_the_ones_the_architecture_promises():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    contracts = {c["name"]: c for c in config["contracts"]}
    domain = contracts["domain imports neither Flask nor SQLAlchemy"]
    assert {"flask", "sqlalchemy"} <= set(domain["forbidden_modules"])
    assert set(contracts["reporting imports neither services nor web"]["forbidden_modules"]) == {
        "assessment.services",
        "assessment.web",
    }
    assert contracts["services do not import web"]["forbidden_modules"] == ["assessment.web"]
    assert contracts["no import cycles among the package's modules"]["type"] == "acyclic_siblings"
