"""Bad input to the standard's forms, fuzzed: never a 5xx; a refusal writes nothing; what is
stored is well-formed (texts within their limits, channel hours possible, every indicator with a
target)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from assessment.domain import standard as doc
from assessment.extensions import db
from assessment.models import StandardVersion
from tests.conftest import csrf_token
from tests.web.test_fuzz import FUZZ, field_values, send

SECTIONS = list(doc.SECTIONS)
FIELD_NAMES = (
    ["kind", "names", "clients", "note"]
    + [f"p-{n}-{f}" for n in (0, 1, 7) for f in ("title", "text", "key", "remove")]
    + [f"c-{n}-{f}" for n in (0, 2) for f in ("text", "key", "remove")]
    + [f"ch-{n}-{f}" for n in (0, 1) for f in ("kind", "remove") + doc.CHANNEL_FIELDS]
    + [f"i-{n}-{f}" for n in (0, 1) for f in doc.INDICATOR_FIELDS + ("key",)]
    + [
        "offer-2.2.4-privacy-add",
        "offer-2.2.4-privacy-text",
        "offer-2.2.7-satisfaction-add",
        "offer-2.2.7-satisfaction-target",
        "p-99999-title",
        "ch--1-name",
        "i-0000-target",
    ]
)
VALUES = st.one_of(
    field_values,
    st.sampled_from(
        [
            "in_person",
            "telephone",
            "institution",
            "branches",
            "2.2.2a",
            "2.2.4-privacy",
            "1",
            "8:30–25:00",
            "24:00",
            "99:99",
            "a@b.lv",
            "https://x.lv",
        ]
    ),
)


@given(
    section=st.sampled_from(SECTIONS),
    data=st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=12),
)
@FUZZ
def test_section_forms_take_any_input(app, factory, section, data):
    client = app.test_client()
    with app.app_context():
        from assessment.models import Organisation, User
        from assessment.services import standards as service

        org = db.session.scalar(select(Organisation))
        if org is None:
            org_id = factory.organisation("Fuzz iestāde")
            factory.user("fuzz@example.lv", "member", org_id)
            org = db.session.get(Organisation, org_id)
        if service.get_standard(org) is None:
            user = db.session.scalar(select(User))
            service.create_standard(org, "lv", user)
            db.session.commit()
        org_id = org.id
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "fuzz@example.lv", "password": "correct horse battery", "csrf_token": token},
    )
    url = f"/organisations/{org_id}/standard/versions/1/sections/{section}"
    token = csrf_token(client, url)
    response = send(app, client, "POST", url, data={"csrf_token": token, **data})
    assert response.status_code in (302, 400), response.status_code
    with app.app_context():
        content = db.session.scalar(select(StandardVersion.content))
        scope = content["scope"]
        assert scope["kind"] in doc.SCOPE_KINDS + ("",)
        for entry in content["principles"] + content["norms"]:
            assert 0 < len(entry.get("text", "")) <= doc.MAX_TEXT
        for row in content["channels"]:
            assert row["kind"] in doc.CHANNEL_KINDS
            assert not doc.hours_problem(row.get("hours", ""))
        for row in content["indicators"]:
            assert row["target"] and row["indicator"]
        db.session.remove()
