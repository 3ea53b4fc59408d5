"""The compare view across two versions of a bank: last year on the older version, this year on
the newer one, trend per dimension and per mapped question through the bank's mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture()
def two_versions(app, monkeypatch):
    """The mini bank 0.1.0 and 0.2.0 installed, with their mapping as the bundled mappings."""
    from assessment.domain import mapping as mapping_module
    from assessment.domain.bank import BankRegistry, load_bank
    from assessment.extensions import db
    from assessment.services.banks import install_bank

    with app.app_context():
        for name in ("mini-bank.yaml", "mini-bank-0.2.0.yaml"):
            install_bank((DATA / name).read_bytes(), name)
        db.session.commit()
    registry = BankRegistry(
        [load_bank(DATA / "mini-bank.yaml"), load_bank(DATA / "mini-bank-0.2.0.yaml")]
    )
    mappings = mapping_module.MappingRegistry(
        [mapping_module.load_mapping(DATA / "mini_0.1.0_0.2.0.yaml", registry)]
    )
    monkeypatch.setattr(mapping_module, "bundled_mappings", lambda: mappings)


def test_trend_across_bank_versions(app, client, auth, factory, two_versions):
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Organisation
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank

    org_id = factory.organisation()
    factory.user("ilze@example.lv", "member", org_id)
    ev = [{"title": "Pārskats"}]
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        old = create_assessment(org, get_bank("mini", "0.1.0"), "2025", "en", {}, None)
        old.state = "completed"
        old.created_at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        for qid, level in (("alpha.one", 1), ("beta.one", 1), ("beta.two", 3), ("beta.three", 2)):
            db.session.add(
                AnswerRecord(assessment_id=old.id, question_id=qid, level=level, evidence=ev)
            )
        new = create_assessment(org, get_bank("mini", "0.2.0"), "2026", "en", {}, None)
        for qid, level in (("alpha.one", 3), ("alpha.three", 2), ("beta.first", 4)):
            db.session.add(
                AnswerRecord(assessment_id=new.id, question_id=qid, level=level, evidence=ev)
            )
        db.session.commit()
        old_id, new_id = old.id, new.id
    auth.login("ilze@example.lv", DEFAULT_PASSWORD)
    client.get("/lang/en")
    page = client.get(f"/assessments/{new_id}/compare?with={old_id}").get_data(as_text=True)
    assert "version 0.1.0 of the question bank, the later one version 0.2.0" in page
    assert "Question alpha.one, reworded?" in page and "rose by 2" in page  # 1 → 3
    # beta.one (1) and beta.two (3) became beta.first: lower median 1 → 4
    assert "Question beta.first?" in page and "rose by 3" in page
    assert "Earlier: Question beta.one?; Question beta.two?" in page
    assert "4 · Continuously improved" in page  # the newer version's label for its answers
    assert "1 · Initial" in page
    assert "New questions in version 0.2.0" in page and "Question alpha.three?" in page
    assert "no longer asked" in page and "Question beta.three?" in page
    # per dimension: alpha 1.00 → 3.00 (weights 1 and 2, alpha.two unanswered)
    assert "+2.00" in page or "+2" in page
    # and from the older assessment's side the same comparison is shown
    back = client.get(f"/assessments/{old_id}/compare?with={new_id}").get_data(as_text=True)
    assert "rose by 3" in back
