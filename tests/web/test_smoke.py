"""Every page of a logged-in member renders; anonymous users are sent to the login."""

from __future__ import annotations

from tests.conftest import Auth, csrf_token


def test_pages_render_for_a_member(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    a = factory.assessment(org)
    assert auth.login("ilze@example.lv").status_code == 302
    for url in [
        "/",
        "/organisations/",
        f"/organisations/{org}",
        f"/assessments/{a}",
        f"/assessments/{a}/dimensions/values",
        f"/assessments/{a}/review",
        f"/assessments/{a}/export.json",
        f"/assessments/{a}/export.csv",
        f"/organisations/{org}/assessments/new",
        f"/organisations/{org}/import",
        "/password",
        "/accessibility",
        "/healthz",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_anonymous_is_sent_to_login(client, factory):
    org = factory.organisation()
    a = factory.assessment(org)
    response = client.get(f"/assessments/{a}")
    assert response.status_code == 302 and "/login" in response.location


def test_menu_links_follow_the_mount_point(client, auth, factory):
    """The menu's addresses are built once per mount point: an app served under a prefix
    (SCRIPT_NAME) links under it, and the same app without the prefix links without it."""
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    assert auth.login("ilze@example.lv").status_code == 302
    plain = client.get("/accessibility").get_data(as_text=True)
    assert 'href="/organisations/"' in plain and 'href="/static/app.css"' in plain
    mounted = client.get("/accessibility", base_url="http://localhost/pakalpojumi")
    html = mounted.get_data(as_text=True)
    assert 'href="/pakalpojumi/organisations/"' in html
    assert 'href="/pakalpojumi/static/app.css"' in html
    assert 'href="/organisations/"' in client.get("/accessibility").get_data(as_text=True)
    # the language switch too (its addresses are kept per mount point and page)
    assert 'href="/pakalpojumi/lang/en?next=/accessibility"' in html
    assert 'href="/lang/en?next=/accessibility"' in plain
    again = client.get("/accessibility", base_url="http://localhost/pakalpojumi")
    assert 'href="/pakalpojumi/lang/en?next=/accessibility"' in again.get_data(as_text=True)


def _menu(html: str) -> str:
    return html[html.index('<header class="site">') : html.index("</header>")]


def test_the_menu_rendered_once_is_each_users_own(app, client, auth, factory):
    """The menu is rendered once per language, mount point and role (web/question_markup.py):
    each role still sees its own links, each language its own words, and each session's logout
    form carries that session's CSRF token, which logs out."""
    org = factory.organisation()
    factory.user("admin@example.lv", "admin")
    factory.user("ilze@example.lv", "member", org)
    factory.user("vera@example.lv", "consultant")
    assert auth.login("admin@example.lv").status_code == 302
    others = {}
    for email in ("ilze@example.lv", "vera@example.lv"):
        other = others[email] = app.test_client()
        assert Auth(other).login(email).status_code == 302
    admin_menu = _menu(client.get("/").get_data(as_text=True))
    member_menu = _menu(others["ilze@example.lv"].get("/").get_data(as_text=True))
    consultant_menu = _menu(others["vera@example.lv"].get("/").get_data(as_text=True))
    assert 'href="/admin/users"' in admin_menu and "Portfelis" in admin_menu
    assert 'href="/admin/users"' not in member_menu and "Portfelis" not in member_menu
    assert 'href="/admin/users"' not in consultant_menu and "Portfelis" in consultant_menu
    assert "Sākumlapa" in member_menu and "Iziet" in member_menu
    # another language for one user, the first language still for the others
    others["ilze@example.lv"].get("/lang/en?next=/")
    english = _menu(others["ilze@example.lv"].get("/").get_data(as_text=True))
    assert "Dashboard" in english and "Log out" in english and "Sākumlapa" not in english
    assert "Sākumlapa" in _menu(client.get("/").get_data(as_text=True))
    # each session's own token, and it logs that session out (and no other)
    tokens = {
        email: csrf_token(c, "/") for email, c in [("admin@example.lv", client), *others.items()]
    }
    assert len(set(tokens.values())) == 3
    for email, c in others.items():
        assert tokens[email] in _menu(c.get("/").get_data(as_text=True))
    out = others["ilze@example.lv"].post("/logout", data={"csrf_token": tokens["ilze@example.lv"]})
    assert out.status_code in (302, 303)
    assert others["ilze@example.lv"].get("/").status_code == 302
    assert client.get("/").status_code == 200
    # nobody logged in: no menu of links and no logout form
    anonymous = _menu(others["ilze@example.lv"].get("/login").get_data(as_text=True))
    assert "/logout" not in anonymous and 'href="/organisations/"' not in anonymous


def test_the_footer_follows_the_language(client, auth, factory):
    org = factory.organisation()
    factory.user("ilze@example.lv", "member", org)
    assert auth.login("ilze@example.lv").status_code == 302
    html = client.get("/accessibility").get_data(as_text=True)
    footer = html[html.index('<footer class="site">') :]
    assert 'href="/accessibility"' in footer and "Accessibility statement" not in footer
    client.get("/lang/en?next=/")
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Accessibility statement" in html[html.index('<footer class="site">') :]
