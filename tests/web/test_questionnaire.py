"""The questionnaire: saving, validation, optimistic locking, and nothing lost on expiry."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AnswerRecord, Assessment, PendingSubmission
from tests.conftest import csrf_token

QS = ["values.mission", "values.co-created"]


@pytest.fixture()
def setup(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    factory.user("anna@example.lv", "member", org)
    assessment_id = factory.assessment(org)
    auth.login("ilze@example.lv")
    return assessment_id


def page(a):
    return f"/assessments/{a}/dimensions/values"


def stored(app, a):
    with app.app_context():
        rows = db.session.scalars(select(AnswerRecord).where(AnswerRecord.assessment_id == a))
        return {
            r.question_id: (
                r.level,
                r.not_applicable,
                r.dont_know,
                r.comment,
                r.evidence,
                r.version,
            )
            for r in rows
        }


def form(client, a, **answers):
    data = {"csrf_token": csrf_token(client, page(a)), "action": "save"}
    data.update(answers)
    return data


def test_questionnaire_shows_each_questions_own_descriptors(client, setup):
    html = client.get(page(setup)).get_data(as_text=True)
    assert html.count('<fieldset id="q-values.') >= 5
    assert html.count('name="q-values.mission-answer"') == 7  # five levels, N/A, don't know
    from assessment.domain.bank import bundled_registry

    question = (
        bundled_registry().get("lv-customer-service-2013", "1.0.0").question("values.mission")
    )
    from markupsafe import escape

    for descriptor in question.levels:
        assert str(escape(descriptor.lv)) in html  # the assessment's language is lv
    assert str(escape(question.text.lv)) in html


def test_save_stores_level_comment_and_evidence(app, client, setup):
    data = form(
        client,
        setup,
        **{
            "q-values.mission-answer": "3",
            "q-values.mission-comment": "Stratēģija <b>apstiprināta</b>",
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "Stratēģija 2025–2027",
            "q-values.mission-ev-0-url": "https://example.lv/s",
            "q-values.mission-ev-0-date": "2026-03-01",
            "q-values.co-created-answer": "na",
        },
    )
    response = client.post(page(setup), data=data)
    assert response.status_code == 302
    rows = stored(app, setup)
    assert rows["values.mission"][:4] == (3, False, False, "Stratēģija <b>apstiprināta</b>")
    assert rows["values.mission"][4] == [
        {"title": "Stratēģija 2025–2027", "url": "https://example.lv/s", "date": "2026-03-01"}
    ]
    assert rows["values.co-created"][1] is True
    html = client.get(page(setup)).get_data(as_text=True)
    assert "Stratēģija &lt;b&gt;apstiprināta&lt;/b&gt;" in html  # escaped, kept
    with app.app_context():
        assert db.session.get(Assessment, setup).state == "in_progress"


def test_save_and_continue_goes_to_next_dimension_and_resume_opens_first_unanswered(client, setup):
    response = client.post(
        page(setup), data=form(client, setup, **{"q-values.mission-answer": "2", "action": "next"})
    )
    assert response.location.endswith(f"/assessments/{setup}/dimensions/leadership?saved=1")
    # "Continue" opens the first question without an answer, not the last page edited.
    assert client.get(f"/assessments/{setup}/resume").location.endswith(
        "/dimensions/values#q-values.co-created"
    )


def test_invalid_evidence_saves_nothing_and_keeps_input(app, client, setup):
    data = form(
        client,
        setup,
        **{
            "q-values.mission-answer": "4",
            "q-values.mission-comment": "a long hour of typing",
            "q-values.mission-evcount": "1",
            "q-values.mission-ev-0-title": "x",
            "q-values.mission-ev-0-url": "javascript:alert(1)",
        },
    )
    response = client.post(page(setup), data=data)
    assert response.status_code == 400
    assert stored(app, setup) == {}
    html = response.get_data(as_text=True)
    assert "a long hour of typing" in html and "http://" in html


def test_unknown_choice_is_refused(app, client, setup):
    response = client.post(
        page(setup), data=form(client, setup, **{"q-values.mission-answer": "7"})
    )
    assert response.status_code == 400 and stored(app, setup) == {}


def test_two_editors_conflict_shows_both_and_overwrites_nothing(app, client, factory, setup):
    token = csrf_token(client, page(setup))
    seen_version = "0"
    # Anna saves first, from another browser.
    other = app.test_client()
    t2 = csrf_token(other, "/login")
    other.post(
        "/login",
        data={"email": "anna@example.lv", "password": "correct horse battery", "csrf_token": t2},
    )
    other.post(
        page(setup),
        data={
            "csrf_token": csrf_token(other, page(setup)),
            "q-values.mission-answer": "1",
            "q-values.mission-comment": "Annas viedoklis",
        },
    )
    # Ilze, who opened the page before, now saves something different.
    response = client.post(
        page(setup),
        data={
            "csrf_token": token,
            "q-values.mission-answer": "4",
            "q-values.mission-version": seen_version,
            "q-values.co-created-answer": "2",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Annas viedoklis" in html and "anna@example.lv" in html
    assert 'value="4" checked' in html  # her own value is still in the form
    rows = stored(app, setup)
    assert rows["values.mission"][0] == 1 and "values.co-created" not in rows  # all or nothing
    # Saving again now (with the current version in the form) replaces deliberately.
    version = re.search(r'name="q-values.mission-version" value="(\d+)"', html).group(1)
    again = client.post(
        page(setup),
        data={
            "csrf_token": token,
            "q-values.mission-answer": "4",
            "q-values.mission-version": version,
        },
    )
    assert again.status_code == 302 and stored(app, setup)["values.mission"][0] == 4


def test_expired_csrf_token_keeps_answers_for_confirmation(app, client, setup):
    response = client.post(
        page(setup),
        data={
            "csrf_token": "expired-token",
            "q-values.mission-answer": "3",
            "q-values.mission-comment": "stundu rakstīts",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "stundu rakstīts" in html and 'value="3" checked' in html
    assert stored(app, setup) == {}
    fresh = csrf_token(client, page(setup))
    confirm = client.post(
        page(setup),
        data={
            "csrf_token": fresh,
            "q-values.mission-answer": "3",
            "q-values.mission-comment": "stundu rakstīts",
        },
    )
    assert confirm.status_code == 302 and stored(app, setup)["values.mission"][0] == 3


def keep_value(client, url):
    """The signed value a questionnaire page carries for keeping answers after its session."""
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="keep" value="([^"]+)"', html).group(1)


def test_expired_session_keeps_answers_until_login(app, client, auth, setup):
    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    with client.session_transaction() as sess:
        sess.clear()
    response = client.post(
        page(setup),
        data={
            "csrf_token": "stale",
            "keep": keep,
            "q-values.mission-answer": "2",
            "q-values.mission-comment": "nekas nepazūd",
        },
    )
    assert response.status_code == 302 and "/login" in response.location
    with app.app_context():
        assert db.session.scalar(select(PendingSubmission.id)) is not None
    next_url = response.location.split("next=", 1)[1]
    from urllib.parse import unquote

    login = auth.login("ilze@example.lv")
    assert login.status_code == 302
    shown = client.get(unquote(next_url))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "nekas nepazūd" in html and 'value="2" checked' in html
    with app.app_context():
        assert db.session.scalar(select(PendingSubmission.id)) is None  # used once
    fresh = csrf_token(client, page(setup))
    client.post(
        page(setup),
        data={
            "csrf_token": fresh,
            "q-values.mission-answer": "2",
            "q-values.mission-comment": "nekas nepazūd",
        },
    )
    assert stored(app, setup)["values.mission"][3] == "nekas nepazūd"


def test_kept_answers_are_not_shown_to_another_organisation(app, client, auth, factory, setup):
    keep = keep_value(client, page(setup))
    client.delete_cookie("session")
    response = client.post(page(setup), data={"q-values.mission-comment": "slepens", "keep": keep})
    next_url = response.location.split("next=", 1)[1]
    other_org = factory.organisation("Cita iestāde")
    factory.user("svesais@example.lv", "member", other_org)
    auth.login("svesais@example.lv")
    from urllib.parse import unquote

    assert client.get(unquote(next_url)).status_code == 404


def test_review_lists_unanswered_and_unsupported_then_complete_locks(app, client, setup):
    client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "4"}))
    html = client.get(f"/assessments/{setup}/review").get_data(as_text=True)
    assert f"/assessments/{setup}/dimensions/values#q-values.mission" in html  # unsupported
    assert "#q-values.co-created" in html  # unanswered
    token = csrf_token(client, f"/assessments/{setup}/review")
    done = client.post(f"/assessments/{setup}/state/completed", data={"csrf_token": token})
    assert done.status_code == 302
    locked = client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "0"}))
    assert locked.status_code == 302
    assert stored(app, setup)["values.mission"][0] == 4
    # a member cannot reopen
    token = csrf_token(client, f"/assessments/{setup}")
    client.post(f"/assessments/{setup}/state/in_progress", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Assessment, setup).state == "completed"


def test_unknown_dimension_is_404(client, setup):
    assert client.get(f"/assessments/{setup}/dimensions/nope").status_code == 404


def test_simultaneous_insert_keeps_the_input(app, client, setup, monkeypatch):
    """Two saves of a new answer in the same instant: the loser sees a 409 with their input."""
    from sqlalchemy.exc import IntegrityError

    from assessment.services import assessments as service

    def collide(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(service, "save_dimension", collide)
    response = client.post(
        page(setup),
        data=form(
            client,
            setup,
            **{"q-values.mission-answer": "3", "q-values.mission-comment": "mans teksts"},
        ),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "mans teksts" in html and 'value="3" checked' in html
    assert stored(app, setup) == {}


def test_database_lost_during_save_writes_nothing(app, client, setup, monkeypatch):
    """The database goes away at the commit: a friendly 503, and nothing half-written after."""
    from sqlalchemy.exc import OperationalError

    data = form(
        client, setup, **{"q-values.mission-answer": "2", "q-values.co-created-answer": "3"}
    )
    real_commit = db.session.commit

    def lost(*args, **kwargs):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", lost)
    response = client.post(page(setup), data=data)
    assert response.status_code == 503
    assert "Traceback" not in response.get_data(as_text=True)
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert stored(app, setup) == {}  # the flushed rows were rolled back
    again = client.post(
        page(setup),
        data=form(
            client, setup, **{"q-values.mission-answer": "2", "q-values.co-created-answer": "3"}
        ),
    )
    assert again.status_code == 302
    assert {k: v[0] for k, v in stored(app, setup).items()} == {
        "values.mission": 2,
        "values.co-created": 3,
    }


def test_change_between_read_and_write_is_caught(app, client, setup):
    """Someone saves after our read but before our UPDATE: the version check stops us."""
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    from assessment.domain.answer_form import typed
    from assessment.services import assessments as service

    client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "1"}))
    with app.app_context():
        assessment = db.session.get(Assessment, setup)
        read = service.answer_rows(assessment)  # our read, version 1
        db.session.execute(
            update(AnswerRecord)
            .where(AnswerRecord.question_id == "values.mission")
            .values(level=2, version=AnswerRecord.version + 1)
        )  # the other person's save
        mine = typed("values.mission", "4", "", [], read["values.mission"].version)
        with pytest.raises(StaleDataError):
            service.save_dimension(assessment, [mine], None, read)
        db.session.rollback()
    assert stored(app, setup)["values.mission"][0] == 1


def test_saving_again_updates_every_changed_answer(app, client, setup):
    """Several changed answers in one save: one batched UPDATE, every row counted."""
    client.post(
        page(setup),
        data=form(
            client,
            setup,
            **{
                "q-values.mission-answer": "1",
                "q-values.co-created-answer": "1",
                "q-values.standard-answer": "1",
            },
        ),
    )
    html = client.get(page(setup)).get_data(as_text=True)
    versions = dict(re.findall(r'name="(q-[^"]+-version)" value="(\d+)"', html))
    response = client.post(
        page(setup),
        data=form(
            client,
            setup,
            **versions,
            **{
                "q-values.mission-answer": "2",
                "q-values.co-created-answer": "3",
                "q-values.standard-answer": "4",
            },
        ),
    )
    assert response.status_code == 302
    rows = stored(app, setup)
    assert [rows[q][0] for q in ("values.mission", "values.co-created", "values.standard")] == [
        2,
        3,
        4,
    ]
    assert {rows[q][5] for q in ("values.mission", "values.co-created", "values.standard")} == {2}


def page_form(client, a) -> dict[str, str]:
    """The questionnaire form as the browser would send it back untouched: every hidden field
    (CSRF token, versions, digests, evidence counts), chosen radios and comments."""
    html = client.get(page(a)).get_data(as_text=True)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update(re.findall(r'name="([^"]+-answer)" value="([^"]+)"\s*checked', html))
    data.update(re.findall(r'name="([^"]+-comment)" rows="2">([^<]*)</textarea>', html))
    data["action"] = "save"
    return data


def login_other(app, email="anna@example.lv"):
    other = app.test_client()
    token = csrf_token(other, "/login")
    assert (
        other.post(
            "/login",
            data={"email": email, "password": "correct horse battery", "csrf_token": token},
        ).status_code
        == 302
    )
    return other


def test_page_carries_a_digest_of_each_shown_answer(app, client, setup):
    from assessment.domain.answer_form import EMPTY_DIGEST
    from assessment.domain.answers import Answer, content_digest

    client.post(
        page(setup),
        data=form(
            client,
            setup,
            **{"q-values.mission-answer": "3", "q-values.mission-comment": "Mūsu misija"},
        ),
    )
    data = page_form(client, setup)
    assert data["q-values.mission-seen"] == content_digest(
        Answer("values.mission", level=3, comment="Mūsu misija")
    )
    assert data["q-values.co-created-seen"] == EMPTY_DIGEST


def test_saving_an_unchanged_page_writes_nothing(app, client, setup):
    client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "2"}))
    before = stored(app, setup)
    response = client.post(page(setup), data=page_form(client, setup))
    assert response.status_code == 302
    assert stored(app, setup) == before  # same content, same versions


def test_question_left_untouched_keeps_the_other_persons_change(app, client, setup):
    """Ilze opens the page, Anna changes question A, Ilze changes only question B and saves:
    no conflict, B is Ilze's, A stays Anna's."""
    client.post(
        page(setup),
        data=form(
            client, setup, **{"q-values.mission-answer": "1", "q-values.co-created-answer": "1"}
        ),
    )
    ilze = page_form(client, setup)  # what Ilze's browser holds
    other = login_other(app)
    anna = page_form(other, setup)
    anna["q-values.mission-answer"] = "4"
    anna["q-values.mission-comment"] = "Annas labojums"
    assert other.post(page(setup), data=anna).status_code == 302
    ilze["q-values.co-created-answer"] = "3"
    response = client.post(page(setup), data=ilze)
    assert response.status_code == 302
    rows = stored(app, setup)
    assert rows["values.mission"][0] == 4 and rows["values.mission"][3] == "Annas labojums"
    assert rows["values.co-created"][0] == 3


def test_both_change_the_same_question_conflict_after_the_unread_write(app, client, setup):
    """Both edit question A from version 1: the second save's version-matched UPDATE finds no
    row, rolls back, reads, and shows the conflict; nothing of the second save is written."""
    client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "1"}))
    ilze = page_form(client, setup)
    other = login_other(app)
    anna = page_form(other, setup)
    anna["q-values.mission-answer"] = "2"
    assert other.post(page(setup), data=anna).status_code == 302
    ilze["q-values.mission-answer"] = "3"
    ilze["q-values.co-created-answer"] = "4"
    response = client.post(page(setup), data=ilze)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "anna@example.lv" in html and 'value="3" checked' in html
    rows = stored(app, setup)
    assert rows["values.mission"][0] == 2 and rows["values.mission"][5] == 2
    assert "values.co-created" not in rows
    # The conflict page holds Anna's version and digest: saving it now keeps Ilze's answer.
    again = page_form_from(html)
    assert client.post(page(setup), data=again).status_code == 302
    assert stored(app, setup)["values.mission"][0] == 3


def page_form_from(html: str) -> dict[str, str]:
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update(re.findall(r'name="([^"]+-answer)" value="([^"]+)"\s*checked', html))
    data["action"] = "save"
    return data


def test_a_forged_digest_only_skips_the_senders_own_change(app, client, setup):
    """The digest is the sender's claim: claiming 'unchanged' for a changed answer only loses
    that change; it never lets a save pass the version check."""
    from assessment.domain.answers import Answer, content_digest

    client.post(page(setup), data=form(client, setup, **{"q-values.mission-answer": "1"}))
    data = page_form(client, setup)
    data["q-values.mission-answer"] = "4"
    data["q-values.mission-seen"] = content_digest(Answer("values.mission", level=4))
    assert client.post(page(setup), data=data).status_code == 302
    assert stored(app, setup)["values.mission"][0] == 1


def test_evidence_values_are_escaped_in_the_filled_in_rows(app, client, setup):
    """Evidence rows come from a cached format string: what a user typed is escaped, and
    braces in it are not taken for placeholders."""
    title = '<script>alert("x")</script> {title} {0}'
    url = "https://example.lv/?a=1&b={n}"
    response = client.post(
        page(setup),
        data=form(
            client,
            setup,
            **{
                "q-values.mission-answer": "3",
                "q-values.mission-evcount": "1",
                "q-values.mission-ev-0-title": title,
                "q-values.mission-ev-0-url": url,
                "q-values.mission-ev-0-date": "2026-02-14",
            },
        ),
    )
    assert response.status_code == 302
    html = client.get(page(setup)).get_data(as_text=True)
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {title} {0}"' in html
    assert 'value="https://example.lv/?a=1&amp;b={n}"' in html
    assert (
        'id="q-values.mission-ev-0-date" name="q-values.mission-ev-0-date" value="2026-02-14"'
        in html
    )
    assert 'id="q-values.mission-ev-1-title"' in html  # the blank row after the stored one


def test_comment_confidence_and_review_note_are_filled_in_escaped(app, client, setup):
    """The comment, confidence and review flag come from a cached format string too: what a
    user typed is escaped, braces stay braces, and exactly their own option is selected."""
    comment = '<img src=x onerror="alert(1)"> {comment} {0}'
    note = 'Pārbaudīt "<b>" & {flag_note}'
    response = client.post(
        page(setup),
        data=form(
            client,
            setup,
            **{
                "q-values.mission-answer": "2",
                "q-values.mission-comment": comment,
                "q-values.mission-confidence": "medium",
                "q-values.mission-flag": "1",
                "q-values.mission-flag-note": note,
            },
        ),
    )
    assert response.status_code == 302
    html = client.get(page(setup)).get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; {comment} {0}</textarea>" in html
    assert 'value="Pārbaudīt &#34;&lt;b&gt;&#34; &amp; {flag_note}" maxlength="20000"' in html
    mission = html[html.index('id="q-values.mission"') :]
    mission = mission[: mission.index("</fieldset>")]
    assert re.findall(r'<option value="(\w*)" selected', mission) == ["medium"]
    assert re.search(
        r'id="q-values.mission-flag" name="q-values.mission-flag" value="1" checked', mission
    )


def test_saved_notice_travels_in_the_address_not_the_session(app, client, setup):
    """A save redirects to ?saved=1 and the page says "Saved."; the session cookie is not
    rewritten for it."""
    response = client.post(
        page(setup), data=form(client, setup, **{"q-values.mission-answer": "2"})
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{setup}/dimensions/values?saved=1")
    assert not any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))
    html = client.get(response.location).get_data(as_text=True)
    assert '<p class="flash success">' in html
    assert '<p class="flash success">' not in client.get(page(setup)).get_data(as_text=True)
    nxt = client.post(page(setup), data={**form(client, setup), "action": "next"})
    assert nxt.location.endswith("/dimensions/leadership?saved=1")


def test_language_switch_after_a_save_does_not_repeat_the_notice(client, setup):
    html = client.get(page(setup) + "?saved=1&more=values.mission").get_data(as_text=True)
    match = re.search(r'href="(/lang/en[^"]*)"', html)
    assert match and "saved" not in match.group(1)
    assert "more%3Dvalues.mission" in match.group(1) or "more=values.mission" in match.group(1)


def test_a_page_sent_twice_saves_once_and_writes_the_rest(app, client, setup):
    """The same page sent again (a double click, a second tab) with one more answer: the answer
    already stored as sent is no conflict and keeps its version; the new one is written, with
    one history entry, and no SAVEPOINT is needed to tell them apart."""
    from assessment.models import AnswerHistory

    first = page_form(client, setup)
    first["q-values.mission-answer"] = "2"
    assert client.post(page(setup), data=first).status_code == 302
    again = dict(first, **{"q-values.co-created-answer": "3"})  # the page as it was shown
    response = client.post(page(setup), data=again)
    assert response.status_code == 302
    rows = stored(app, setup)
    assert rows["values.mission"][0] == 2 and rows["values.mission"][5] == 1
    assert rows["values.co-created"][0] == 3 and rows["values.co-created"][5] == 1
    with app.app_context():
        history = db.session.scalars(
            select(AnswerHistory.question_id).where(AnswerHistory.assessment_id == setup)
        ).all()
    assert sorted(history) == ["values.co-created", "values.mission"]
