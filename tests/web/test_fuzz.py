"""Bad input everywhere: every form, both uploads and the ids in addresses, fuzzed by hypothesis.

Whatever is posted (with a valid CSRF token: the point is the fields, not the token), the answer
is never a 5xx; a refusal (4xx) leaves the database exactly as it was; what is accepted is stored
well-formed. The logged-in client and its data are built once per test, not once per example.

FUZZ_EXAMPLES=500 runs deeper by hand; the suite keeps the default small.
"""

from __future__ import annotations

import copy
import io
import json
import os
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from assessment.domain.answer_form import CHOICES, parse_page
from assessment.domain.answers import FORMAT, content
from assessment.domain.bank import bundled_registry
from assessment.extensions import db
from assessment.models import AnswerRecord, Assessment, RespondentAnswer, StoredBank
from assessment.services.assessments import stored_content
from tests.conftest import DEFAULT_PASSWORD, csrf_token
from tests.domain.test_fuzz_parsers import (
    MINI,
    json_soup,
    mutations,
    note,
    texts,
    yaml_soup,
)

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BANK = bundled_registry().get("lv-customer-service-2013", "1.0.0")
BANK_KEY = f"{BANK.id}@{BANK.version}"
DIMENSION = BANK.dimension("values")
QIDS = [q.id for q in DIMENSION.questions]
DIM_IDS = [d.id for d in BANK.dimensions]
ADDRESS = "192.0.2.77"  # a client address of its own: the rate limits of other tests stay whole

# --- strategies ---------------------------------------------------------------------------------

WRONG_TYPES = [
    "-1",
    "0",
    "1",
    "4",
    "5",
    "1" * 30,
    str(10**30),
    str(2**63),
    str(2**31),
    "1e309",
    "NaN",
    "inf",
    "-0",
    "3.0",
    " 3 ",
    "٣",
    "0x10",
    "1_000",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1, 2]",
    '{"a": 1}',
    "None",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "2026-03-01",
    "20260301",
    "2026-W09-1",
    "https://example.lv",
    "javascript:alert(1)",
    "on",
    "y",
]

huge_texts = st.builds(
    lambda t, n: ((t or "x") * n)[:n],
    texts,
    st.sampled_from([201, 301, 501, 2_001, 20_001, 100_000]),
)

#: Anything a browser (or a script) might send in a text field.
field_values = st.one_of(texts, st.sampled_from(WRONG_TYPES), huge_texts)

#: Extra fields the form does not know.
extra_fields = st.dictionaries(
    st.one_of(
        texts,
        st.sampled_from(
            [
                "id",
                "role",
                "state",
                "q-",
                "q-values.mission-answer",
                "q-x-answer",
                "organisation_id",
                "next",
                "submit",
            ]
        ),
    ),
    field_values,
    max_size=3,
)


@st.composite
def form_data(draw, typed: dict):
    """A form: each field typed (plausible), fuzzed, or missing; plus unknown fields."""
    clean = draw(st.sampled_from(["clean", "dirty", "dirty"])) == "clean"
    data = {} if clean else draw(extra_fields)
    for name, strategy in typed.items():
        how = "typed" if clean else draw(st.sampled_from(["typed", "typed", "fuzz", "missing"]))
        if how == "typed":
            data[name] = draw(strategy)
        elif how == "fuzz":
            data[name] = draw(field_values)
        else:
            data.pop(name, None)
    return data


def plausible(*values, text: bool = True):
    """Typed values of a field: mostly the given ones, else (for text fields) any text."""
    given_ = st.sampled_from(list(values))
    return st.one_of(given_, given_, given_, texts) if text else given_


def segment_strategy():
    """Path segments where an id or a token belongs."""
    return st.one_of(
        st.sampled_from(
            [
                "abc",
                "-1",
                "0",
                "1.5",
                "1e3",
                "00001",
                "٣",
                "10" * 15,
                str(10**30),
                str(2**63),
                str(2**63 - 1),
                str(2**31),
                str(2**31 - 1),
                " 1",
                "1 ",
                "%",
                "%00",
                "\x00",
                "null",
                "None",
                "[]",
                "✓",
                "ā",
            ]
        ),
        texts.filter(lambda s: s.strip(".") != ""),
    )


