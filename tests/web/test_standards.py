"""The standard builder (issue 14, items 1–4): drafting from the gaps, sections, bad input,
versions and approval, documents and the public page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import AnswerRecord, Assessment, Standard, StandardVersion
from tests.conftest import csrf_token

ORG = "Valsts ieņēmumu dienests"


@pytest.fixture()
def org(factory):
    """An organisation with client segments, a member, and a completed assessment whose
    targets.* and procedures.privacy answers are below target (level 1), the rest at 3 with
    evidence."""
    org_id = factory.organisation(ORG, segments=["Iedzīvotāji", "Uzņēmēji"], branches=3)
    factory.user("ilze@example.lv", "member", org_id)
    assessment_id = factory.assessment(org_id, language="lv")
    with factory.app.app_context():
        from assessment.services.banks import get_bank

        item = db.session.get(Assessment, assessment_id)
        bank = get_bank(item.bank_id, item.bank_version)
        for q in bank.questions:
            low = q.id.startswith("targets.") or q.id == "procedures.privacy"
            db.session.add(
                AnswerRecord(
                    assessment_id=item.id,
                    question_id=q.id,
                    level=1 if low else 3,
                    evidence=[] if low else [{"title": "Rīkojums Nr. 1"}],
                )
            )
        item.state = "completed"
        item.completed_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    return org_id


def login(auth, email="ilze@example.lv"):
    response = auth.login(email)
    assert response.status_code in (302, 303)


def start(client, org_id, language="lv"):
    token = csrf_token(client, f"/organisations/{org_id}/standard")
    response = client.post(
        f"/organisations/{org_id}/standard", data={"csrf_token": token, "language": language}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return token


def version_row(app, org_id, number=1) -> StandardVersion:
    with app.app_context():
        return db.session.scalar(
            select(StandardVersion)
            .join(Standard)
            .where(Standard.organisation_id == org_id, StandardVersion.number == number)
        )


def counts(app) -> tuple[int, int, str]:
    """How many standards and versions there are, and the versions' content (to show that a
    refused request wrote nothing)."""
    with app.app_context():
        rows = db.session.scalars(select(StandardVersion).order_by(StandardVersion.id)).all()
        return (
            db.session.scalar(select(func.count(Standard.id))),
            len(rows),
            repr([(r.content, r.suggestions, r.state) for r in rows]),
        )


SCOPE = {
    "kind": "branches",
    "names": "Rīgas klientu apkalpošanas centrs\nCēsu filiāle",
    "clients": "Iedzīvotāji\nUzņēmēji",
    "note": "",
}
CHANNEL = {
    "ch-0-kind": "in_person",
    "ch-0-name": "Klientu apkalpošanas centrs",
    "ch-0-address": "Talejas iela 1, Rīga",
    "ch-0-hours": "P.–Pk. 8:30–17:00",
    "ch-1-kind": "telephone",
    "ch-1-name": "Informatīvais tālrunis",
    "ch-1-phones": "67120000",
    "ch-1-hours": "8:15–17:00",
    "ch-1-out_of_hours": "automātiskais atbildētājs",
}
INDICATOR = {
    "i-0-channel": "Visi kanāli",
    "i-0-indicator": "Klientu apmierinātība",
    "i-0-target": "vismaz 4",
    "i-0-unit": "balles",
    "i-0-data_source": "Aptaujas",
}
NORM = {"c-0-text": "Ievērot klienta privātumu un laipni sveicināt katru klientu."}


def post_section(client, org_id, section, data, number=1):
    url = f"/organisations/{org_id}/standard/versions/{number}/sections/{section}"
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, **data})


def fill(client, org_id, number=1):
    for section, data in (
        ("scope", SCOPE),
        ("channels", CHANNEL),
        ("indicators", INDICATOR),
        ("norms", NORM),
    ):
        response = post_section(client, org_id, section, data, number)
        assert response.status_code == 302, (section, response.get_data(as_text=True)[:3000])


def approve(client, org_id, number=1, decision="1-1/42"):
    token = csrf_token(client, f"/organisations/{org_id}/standard/versions/{number}")
    return client.post(
        f"/organisations/{org_id}/standard/versions/{number}/approve",
        data={
            "csrf_token": token,
            "approved_by": "Ģenerāldirektore Ilze Ķēniņa",
            "decision_number": decision,
            "approved_on": "2026-12-01",
        },
    )


# --- drafting ------------------------------------------------------------------------------------


def test_draft_is_prefilled_with_principles_clients_and_gap_suggestions(app, client, auth, org):
    login(auth)
    page = client.get(f"/organisations/{org}").get_data(as_text=True)
    assert f'href="/organisations/{org}/standard"' in page  # linked from the organisation
    start(client, org)
    row = version_row(app, org)
    assert row.state == "draft"
    assert [p["key"] for p in row.content["principles"]] == [
        "2.2.2a",
        "2.2.2b",
        "2.2.2c",
        "2.2.2d",
        "2.2.2e",
    ]
    assert row.content["principles"][0]["title"] == "Izpratne par klienta vajadzībām"
    assert row.content["scope"]["clients"] == ["Iedzīvotāji", "Uzņēmēji"]
    # Nothing added silently: the gaps only suggest.
    assert row.content["norms"] == [] and row.content["indicators"] == []
    by_key = {s["key"]: s for s in row.suggestions}
    assert by_key["2.2.7-satisfaction"]["section"] == "indicators"
    assert by_key["2.2.7-satisfaction"]["clause"] == "2.2.7"
    assert "targets.per-segment" in by_key["2.2.7-satisfaction"]["questions"]
    assert by_key["2.2.4-privacy"]["questions"] == ["procedures.privacy"]
    assert all(s["status"] == "pending" for s in row.suggestions)
    # The page shows each suggestion with its clause and the question it came from.
    html = client.get(f"/organisations/{org}/standard").get_data(as_text=True)
    assert "procedures.privacy" in html and "2.2.4" in html


def test_english_standard_gets_english_principles(app, client, auth, org):
    login(auth)
    start(client, org, "en")
    row = version_row(app, org)
    assert row.content["principles"][1]["title"] == "Accessibility"


def test_accepting_and_discarding_suggestions(app, client, auth, org):
    login(auth)
    start(client, org)
    row = version_row(app, org)
    sat = next(s for s in row.suggestions if s["key"] == "2.2.7-satisfaction")
    privacy = next(s for s in row.suggestions if s["key"] == "2.2.4-privacy")
    token = csrf_token(client, f"/organisations/{org}/standard")
    base = f"/organisations/{org}/standard/versions/1/suggestions"
    assert (
        client.post(
            f"{base}/{sat['id']}", data={"csrf_token": token, "action": "accept"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/{privacy['id']}", data={"csrf_token": token, "action": "discard"}
        ).status_code
        == 302
    )
    row = version_row(app, org)
    assert [i["key"] for i in row.content["indicators"]] == ["2.2.7-satisfaction"]
    assert row.content["indicators"][0]["target"] == "vismaz 4"
    assert row.content["norms"] == []
    states = {s["key"]: s["status"] for s in row.suggestions}
    assert states["2.2.7-satisfaction"] == "accepted" and states["2.2.4-privacy"] == "discarded"
    # Deciding twice is refused, with a message.
    again = client.post(f"{base}/{sat['id']}", data={"csrf_token": token, "action": "accept"})
    assert again.status_code == 400
    assert "jau" in again.get_data(as_text=True)


def test_sections_save_and_render(app, client, auth, org):
    login(auth)
    start(client, org)
    fill(client, org)
    row = version_row(app, org)
    assert row.content["scope"]["names"] == ["Rīgas klientu apkalpošanas centrs", "Cēsu filiāle"]
    assert row.content["channels"][0]["hours"] == "P.–Pk. 8:30–17:00"
    assert row.content["channels"][1]["kind"] == "telephone"
    assert row.content["indicators"][0]["target"] == "vismaz 4"
    html = client.get(f"/organisations/{org}/standard").get_data(as_text=True)
    assert "Talejas iela 1, Rīga" in html and "Cēsu filiāle" in html


def test_principles_are_editable_removable_and_extendable(app, client, auth, org):
    login(auth)
    start(client, org)
    html = client.get(f"/organisations/{org}/standard/versions/1/sections/principles").get_data(
        as_text=True
    )
    assert "Spēja atzīt trūkumus" in html
    data = {
        "p-0-title": "Izpratne par klienta vajadzībām",
        "p-0-text": "Saīsināts skaidrojums.",
        "p-0-key": "2.2.2a",
        "p-1-title": "Pieejamība",
        "p-1-text": "X",
        "p-1-remove": "1",
        "p-5-title": "Vienkārša valoda",
        "p-5-text": "Rakstām tā, lai saprot ikviens.",
    }
    assert post_section(client, org, "principles", data).status_code == 302
    row = version_row(app, org)
    assert row.content["principles"] == [
        {
            "title": "Izpratne par klienta vajadzībām",
            "text": "Saīsināts skaidrojums.",
            "key": "2.2.2a",
        },
        {"title": "Vienkārša valoda", "text": "Rakstām tā, lai saprot ikviens.", "key": ""},
    ]


def test_norms_are_offered_from_the_guideline_and_reworded(app, client, auth, org):
    login(auth)
    start(client, org)
    html = client.get(f"/organisations/{org}/standard/versions/1/sections/norms").get_data(
        as_text=True
    )
    assert "Nepieprasīt no klientiem to informāciju" in html
    response = post_section(
        client,
        org,
        "norms",
        {
            "offer-2.2.4-once-only-add": "1",
            "offer-2.2.4-once-only-text": "Neprasām ziņas, kas jau ir valsts reģistros.",
            "offer-2.2.4-privacy-text": "not ticked, not added",
        },
    )
    assert response.status_code == 302
    row = version_row(app, org)
    assert row.content["norms"] == [
        {"text": "Neprasām ziņas, kas jau ir valsts reģistros.", "key": "2.2.4-once-only"}
    ]


# --- bad input: a clear message in the user's language, 4xx, nothing written --------------------

BAD = [
    (
        "scope",
        {"kind": "", "names": "", "clients": "", "note": ""},
        {"lv": "Izvēlieties standarta darbības sfēru", "en": "Choose the scope of the standard"},
    ),
    (
        "scope",
        {"kind": "branches", "names": "  \n ", "clients": ""},
        {"lv": "Nosauciet vismaz vienu filiāli", "en": "Name at least one branch"},
    ),
    (
        "channels",
        {**CHANNEL, "ch-0-hours": "8:30–25:00"},
        {"lv": "darba laikā norādīts laiks, kas neeksistē", "en": "a time that does not exist"},
    ),
    (
        "indicators",
        {**INDICATOR, "i-0-target": ""},
        {"lv": "Katram rādītājam vajag mērķi", "en": "Every indicator needs a target"},
    ),
    (
        "principles",
        {"p-0-title": "Atklātība", "p-0-text": "ā" * 10_000},
        {"lv": "Pārāk garš teksts: ne vairāk kā 4000", "en": "Too long: at most 4000"},
    ),
]


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize(
    "section, data, message",
    BAD,
    ids=["empty-scope", "no-branch-names", "hours-25", "no-target", "long-text"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    app, client, auth, org, lang, section, data, message
):
    login(auth)
    start(client, org)
    client.get(f"/lang/{lang}")
    before = counts(app)
    response = post_section(client, org, section, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message[lang] in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert len(html) < 100_000  # a long text is not sent back whole
    assert counts(app) == before


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_5_mb_principle_is_refused_with_a_message(app, client, auth, org, lang):
    login(auth)
    start(client, org)
    client.get(f"/lang/{lang}")
    before = counts(app)
    response = post_section(
        client, org, "principles", {"p-0-title": "Atklātība", "p-0-text": "ā" * (5 * 1024 * 1024)}
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert {
        "lv": "Nekas netika saglabāts: veidlapa ir pārāk liela",
        "en": "Nothing was saved: the form is too large",
    }[lang] in html
    assert counts(app) == before


def test_approval_needs_its_details_and_a_complete_standard(app, client, auth, org):
    login(auth)
    start(client, org)
    before = counts(app)
    token = csrf_token(client, f"/organisations/{org}/standard")
    response = client.post(
        f"/organisations/{org}/standard/versions/1/approve",
        data={
            "csrf_token": token,
            "approved_by": "",
            "decision_number": "1",
            "approved_on": "2026-13-45",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Šis lauks ir obligāts." in html and "GGGG-MM-DD" in html
    response = approve(client, org)  # details fine, but no scope, norms, channels, indicators
    assert response.status_code == 400
    assert "vēl nevar apstiprināt" in response.get_data(as_text=True)
    assert counts(app) == before


# --- versions, approval, diff ---------------------------------------------------------------------


def test_approve_supersede_and_diff(app, client, auth, org):
    login(auth)
    start(client, org)
    fill(client, org)
    assert approve(client, org).status_code == 302
    first = version_row(app, org, 1)
    assert first.state == "approved" and first.decision_number == "1-1/42"
    assert first.approved_on == dt.date(2026, 12, 1)
    assert first.approved_by == "Ģenerāldirektore Ilze Ķēniņa"
    assert first.approval_recorded_by_id is not None and first.approval_recorded_at
    # An approved version is not edited any more.
    response = client.post(
        f"/organisations/{org}/standard/versions/1/sections/norms",
        data={"csrf_token": csrf_token(client, f"/organisations/{org}/standard"), **NORM},
    )
    assert response.status_code == 400
    # The next version starts as a copy; editing it leaves version 1 as it was.
    token = csrf_token(client, f"/organisations/{org}/standard")
    assert (
        client.post(
            f"/organisations/{org}/standard/versions", data={"csrf_token": token}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/organisations/{org}/standard/versions", data={"csrf_token": token}
        ).status_code
        == 400
    )  # one draft at a time
    post_section(client, org, "channels", {**CHANNEL, "ch-0-hours": "P.–Pk. 9:00–18:00"}, 2)
    assert approve(client, org, 2, "1-1/77").status_code == 302
    assert version_row(app, org, 1).state == "superseded"
    assert version_row(app, org, 1).content["channels"][0]["hours"] == "P.–Pk. 8:30–17:00"
    assert version_row(app, org, 2).state == "approved"
    html = client.get(f"/organisations/{org}/standard/diff?from=1&to=2").get_data(as_text=True)
    assert re.search(r"<del>[^<]*8:30–17:00", html)
    assert re.search(r"<ins>[^<]*9:00–18:00", html)
    assert client.get(f"/organisations/{org}/standard/diff?from=1&to=9").status_code == 404
    assert client.get(f"/organisations/{org}/standard/diff?from=x&to=2").status_code == 404


# --- documents and the public page ---------------------------------------------------------------


def test_docx_and_pdf_downloads(app, client, auth, org):
    from docx import Document
    from pypdf import PdfReader

    login(auth)
    start(client, org)
    fill(client, org)
    response = client.get(f"/organisations/{org}/standard.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Standarta darbības sfēra" and len(headings) == 7
    assert document.sections[0].header.paragraphs[0].text == ORG
    assert len(document.tables) == 2  # channels and indicators
    assert document.tables[1].rows[1].cells[2].text == "vismaz 4"
    response = client.get(f"/organisations/{org}/standard.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "7. Klientu apkalpošanas procesa galvenie rādītāji" in text
    assert "Talejas iela 1, Rīga" in text
    assert client.get(f"/organisations/{org}/standard.pdf?version=5").status_code == 404


def test_public_page_only_for_a_published_approved_version(app, client, auth, org):
    login(auth)
    start(client, org)
    fill(client, org)
    with app.app_context():
        slug = db.session.scalar(select(Standard.public_slug))
    public = f"/standards/{slug}"
    token = csrf_token(client, f"/organisations/{org}/standard")
    # A draft cannot be published, and nothing is public yet.
    assert (
        client.post(
            f"/organisations/{org}/standard/publish",
            data={"csrf_token": token, "action": "publish"},
        ).status_code
        == 400
    )
    auth.logout()
    assert client.get(public).status_code == 404
    login(auth)
    approve(client, org)
    auth.logout()
    assert client.get(public).status_code == 404  # approved, not published
    login(auth)
    token = csrf_token(client, f"/organisations/{org}/standard")
    assert (
        client.post(
            f"/organisations/{org}/standard/publish",
            data={"csrf_token": token, "action": "publish"},
        ).status_code
        == 302
    )
    auth.logout()
    response = client.get(public)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ORG in html and "Talejas iela 1, Rīga" in html and 'lang="lv"' in html
    assert "<h1" in html and "sections/" not in html  # read-only: no edit links
    # A new draft is never public; the page keeps showing the approved version.
    login(auth)
    token = csrf_token(client, f"/organisations/{org}/standard")
    client.post(f"/organisations/{org}/standard/versions", data={"csrf_token": token})
    post_section(client, org, "norms", {"c-0-text": "Melnraksta norma, vēl neapstiprināta."}, 2)
    auth.logout()
    html = client.get(public).get_data(as_text=True)
    assert "Melnraksta norma" not in html and "Talejas iela" in html
    # Approving version 2 moves the public page to it; taking it down hides it.
    login(auth)
    post_section(client, org, "norms", {"c-0-text": "Apstiprinātā norma."}, 2)
    approve(client, org, 2)
    auth.logout()
    assert "Apstiprinātā norma." in client.get(public).get_data(as_text=True)
    login(auth)
    token = csrf_token(client, f"/organisations/{org}/standard")
    client.post(
        f"/organisations/{org}/standard/publish", data={"csrf_token": token, "action": "unpublish"}
    )
    auth.logout()
    assert client.get(public).status_code == 404
    assert client.get("/standards/" + "x" * 81).status_code == 404
    assert client.get("/standards/nav-tada").status_code == 404
