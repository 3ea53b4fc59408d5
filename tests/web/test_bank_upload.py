"""Custom question banks uploaded by an admin: validated with the path, versions coexist."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from tests.conftest import csrf_token

MINI = (Path(__file__).parent.parent / "data" / "mini-bank.yaml").read_text("utf-8")


@pytest.fixture()
def admin(client, auth, factory):
    factory.user("admin@example.lv", "admin")
    auth.login("admin@example.lv")
    client.get("/lang/en")
    return client


def upload(client, text: str, name="bank.yaml"):
    token = csrf_token(client, "/admin/banks")
    return client.post(
        "/admin/banks",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def mutate(change) -> str:
    data = yaml.safe_load(MINI)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


def test_upload_installs_and_versions_coexist(admin):
    assert upload(admin, MINI).status_code == 302
    second = mutate(lambda d: d.update(version="0.2.0"))
    assert upload(admin, second).status_code == 302
    page = admin.get("/admin/banks").get_data(as_text=True)
    assert "0.1.0" in page and "0.2.0" in page
    again = upload(admin, MINI)
    assert again.status_code == 400 and "already installed" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda d: d["dimensions"][0]["questions"][0]["text"].pop("lv"),
            "dimensions[0].questions[0].text: missing required key &#39;lv&#39;",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][0]["levels"].pop(),
            "dimensions[0].questions[0].levels: must have exactly 5 items, found 4",
        ),
        (
            lambda d: d["dimensions"][1]["questions"][1].update(id="beta.one"),
            "dimensions[1].questions[1].id: duplicate question id",
        ),
        (
            lambda d: d["dimensions"][1]["questions"][1].update(source="9.9"),
            "dimensions[1].questions[1].source: unknown guideline clause",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][1].update(weight=0),
            "dimensions[0].questions[1].weight: must be greater than 0",
        ),
        (
            lambda d: d["dimensions"][0].update(target=7),
            "dimensions[0].target: must be from 1 to 4",
        ),
    ],
)
def test_bad_uploads_are_refused_with_the_path(admin, change, expected):
    response = upload(admin, mutate(change))
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_not_yaml_and_not_utf8_are_refused(admin):
    assert upload(admin, "id: [oops").status_code == 400
    token = csrf_token(admin, "/admin/banks")
    response = admin.post(
        "/admin/banks",
        data={"csrf_token": token, "file": (io.BytesIO(b"\xff\xfe"), "b.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)


def test_members_cannot_upload(client, auth, factory):
    org = factory.organisation()
    factory.user("m@example.lv", "member", org)
    auth.login("m@example.lv")
    assert client.get("/admin/banks").status_code == 403


def test_bank_for_one_organisation_is_offered_only_there(admin, factory):
    mine = factory.organisation("Ministrija")
    other = factory.organisation("Cita iestāde")
    token = csrf_token(admin, "/admin/banks")
    response = admin.post(
        "/admin/banks",
        data={
            "csrf_token": token,
            "organisation": str(mine),
            "file": (io.BytesIO(MINI.encode()), "ministry.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "Mini bank" in admin.get(f"/organisations/{mine}/assessments/new").get_data(as_text=True)
    assert "Mini bank" not in admin.get(f"/organisations/{other}/assessments/new").get_data(
        as_text=True
    )


def test_cli_bank_install_for_an_organisation(app, factory, tmp_path):
    from click.testing import CliRunner
    from sqlalchemy import select

    from assessment.cli import main
    from assessment.extensions import db
    from assessment.models import StoredBank

    org = factory.organisation("Ministrija")
    path = tmp_path / "bank.yaml"
    path.write_text(MINI, "utf-8")
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "x"}
    result = CliRunner().invoke(
        main, ["bank", "install", str(path), "--organisation", "ministrija"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "installed mini 0.1.0" in result.output
    with app.app_context():
        assert (
            db.session.scalar(
                select(StoredBank.organisation_id).where(StoredBank.bank_id == "mini")
            )
            == org
        )
    again = CliRunner().invoke(main, ["bank", "install", str(path)], env=env)
    assert again.exit_code == 1 and "already installed" in again.stderr
    nobody = CliRunner().invoke(
        main, ["bank", "install", str(path), "--organisation", "Nav"], env=env
    )
    assert nobody.exit_code == 1 and "no organisation" in nobody.stderr


def test_bank_texts_are_escaped_in_the_questionnaire(admin, factory):
    """An uploaded bank is data, not markup: its texts appear literally."""
    from assessment.services.banks import get_bank  # noqa: F401 - imported for the cache path

    hostile = mutate(
        lambda d: (
            d["dimensions"][0]["questions"][0]["text"].update(lv="<script>alert(1)</script> ā"),
            d["dimensions"][0]["questions"][0]["levels"][2].update(lv="<b>bold</b> & co"),
        )
    )
    assert upload(admin, hostile).status_code == 302
    org = factory.organisation("Drošība")
    a = factory.assessment(org, bank=("mini", "0.1.0"))
    admin.get("/lang/lv")
    html = admin.get(f"/assessments/{a}/dimensions/alpha").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ā" in html and "<script>alert" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