# --- helpers ------------------------------------------------------------------------------------


def fingerprint(app) -> dict:
    """Every row of every table (bank YAML left out), to see that a refusal wrote nothing."""
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.c if not (table.name == "banks" and c.name == "content")]
            out[table.name] = sorted(
                repr(tuple(r)) for r in db.session.execute(select(*columns)).all()
            )
        db.session.remove()
    return out


def send(app, client, method: str, url: str, **kw):
    """A request that must not fail with 5xx, and (a POST) that writes nothing when refused."""
    before = fingerprint(app) if method == "POST" else None
    response = client.open(url, method=method, **kw)
    assert response.status_code < 500, (url, response.status_code)
    note(f"{method} {response.status_code}")
    if before is not None and 400 <= response.status_code < 500:
        assert fingerprint(app) == before, (
            f"{method} {url} refused with {response.status_code} but wrote to the database"
        )
    return response


def check_stored_answers(app) -> None:
    """Every stored answer (the assessment's and the respondents') is well-formed."""
    with app.app_context():
        for model in (AnswerRecord, RespondentAnswer):
            for row in db.session.scalars(select(model)):
                assert row.level is None or (type(row.level) is int and 0 <= row.level <= 4)
                assert row.level is None or not (row.not_applicable or row.dont_know)
                assert isinstance(row.comment, str) and len(row.comment) <= 20_000
                assert "\x00" not in row.comment
                assert isinstance(row.evidence, list) and len(row.evidence) <= 100
                for item in row.evidence:
                    assert isinstance(item, dict)
                    assert isinstance(item.get("title"), str) and item["title"].strip()
                    assert all(isinstance(v, str) for v in item.values())
        db.session.remove()


@pytest.fixture()
def web(app, client, factory):
    """The client on an address of its own, an organisation with an assessment, and users."""
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    org = factory.organisation()
    other = factory.organisation("Rīgas domes Labklājības departaments")
    ids = {
        "org": org,
        "other": other,
        "member": factory.user("ilze@example.lv", "member", org),
        "consultant": factory.user("konsultants@example.lv", "consultant", org),
        "admin": factory.user("admin@example.lv", "admin"),
        "assessment": factory.assessment(org),
    }

    tokens = {}

    def login(email):
        """Log in once per test (not per example); the CSRF token of the session."""
        if email not in tokens:
            token = csrf_token(client, "/login")
            response = client.post(
                "/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token}
            )
            assert response.status_code == 302
            tokens.clear()
            tokens[email] = csrf_token(client, "/password")
        return tokens[email]

    class Web:
        pass

    w = Web()
    w.app, w.client, w.ids, w.login = app, client, ids, login
    return w


# --- authentication -----------------------------------------------------------------------------


@FUZZ
@given(
    form_data(
        {
            "email": plausible(
                "ilze@example.lv",
                "ILZE@EXAMPLE.LV",
                "nobody@example.lv",
                "ā@ā.lv",
                "a@b",
                "@",
                "a" * 250 + "@example.lv",
            ),
            "password": plausible(DEFAULT_PASSWORD, "wrong password"),
        }
    ),
    st.one_of(
        st.none(),
        texts,
        st.sampled_from(["/", "//evil.example", "https://x.lv", "/\\evil", "/organisations/"]),
    ),
)
def test_login_form(web, data, next_url):
    token = csrf_token(web.client, "/login")
    url = "/login" + ("" if next_url is None else "?next=" + quote(next_url, safe=""))
    response = send(web.app, web.client, "POST", url, data={**data, "csrf_token": token})
    if response.status_code == 302:
        assert response.location.startswith("/") and not response.location.startswith("//")
        web.client.post("/logout", data={"csrf_token": csrf_token(web.client, "/")})


