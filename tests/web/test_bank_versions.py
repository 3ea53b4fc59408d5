"""Several versions of a bank installed: new assessments start from the latest, existing ones
stay on the version they were made with."""

from __future__ import annotations

import re

import pytest
import yaml

from assessment.domain.bank import BUNDLED_DIR, version_key
from tests.conftest import csrf_token

BANK_ID = "lv-customer-service-2013"
V1 = (BUNDLED_DIR / f"{BANK_ID}.yaml").read_text("utf-8")


@pytest.fixture()
def admin(client, auth, factory):
    factory.user("admin@example.lv", "admin")
    auth.login("admin@example.lv")
    client.get("/lang/en")
    return client


def install(app, version: str) -> None:
    from assessment.extensions import db
    from assessment.services.banks import install_bank

    data = yaml.safe_load(V1)
    data["version"] = version
    with app.app_context():
        install_bank(yaml.safe_dump(data, allow_unicode=True), f"{version}.yaml")
        db.session.commit()


def selected_bank(page: str) -> str:
    select = re.search(r'<select[^>]*name="bank".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]+)"', select).group(1)


def test_new_assessment_defaults_to_the_latest_version_in_semantic_order(app, admin, factory):
    install(app, "1.9.0")
    install(app, "1.10.0")  # as text "1.10.0" < "1.9.0"; as a version it is later
    from assessment.services.banks import installed_banks

    with app.app_context():
        versions = [b.version for b, _origin in installed_banks() if b.id == BANK_ID]
    assert versions == sorted(versions, key=version_key)  # listed in version order
    latest = max(versions, key=version_key)
    assert latest != "1.9.0"
    org = factory.organisation()
    page = admin.get(f"/organisations/{org}/assessments/new").get_data(as_text=True)
    assert selected_bank(page) == f"{BANK_ID}@{latest}"
    token = csrf_token(admin, f"/organisations/{org}/assessments/new")
    response = admin.post(
        f"/organisations/{org}/assessments/new",
        data={
            "csrf_token": token,
            "title": "Jauns",
            "language": "lv",
            "bank": f"{BANK_ID}@{latest}",
            "evidence_max_age_months": "36",
        },
    )
    assert response.status_code == 302
    from assessment.extensions import db
    from assessment.models import Assessment

    with app.app_context():
        item = db.session.scalars(db.select(Assessment)).one()
        assert (item.bank_id, item.bank_version) == (BANK_ID, latest)


def test_an_existing_assessment_stays_on_its_version(app, admin, factory):
    org = factory.organisation()
    older = factory.assessment(org, bank=(BANK_ID, "1.0.0"))
    install(app, "1.10.0")
    from assessment.extensions import db
    from assessment.models import Assessment
    from assessment.web.assessments import bank_of

    with app.app_context():
        item = db.session.get(Assessment, older)
        assert bank_of(item).version == "1.0.0"
    page = admin.get(f"/assessments/{older}/dimensions/values").get_data(as_text=True)
    assert "values.mission" in page  # a 1.0.0 question id


def test_default_bank_prefers_the_bundled_id_and_its_latest_version():
    from assessment.domain.bank import parse_bank_text
    from assessment.services.banks import default_bank

    def bank(bank_id, version):
        data = yaml.safe_load(V1)
        data.update(id=bank_id, version=version)
        return parse_bank_text(yaml.safe_dump(data, allow_unicode=True))

    banks = [
        (bank("aaa", "1.0.0"), "uploaded"),
        (bank(BANK_ID, "1.2.0"), "bundled"),
        (bank(BANK_ID, "1.11.0"), "uploaded"),
        (bank(BANK_ID, "1.3.0"), "bundled"),
    ]
    assert default_bank(banks).key == (BANK_ID, "1.11.0")
    assert default_bank(banks[:1]).key == ("aaa", "1.0.0")
    assert default_bank([]) is None


def test_questionnaire_shows_the_scale_help_of_its_version(app, admin, factory):
    from pathlib import Path

    from assessment.extensions import db
    from assessment.services.banks import install_bank

    data = Path(__file__).parent.parent / "data" / "mini-bank-0.2.0.yaml"
    with app.app_context():
        install_bank(data.read_bytes(), "mini-bank-0.2.0.yaml")
        db.session.commit()
    org = factory.organisation()
    with_help = factory.assessment(org, language="en", bank=("mini", "0.2.0"))
    without = factory.assessment(org, bank=(BANK_ID, "1.0.0"))
    page = admin.get(f"/assessments/{with_help}/dimensions/alpha").get_data(as_text=True)
    assert "What the levels mean" in page
    assert "<dt>4 · Continuously improved</dt>" in page
    assert "Improved on the basis of the measurements." in page
    admin.get("/lang/lv")
    page = admin.get(f"/assessments/{with_help}/dimensions/alpha").get_data(as_text=True)
    assert "Uzlabots, balstoties uz mērījumiem." in page
    other = admin.get(f"/assessments/{without}/dimensions/values").get_data(as_text=True)
    assert "scale-help" not in other  # 1.0.0 has no help per level


def test_init_installs_both_bundled_versions(app):
    from assessment.services.banks import default_bank, installed_banks

    with app.app_context():
        banks = installed_banks()
        bundled = {b.version for b, origin in banks if origin == "bundled" and b.id == BANK_ID}
        assert {"1.0.0", "2.0.0"} <= bundled
        assert default_bank(banks).key == (BANK_ID, max(bundled, key=version_key))
