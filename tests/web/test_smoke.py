"""Every page of a logged-in member renders; anonymous users are sent to the login."""

from __future__ import annotations


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