@FUZZ
@given(
    form_data(
        {
            "current": plausible(DEFAULT_PASSWORD),
            "new": plausible("a new password 1"),
            "repeat": plausible("a new password 1"),
        }
    )
)
def test_password_form(web, data):
    token = web.login("ilze@example.lv")
    response = send(web.app, web.client, "POST", "/password", data={**data, "csrf_token": token})
    if response.status_code == 302:  # changed: change it back for the next example
        again = web.client.post(
            "/password",
            data={
                "current": data["new"],
                "new": DEFAULT_PASSWORD,
                "repeat": DEFAULT_PASSWORD,
                "csrf_token": token,
            },
        )
        assert again.status_code == 302


# --- organisations ------------------------------------------------------------------------------

NAMES = [
    "Valsts ieņēmumu dienests",
    "VALSTS IEŅĒMUMU DIENESTS",
    "Ä",
    "ä",
    "ÄB",
    "äb",
    "İ",
    "i̇",
    "ß",
    "SS",
    "Ⅻ",
    "ⅻ",
    "  padded  ",
    "\u200b",
]
org_fields = {
    "name": plausible(*NAMES),
    "kind": plausible("ministrija", ""),
    "branches": plausible("0", "12", "100000", "100001", "-1", str(10**30), text=False),
    "segments": plausible("iedzīvotāji\nuzņēmēji", "\n\n", "\r\n".join(["x"] * 60)),
}


@FUZZ
@given(form_data(org_fields))
@example({"name": "Ä", "kind": "", "branches": "0", "segments": ""})
@example({"name": "Ä", "kind": "", "branches": "0", "segments": ""})  # the same name twice
def test_organisation_create_form(web, data):
    token = web.login("konsultants@example.lv")
    send(web.app, web.client, "POST", "/organisations/new", data={**data, "csrf_token": token})


def test_organisation_names_differing_only_beyond_ascii_are_refused_as_duplicates(web):
    """SQLite's lower() folds ASCII only: an exact duplicate must still be seen as one."""
    token = web.login("konsultants@example.lv")
    for name in ("Ārlietu ministrija", "ÄB"):
        first = web.client.post("/organisations/new", data={"name": name, "csrf_token": token})
        assert first.status_code == 302
        again = send(
            web.app,
            web.client,
            "POST",
            "/organisations/new",
            data={"name": name, "csrf_token": token},
        )
        assert again.status_code == 400


@FUZZ
@given(form_data({**org_fields, "name": plausible(*NAMES, "Rīgas domes Labklājības departaments")}))
def test_organisation_edit_form(web, data):
    token = web.login("konsultants@example.lv")
    send(
        web.app,
        web.client,
        "POST",
        f"/organisations/{web.ids['org']}/edit",
        data={**data, "csrf_token": token},
    )


@FUZZ
@given(st.data())
def test_organisation_assign_form(web, data):
    token = web.login("admin@example.lv")
    ids = web.ids
    fields = data.draw(
        form_data(
            {
                "user": plausible(
                    str(ids["member"]),
                    str(ids["consultant"]),
                    str(ids["admin"]),
                    "0",
                    "-1",
                    str(10**30),
                    str(2**63),
                    str(2**31),
                    "abc",
                )
            }
        )
    )
    send(
        web.app,
        web.client,
        "POST",
        f"/organisations/{ids['other']}/assign",
        data={**fields, "csrf_token": token},
    )


@pytest.mark.parametrize("user", ["10000000000000000000000000000000", str(2**63), str(2**31)])
def test_assigning_an_impossible_user_id_is_a_400(web, user):
    token = web.login("admin@example.lv")
    response = send(
        web.app,
        web.client,
        "POST",
        f"/organisations/{web.ids['other']}/assign",
        data={"user": user, "csrf_token": token},
    )
    assert response.status_code == 400


# --- assessments: create, questionnaire, states, actions ----------------------------------------


@FUZZ
@given(
    form_data(
        {
            "title": plausible("Pašnovērtējums 2027"),
            "language": plausible("lv", "en", text=False),
            "bank": plausible(BANK_KEY, "mini@0.1.0", BANK_KEY.upper(), text=False),
            **{f"target-{d}": plausible("1", "2", "3", "4", text=False) for d in DIM_IDS},
        }
    )
)
def test_assessment_create_form(web, data):
    token = web.login("ilze@example.lv")
    send(
        web.app,
        web.client,
        "POST",
        f"/organisations/{web.ids['org']}/assessments/new",
        data={**data, "csrf_token": token},
    )


