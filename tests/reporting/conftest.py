"""Fixtures of the report tests: sample answers on the mini bank, and the bundled bank."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.domain.answers import Answer, Evidence
from assessment.domain.bank import bundled_registry
from assessment.reporting.build import build_report

ORG = "Valsts ieņēmumu dienests"
MARKUP = "<script>alert(1)</script> & <font color=red>x</font> <para>"
DATE = dt.date(2026, 11, 26)


def mini_answers() -> dict[str, Answer]:
    """One of each kind: unsupported claim with a markup comment, low level, don't know, N/A."""
    return {
        "alpha.one": Answer("alpha.one", level=3, comment=MARKUP),
        "alpha.two": Answer(
            "alpha.two",
            level=1,
            comment="Stratēģija vēl top.",
            evidence=(Evidence("Stratēģija 2025–2027", "https://example.lv/s", "2026-03-01"),),
        ),
        "beta.one": Answer("beta.one", dont_know=True),
        "beta.two": Answer("beta.two", level=4, evidence=(Evidence("Mērījums 2025"),)),
        "beta.three": Answer("beta.three", not_applicable=True, comment="nav klātienes"),
    }


@pytest.fixture
def mini_report(mini_bank):
    """A Latvian report of the mini bank."""
    return build_report(
        mini_bank,
        mini_answers(),
        lang="lv",
        organisation=ORG,
        title="2026. gada pašnovērtējums",
        date=DATE,
    )


@pytest.fixture
def mini_report_en(mini_bank):
    """The same report in English."""
    return build_report(
        mini_bank,
        mini_answers(),
        lang="en",
        organisation=ORG,
        title="2026 self-assessment",
        date=DATE,
    )


@pytest.fixture(scope="session")
def bundled_bank():
    """The bundled bank lv-customer-service-2013, or skip when it is not installed."""
    bank = next((b for b in bundled_registry() if b.id == "lv-customer-service-2013"), None)
    if bank is None:
        pytest.skip("the bundled bank questions/lv-customer-service-2013.yaml is not there")
    return bank


def levels_for(bank, pick) -> dict[str, Answer]:
    """Answers for every question: `pick(index, question)` gives the level (None: N/A)."""
    out = {}
    for i, q in enumerate(bank.questions):
        level = pick(i, q)
        if level is None:
            out[q.id] = Answer(q.id, not_applicable=True)
        else:
            evidence = (Evidence(f"Dokuments {i}"),) if i % 2 else ()
            out[q.id] = Answer(q.id, level=level, evidence=evidence)
    return out
