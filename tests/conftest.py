"""Shared fixtures: the mini test bank, answers-file builders, and (later) the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.domain.bank import BankRegistry, bundled_registry, load_bank

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini_bank():
    """A five-question bank with weights, for exact scoring tests."""
    return load_bank(DATA / "mini-bank.yaml")


@pytest.fixture(scope="session")
def registry(mini_bank):
    """The bundled banks plus the mini bank."""
    reg = BankRegistry(bundled_registry())
    reg.add(mini_bank)
    return reg


def answers_doc(answers=None, bank=("mini", "0.1.0"), **extra):
    """A §3 answers document as a dict."""
    doc = {"format": "assessment-answers/1", "bank": {"id": bank[0], "version": bank[1]},
           "organisation": "Valsts ieņēmumu dienests", "title": "Test", "language": "en",
           "targets": {}, "answers": answers or []}
    doc.update(extra)
    return doc


def dump(doc) -> bytes:
    """UTF-8 JSON bytes of a document."""
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")