def answer_fields(versions: dict[str, int]) -> dict:
    """The questionnaire's fields for the `values` dimension, typed."""
    typed = {}
    for qid in QIDS:
        p = f"q-{qid}"
        typed[f"{p}-answer"] = plausible(*CHOICES, "", text=False)
        typed[f"{p}-comment"] = st.one_of(
            plausible("Stratēģija <b>apstiprināta</b>", ""), st.just("ā" * 20_000)
        )
        typed[f"{p}-version"] = st.just(str(versions.get(qid, 0)))
        typed[f"{p}-evcount"] = plausible("0", "1", "2", "3", text=False)
        for n in range(3):
            typed[f"{p}-ev-{n}-title"] = plausible("Stratēģija 2025–2027", "")
            typed[f"{p}-ev-{n}-url"] = plausible(
                "", "https://example.lv/s", "HTTP://X.LV", "ftp://x.lv", text=False
            )
            typed[f"{p}-ev-{n}-date"] = plausible("", "2026-03-01", "2026-02-30", text=False)
            typed[f"{p}-ev-{n}-remove"] = plausible("", "1", text=False)
    typed["action"] = plausible("save", "next", "back", "more:values.mission", "more:", text=False)
    return typed


def stored_rows(app, model, **where) -> dict:
    with app.app_context():
        rows = db.session.scalars(select(model).filter_by(**where)).all()
        out = {r.question_id: r for r in rows}
        for r in rows:
            db.session.expunge(r)
        db.session.remove()
    return out


def questionnaire_round(web, url: str, model, where: dict, data) -> None:
    """One post of the page: refused → nothing written; accepted → the whole page stored."""
    before = stored_rows(web.app, model, **where)
    versions = {qid: getattr(row, "version", 0) for qid, row in before.items()}
    fields = data.draw(form_data(answer_fields(versions)))
    response = send(web.app, web.client, "POST", url, data={**fields, "csrf_token": web.token})
    after = stored_rows(web.app, model, **where)
    if response.status_code != 302:
        assert {q: stored_content(r) for q, r in after.items()} == {
            q: stored_content(r) for q, r in before.items()
        }
        return
    check_stored_answers(web.app)
    submitted, errors = parse_page(MultiDict(fields), DIMENSION.questions)
    assert not errors
    for item in submitted:  # all of the page, not part of it
        assert stored_content(after.get(item.question_id)) == content(item.answer)


@FUZZ
@given(st.data())
def test_questionnaire_form(web, data):
    web.token = web.login("ilze@example.lv")
    a = web.ids["assessment"]
    questionnaire_round(
        web, f"/assessments/{a}/dimensions/values", AnswerRecord, {"assessment_id": a}, data
    )


@FUZZ
@given(st.data())
def test_respondent_questionnaire_form(web, data):
    from assessment.services.respondents import create_respondent

    if not hasattr(web, "link"):
        with web.app.app_context():
            item, web.link = create_respondent(
                db.session.get(Assessment, web.ids["assessment"]), "Anna"
            )
            db.session.commit()
            web.respondent = item.id
        web.token = csrf_token(web.client, f"/r/{web.link}/values")
    questionnaire_round(
        web, f"/r/{web.link}/values", RespondentAnswer, {"respondent_id": web.respondent}, data
    )


@FUZZ
@given(
    form_data(
        {
            "answer": plausible(*CHOICES, "", text=False),
            "comment": st.one_of(plausible("Vienojāmies"), huge_texts),
            "version": plausible("0", "1", "2", text=False),
            "action": plausible("save", "next", text=False),
        }
    ),
    st.sampled_from(QIDS[:2]),
)
def test_workshop_form(web, data, qid):
    token = web.login("konsultants@example.lv")
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{web.ids['assessment']}/workshop/{qid}",
        data={**data, "csrf_token": token},
    )
    check_stored_answers(web.app)


