"""Every word in the user's language (issue 13 item 5): every page of every role, and the form
errors of every form, rendered in Latvian; each message looked up in the catalogue must have a
Latvian translation, and no English validator phrase, raw state code or command-line hint may
reach the page."""

from __future__ import annotations

import re

import pytest
from babel.support import Translations

from tests.conftest import csrf_token
from tests.web.test_security_headers import addresses, world  # noqa: F401 - a fixture

# English that must never be on a Latvian page: WTForms' built-in messages, raw codes, hints
# meant for the command line.
ENGLISH = (
    "This field is required",
    "Not a valid",
    "Invalid Choice",
    "Invalid email",
    "Field must be",
    "must have exactly",
    "Invalid input",
    "Number must be",
    "in_progress",
    "give --",
    "--organisation",
    "CSRF token",
)
RAW_STATE = re.compile(r">\s*(in_progress|draft|completed|archived)\s*<")


@pytest.fixture()
def looked_up(monkeypatch):
    """Every msgid the app looks up in a catalogue with no entry for it (Latvian run only)."""
    missing: list[str] = []
    original, original_n = Translations.ugettext, Translations.ungettext

    def ugettext(self, message):
        if (
            getattr(self, "_catalog", None) is not None
            and self.files
            and "/lv/" in self.files[0]
            and message not in self._catalog
        ):
            missing.append(message)
        return original(self, message)

    def ungettext(self, singular, plural, n):
        if (
            getattr(self, "_catalog", None) is not None
            and self.files
            and "/lv/" in self.files[0]
            and (singular, 0) not in self._catalog
        ):
            missing.append(singular)
        return original_n(self, singular, plural, n)

    monkeypatch.setattr(Translations, "ugettext", ugettext)
    monkeypatch.setattr(Translations, "ungettext", ungettext)
    return missing


def check_latvian(response, where: str) -> None:
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return
    html = response.get_data(as_text=True)
    assert '<html lang="lv">' in html, where
    if where.startswith("/api/v1/docs"):
        # The API's reference ends with its machine contract, the schemas: their codes
        # (`in_progress`) are what a program sends and receives. Its own words are checked.
        html = html.split('id="schemas"', 1)[0]
    text = re.sub(r"<[^>]*>", "><", html)  # what a reader sees (and titles), not attributes
    for phrase in ENGLISH:
        assert phrase not in text, (where, phrase)
    assert not RAW_STATE.search(text), (where, RAW_STATE.search(text).group(0))


def with_respondents(app, assessment_id):
    """A submitted respondent and an agreed answer, so that those parts of the pages show."""
    from assessment.extensions import db
    from assessment.models import AnswerRecord, Respondent, RespondentAnswer, utcnow

    with app.app_context():
        item = Respondent(
            assessment_id=assessment_id,
            name="Bruno",
            token_hash="x" * 64,
            submitted_at=utcnow(),
            started_at=utcnow(),
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(
            RespondentAnswer(respondent_id=item.id, question_id="values.mission", level=1)
        )
        db.session.add(
            RespondentAnswer(respondent_id=item.id, question_id="values.vision", level=4)
        )
        db.session.add(
            AnswerRecord(assessment_id=assessment_id, question_id="values.vision", level=3)
        )
        db.session.commit()


@pytest.mark.parametrize("role", ["ilze@example.lv", "janis@example.lv", "admin@example.lv"])
def test_every_page_is_latvian(app, client, auth, world, looked_up, role):  # noqa: F811
    with_respondents(app, world["assessment_id"])
    auth.login(role)
    client.get("/lang/lv")
    seen = 0
    for path, methods in addresses(app, world):
        if "GET" not in methods or path.startswith(("/lang/", "/static/")):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        check_latvian(response, path)
        seen += response.mimetype == "text/html"
    assert seen > 20
    assert sorted(set(looked_up)) == []


FORMS = [  # (address, fields to send besides the CSRF token): empty, then of the wrong kind
    ("/organisations/new", {}),
    ("/organisations/{org_id}/edit", {"name": "", "branches": "many", "kind": "x" * 300}),
    ("/organisations/{org_id}/assessments/new", {"language": "xx", "bank": "nope"}),
    ("/assessments/{assessment_id}/respondents", {"people": "", "expires": "tomorrow"}),
    ("/assessments/{assessment_id}/respondents", {"people": "Anna, nav-adrese\n,"}),
    ("/assessments/{assessment_id}/settings", {"evidence_max_age_months": "many"}),
    ("/admin/users", {"email": "x", "role": "king", "organisation": "abc"}),
    (
        "/admin/users",
        {
            "email": "new@example.lv",
            "role": "member",
            "organisation": "0",
            "password": "correct horse battery staple",
        },
    ),
    ("/password", {"current": "", "new": "short"}),
]


@pytest.mark.parametrize("path, data", FORMS)
def test_every_form_error_is_latvian(
    app,
    client,
    auth,
    world,  # noqa: F811
    looked_up,
    path,
    data,
):
    auth.login("admin@example.lv")
    client.get("/lang/lv")
    url = path.format(**world)
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), **data}, follow_redirects=True
    )
    assert 400 <= response.status_code < 500 or response.status_code == 200, url
    check_latvian(response, url)
    html = response.get_data(as_text=True)
    assert 'class="error"' in html or 'class="flash error"' in html, url
    assert sorted(set(looked_up)) == []


def test_plural_forms_are_latvian(app, client, auth, world):  # noqa: F811
    """1, 2 and 21 respondents: the three Latvian forms (1 and 21 singular, 0 its own)."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("lv"):
        said = {
            n: ngettext("%(num)d respondent invited.", "%(num)d respondents invited.", n)
            for n in (0, 1, 2, 21)
        }
    assert said == {
        0: "Uzaicināti 0 respondenti.",
        1: "Uzaicināts 1 respondents.",
        2: "Uzaicināti 2 respondenti.",
        21: "Uzaicināts 21 respondents.",
    }


def test_organisation_count_agrees_with_its_number(app, client, auth, factory):
    """ "1 organisations" no more: the count uses the plural forms of the language."""
    factory.organisation("Vienīgā iestāde")
    factory.user("admin@example.lv", "admin")
    auth.login("admin@example.lv")
    client.get("/lang/en")
    assert "1 organisation<" in client.get("/organisations/").get_data(as_text=True)
    client.get("/lang/lv")
    assert "1 organizācija<" in client.get("/organisations/").get_data(as_text=True)
