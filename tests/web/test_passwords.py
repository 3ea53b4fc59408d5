"""The password policy: 12 characters, no common password, not the e-mail (issue 10, item 7)."""

from __future__ import annotations

import pytest

from tests.conftest import DEFAULT_PASSWORD, csrf_token


@pytest.mark.parametrize(
    "password, problem",
    [
        ("elevenchars", "short"),  # 11
        ("password1234", "common"),  # a common one with digits tacked on
        ("qwertyuiop123", "common"),
        ("Baseball2026!", "common"),
        ("1234567890123", "common"),
        ("aaaaaaaaaaaaaaaa", "common"),
        ("parole123456", "common"),  # Latvian
        ("ilze.kalnina-2026!", "email"),  # the e-mail's name part
        ("Kalnina un vasara", "email"),  # a part of it
        ("x" * 201, "long"),
        ("zaļā upe tek uz jūru", None),
        ("correct horse battery", None),
    ],
)
def test_policy(password, problem):
    from assessment.services.passwords import password_problem

    assert password_problem(password, "ilze.kalnina@example.lv") == problem


def test_shipped_list_is_large_and_holds_the_usual_suspects():
    from assessment.services.passwords import common_passwords

    words = common_passwords()
    assert len(words) >= 10_000
    assert {"123456", "password", "qwerty", "letmein", "parole"} <= words


def test_hash_stays_argon2id(app):
    from assessment.services.users import hash_password

    assert hash_password("zaļā upe tek uz jūru").startswith("$argon2id$")


def test_cli_user_create_refuses_weak_passwords(runner):
    for email, password, words in (
        ("jauns@example.lv", "short pass", "12 characters"),
        ("jauns@example.lv", "password12345", "common"),
        ("ilze.kalnina@example.lv", "ilze.kalnina.2026", "name part"),
    ):
        result = runner.invoke(
            args=["user", "create", email, "--role", "admin"], input=f"{password}\n{password}\n"
        )
        assert result.exit_code == 1, result.output
        assert words in result.output
    ok = runner.invoke(
        args=["user", "create", "jauns@example.lv", "--role", "admin"],
        input="zaļā upe tek uz jūru\nzaļā upe tek uz jūru\n",
    )
    assert ok.exit_code == 0, ok.output


def test_admin_user_form_refuses_a_common_password(client, auth, factory):
    factory.user("admin@example.lv", "admin")
    auth.login("admin@example.lv")
    token = csrf_token(client, "/admin/users")
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "jauns@example.lv",
            "name": "",
            "role": "admin",
            "organisation": "0",
            "password": "football1234",
        },
    )
    assert response.status_code == 400
    assert "visbiežāk lietotajām parolēm" in response.get_data(as_text=True)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "jauns@example.lv",
            "name": "",
            "role": "admin",
            "organisation": "0",
            "password": "jauns-darbinieks-7",
        },
    )
    assert response.status_code == 400
    assert "e-pasta adreses vārda daļa" in response.get_data(as_text=True)


def test_password_change_refuses_short_and_common(client, auth, factory):
    factory.user("ilze@example.lv", "member", factory.organisation())
    auth.login("ilze@example.lv")
    for new, words in (
        ("elevenchars", "Vismaz 12 rakstzīmes"),
        ("trustno1trustno1", "visbiežāk lietotajām parolēm"),
    ):
        token = csrf_token(client, "/password")
        response = client.post(
            "/password",
            data={"csrf_token": token, "current": DEFAULT_PASSWORD, "new": new, "repeat": new},
        )
        assert response.status_code == 400, new
        assert words in response.get_data(as_text=True), new


def test_service_refuses_a_common_new_password(app, factory):
    from assessment.extensions import db
    from assessment.models import User
    from assessment.services.errors import Invalid
    from assessment.services.users import change_password

    uid = factory.user("ilze@example.lv", "member", factory.organisation())
    with app.app_context():
        user = db.session.get(User, uid)
        with pytest.raises(Invalid):
            change_password(user, DEFAULT_PASSWORD, "password123456")