@FUZZ
@given(
    st.one_of(
        st.sampled_from(["completed", "in_progress", "archived", "draft"]), segment_strategy()
    ),
    form_data({"confirm": plausible("y", "", text=False)}),
)
def test_state_form(web, state, data):
    token = web.login("konsultants@example.lv")
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{web.ids['assessment']}/state/{quote(state, safe='')}",
        data={**data, "csrf_token": token},
    )


@FUZZ
@given(
    form_data(
        {
            "owner": plausible("Ilze Bērziņa", ""),
            "due": plausible("2026-12-31", "", "9999-12-31", "0001-01-01", text=False),
            "status": plausible("open", "in_progress", "done", text=False),
        }
    ),
    st.one_of(st.sampled_from(QIDS), segment_strategy()),
)
def test_action_form(web, data, qid):
    token = web.login("ilze@example.lv")
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{web.ids['assessment']}/actions/{quote(qid, safe='')}",
        data={**data, "csrf_token": token},
    )


# --- respondents: invite and settings -----------------------------------------------------------


@FUZZ
@given(
    form_data(
        {
            "people": plausible(
                "Anna Ozola",
                "Anna Ozola, anna@example.lv",
                "Anna, ā@ā.lv",
                ", not an email",
                "A\nB\nA",
            ),
            "expires": plausible("", "2030-01-01", "9999-12-31", "0001-01-01", text=False),
        }
    ),
    form_data({"anonymous_comments": plausible("y", "", "0", text=False)}),
)
def test_respondent_invite_and_settings_forms(web, invite, settings_data):
    token = web.login("ilze@example.lv")
    a = web.ids["assessment"]
    response = send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{a}/respondents",
        data={**invite, "csrf_token": token},
    )
    assert response.status_code in (200, 302, 400)
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{a}/respondents/settings",
        data={**settings_data, "csrf_token": token},
    )
    assert web.client.get(f"/assessments/{a}/respondents").status_code == 200


# --- administration -----------------------------------------------------------------------------


@FUZZ
@given(
    form_data(
        {
            "email": st.one_of(
                st.builds("user{}@example.lv".format, st.integers(0, 10**9)),
                plausible(
                    "ADMIN@example.lv", "ā@ā.lv", "İ@example.lv", "a" * 240 + "@example.lv", "x@y"
                ),
            ),
            "name": plausible("Jānis Bērziņš", ""),
            "role": plausible(
                "consultant", "admin", "member", text=False
            ),  # valid first: hypothesis
            "organisation": plausible("0", "ORG", str(10**30), text=False),  # favours the first
            "password": plausible(DEFAULT_PASSWORD, "short"),
        }
    )
)
@example(
    {
        "email": "jauns@example.lv",
        "name": "Jānis",
        "role": "member",
        "organisation": "ORG",
        "password": DEFAULT_PASSWORD,
    }
)
def test_admin_users_form(web, data):
    token = web.login("admin@example.lv")
    if data.get("organisation") == "ORG":
        data = {**data, "organisation": str(web.ids["org"])}
    send(web.app, web.client, "POST", "/admin/users", data={**data, "csrf_token": token})


# --- uploads ------------------------------------------------------------------------------------

WEB_ANSWERS = {
    "format": FORMAT,
    "bank": {"id": BANK.id, "version": BANK.version},
    "organisation": "Valsts ieņēmumu dienests",
    "title": "Importēts",
    "language": "lv",
    "targets": {"values": 3},
    "answers": [
        {
            "question": "values.mission",
            "level": 3,
            "comment": "ļoti labi",
            "evidence": [
                {"title": "Stratēģija", "url": "https://example.lv", "date": "2026-03-01"}
            ],
        },
        {"question": "values.co-created", "not_applicable": True},
        {"question": "values.standard", "dont_know": True},
    ],
    "respondents": [{"name": "Anna", "answers": [{"question": "values.mission", "level": 1}]}],
}


@st.composite
def answers_files(draw):
    """Bytes of an answers file: a mutated valid one mostly, else soup or noise."""
    kind = draw(st.sampled_from(["mutated", "mutated", "texts", "texts", "soup", "bytes"]))
    if kind == "soup":
        return draw(json_soup)
    if kind == "bytes":
        return draw(st.binary(max_size=500))
    doc = draw(mutations(WEB_ANSWERS) if kind == "mutated" else text_edits(WEB_ANSWERS))
    return json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True).encode("utf-8")


def upload_fields(draw_file, name_strategy=texts):
    """The multipart fields of an upload: the file, maybe missing or sent as plain text."""
    return st.one_of(
        st.builds(
            lambda raw, name: {"file": (io.BytesIO(raw), name or "x")}, draw_file, name_strategy
        ),
        st.builds(lambda raw: {"file": raw.decode("utf-8", "replace")}, draw_file),
        st.just({}),
    )


@FUZZ
@given(upload_fields(answers_files()))
@example({"file": (io.BytesIO(json.dumps(WEB_ANSWERS).encode()), "valid.json")})
@example(
    {"file": (io.BytesIO(json.dumps({**WEB_ANSWERS, "title": "a\u0000b"}).encode()), "nul.json")}
)
@example(
    {
        "file": (
            io.BytesIO(
                json.dumps(
                    {**WEB_ANSWERS, "respondents": [{"name": "\ud800", "answers": []}]}
                ).encode()
            ),
            "surrogate.json",
        )
    }
)
@example({"file": (io.BytesIO(b'{"format": "\\ud800"}'), "message.json")})
@example({"file": (io.BytesIO(b'{"format": ' + b"1" * 5000 + b"}"), "digits.json")})
def test_answers_file_import(web, fields):
    token = web.login("ilze@example.lv")
    org = web.ids["org"]
    with web.app.app_context():
        count = len(db.session.scalars(select(Assessment.id)).all())
    response = send(
        web.app,
        web.client,
        "POST",
        f"/organisations/{org}/import",
        data={**fields, "csrf_token": token},
        content_type="multipart/form-data",
    )
    with web.app.app_context():
        added = len(db.session.scalars(select(Assessment.id)).all()) - count
    assert added == (1 if response.status_code == 302 else 0)
    if response.status_code == 302:
        check_stored_answers(web.app)
        assert web.client.get(response.location).status_code == 200


def text_paths(node, prefix=()):
    """Paths to the strings of a document whose key says they are free text."""
    if isinstance(node, dict):
        for key, child in node.items():
            if isinstance(child, str) and key in TEXT_KEYS:
                yield prefix + (key,)
            yield from text_paths(child, prefix + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from text_paths(child, prefix + (index,))


TEXT_KEYS = {"lv", "en", "title", "comment", "name", "organisation"}


@st.composite
def text_edits(draw, base):
    """`base` with one to three of its free texts replaced: still valid, unless the text is not
    (blank, too long, NUL)."""
    doc = copy.deepcopy(base)
    paths = list(text_paths(doc))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        *parents, key = draw(st.sampled_from(paths))
        node = doc
        for step in parents:
            node = node[step]
        node[key] = draw(st.one_of(texts, huge_texts))
    return doc


@st.composite
def bank_files(draw):
    """Bytes of a bank: a mutated mini bank (often with a fresh version) mostly, else noise."""
    kind = draw(st.sampled_from(["mutated", "mutated", "texts", "texts", "soup", "bytes"]))
    if kind == "soup":
        return draw(yaml_soup).encode("utf-8")
    if kind == "bytes":
        return draw(st.binary(max_size=500))
    doc = draw(mutations(MINI) if kind == "mutated" else text_edits(MINI))
    if isinstance(doc, dict) and draw(st.booleans()):
        doc = copy.copy(doc)
        doc["version"] = f"{draw(st.integers(min_value=1, max_value=10**6))}.0.0"
    return yaml.safe_dump(doc, allow_unicode=draw(st.booleans())).encode("utf-8")


def _mini_with(**changes) -> bytes:
    doc = copy.deepcopy(MINI)
    doc.update(changes)
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")


@FUZZ
@given(upload_fields(bank_files()))
@example({"file": (io.BytesIO(_mini_with(version="8.0.0")), "valid.yaml")})
@example({"file": (io.BytesIO(_mini_with(version="1.0." + "0" * 40)), "long.yaml")})
@example(
    {
        "file": (
            io.BytesIO(_mini_with(version="9.0.0", title={"lv": "x", "en": "T" * 400})),
            "title.yaml",
        )
    }
)
@example(
    {
        "file": (
            io.BytesIO(_mini_with(version="9.0.1", title={"lv": "x", "en": "a\x00b"})),
            "nul.yaml",
        )
    }
)
@example({"file": (io.BytesIO(b"id: 2020-13-45\n"), "date.yaml")})
@example({"file": (io.BytesIO(b"[" * 1000), "deep.yaml")})
def test_bank_upload(web, fields):
    token = web.login("admin@example.lv")
    with web.app.app_context():
        count = len(db.session.scalars(select(StoredBank.id)).all())
    response = send(
        web.app,
        web.client,
        "POST",
        "/admin/banks",
        data={**fields, "csrf_token": token},
        content_type="multipart/form-data",
    )
    with web.app.app_context():
        added = len(db.session.scalars(select(StoredBank.id)).all()) - count
    assert added == (1 if response.status_code == 302 else 0)
    if response.status_code == 302:
        assert web.client.get("/admin/banks").status_code == 200
        assert web.client.get(f"/organisations/{web.ids['org']}/assessments/new").status_code == 200


# --- the session ended, or the token expired, while typing -------------------------------------

#: Where a questionnaire may be posted: the assessment's own id, one that does not exist, and
#: one of an organisation the user may not see.
TARGETS = ["own", "999999", "other"]


def target_id(web, which: str) -> str:
    if which == "own":
        return str(web.ids["assessment"])
    if which == "other":
        if "other_assessment" not in web.ids:
            from tests.conftest import Factory

            web.ids["other_assessment"] = Factory(web.app).assessment(web.ids["other"])
        return str(web.ids["other_assessment"])
    return which


@FUZZ
@given(
    form_data(answer_fields({})),
    st.sampled_from(TARGETS),
    st.one_of(st.just("values"), segment_strategy()),
    st.sampled_from(["valid", "none", "garbage"]),
)
@example({}, "999999", "values", "none")  # NotFound inside the CSRF error handler: was a 500
def test_questionnaire_post_after_the_session_ended(web, data, target, dimension, token):
    """Anonymous: the answers are kept for after the login (or refused), never a 500."""
    fields = dict(data)
    if token != "none":
        fields["csrf_token"] = csrf_token(web.client, "/login") if token == "valid" else "x"
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{target_id(web, target)}/dimensions/{quote(dimension, safe='')}",
        data=fields,
    )


@FUZZ
@given(
    form_data(answer_fields({})),
    st.sampled_from(TARGETS),
    st.one_of(st.just("values"), segment_strategy()),
    st.sampled_from(["none", "garbage"]),
)
@example({}, "own", "no-such-dimension", "none")  # NotFound in the CSRF handler: was a 500
@example({}, "other", "values", "garbage")
def test_questionnaire_post_with_an_expired_token(web, data, target, dimension, token):
    """Logged in, the token expired: the answers are shown again to confirm (or refused)."""
    web.login("ilze@example.lv")
    fields = dict(data) if token == "none" else {**data, "csrf_token": "expired"}
    send(
        web.app,
        web.client,
        "POST",
        f"/assessments/{target_id(web, target)}/dimensions/{quote(dimension, safe='')}",
        data=fields,
    )
    check_stored_answers(web.app)


def test_too_many_kept_submissions_of_one_user_is_a_429_not_a_500(web):
    """The rescue is rate-limited per user; its refusal is raised inside the CSRF error
    handler."""
    from assessment.extensions import limiter
    from assessment.services.kept import page_value

    limiter.reset()  # a fresh allowance of 30 an hour
    with web.app.test_request_context():
        keep = page_value(web.ids["member"], web.ids["assessment"], "values")
    url = f"/assessments/{web.ids['assessment']}/dimensions/values"
    data = {"q-values.mission-answer": "2", "keep": keep}
    statuses = [web.client.post(url, data=data).status_code for _ in range(30)]
    assert set(statuses) == {302}
    response = send(web.app, web.client, "POST", url, data=data)
    assert response.status_code == 429
    limiter.reset()


# --- addresses ----------------------------------------------------------------------------------

ID_PAGES = [
    "/assessments/{}",
    "/assessments/{}/dimensions/values",
    "/assessments/{}/report",
    "/assessments/{}/export.json",
    "/assessments/{}/respondents",
    "/assessments/{}/workshop",
    "/assessments/{}/compare",
    "/organisations/{}",
    "/organisations/{}/edit",
    "/organisations/{}/import",
    "/r/{}/",
    "/r/{}/values",
    "/r/{}/submit",
    "/assessments/{}/report.docx",
    "/banks/{}/1.0.0/questionnaire.pdf",
    "/banks/lv-customer-service-2013/{}/questionnaire.pdf",
]
SUB_PAGES = [
    "/assessments/{a}/dimensions/{}",
    "/assessments/{a}/workshop/{}",
    "/assessments/{a}/restore/{}",
    "/r/{t}/{}",
]
POSTS = [
    "/assessments/{}/state/completed",
    "/organisations/{}/assign",
    "/assessments/{a}/respondents/{}/revoke",
    "/assessments/{a}/actions/{}",
]


def maybe_real(segment: str) -> bool:
    """A segment that could name something that exists (a small id, a known name), or that
    holds a slash (%2F is a slash to the router: another address, maybe canonicalised: 308)."""
    return (
        (segment.isascii() and segment.isdigit() and int(segment) < 2**31)
        or segment in QIDS
        or segment in DIM_IDS
        or "/" in segment
    )


@FUZZ
@given(segment_strategy())
@example(str(10**30))  # overflowed SQLite's 64-bit integers: was a 500
@example(str(2**63))
@example("a\x00b")  # PostgreSQL refuses NUL in text
def test_ids_and_tokens_in_addresses(web, segment):
    from assessment.services.respondents import create_respondent

    token = web.login("konsultants@example.lv")
    if not hasattr(web, "link"):
        with web.app.app_context():
            _item, web.link = create_respondent(
                db.session.get(Assessment, web.ids["assessment"]), "Anna"
            )
            db.session.commit()
    quoted = quote(segment, safe="")
    a = web.ids["assessment"]
    for template in ID_PAGES + SUB_PAGES:
        url = template.format(quoted, a=a, t=web.link)
        response = send(web.app, web.client, "GET", url)
        assert response.status_code >= 400 or maybe_real(segment), (url, response.status_code)
    for template in POSTS:
        url = template.format(quoted, a=a)
        response = send(web.app, web.client, "POST", url, data={"csrf_token": token})
        assert response.status_code >= 400 or maybe_real(segment), (url, response.status_code)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            ["q", "page", "sort", "dir", "with", "lang", "more", "skip_agreed", "next"]
        ),
        field_values,
        max_size=4,
    )
)
@example({"page": str(10**30)})  # OFFSET beyond 64 bits: was a 500
@example({"page": str(2**62)})
@example({"q": "a\x00b"})
def test_query_strings(web, query):
    web.login("konsultants@example.lv")
    a = web.ids["assessment"]
    for url in (
        "/organisations/",
        "/portfolio",
        f"/assessments/{a}/compare",
        f"/assessments/{a}/report",
        f"/assessments/{a}/dimensions/values",
        f"/assessments/{a}/workshop",
        "/lang/en",
        f"/assessments/{a}/report.docx",
        "/banks/lv-customer-service-2013/1.0.0/questionnaire.pdf",
    ):
        response = send(web.app, web.client, "GET", url, query_string=query)
        if response.status_code in (301, 302, 303):
            location = response.location
            assert location.startswith("/") and not location.startswith("//"), location
