"""End-to-end fixtures: the app served as in production on 127.0.0.1, Debian's Chromium.

The server is the real WSGI app (not TESTING: errors render the friendly pages) in a background
thread (werkzeug, threaded) on a free loopback port, with its own database: a fresh SQLite file,
or TEST_DATABASE_URL. Data is created through the service layer with unique names, so tests never
depend on each other.

Journeys are written against small helpers (`Keys` for keyboard-only driving, `Seed` for data,
`live.url()` for addresses) so the respondent-link and workshop journeys can be added as more
functions parametrized over `LANGS` in test_journeys.py.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from assessment import create_app
from assessment.extensions import db
from tests.conftest import DEFAULT_PASSWORD, Factory

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))  # Debian's package
LANGS = ("lv", "en")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# --- Chromium: present, or skipped with a reason (never in CI) -------------------------------


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    """Skip where Debian's Chromium is missing; in CI (env CI set) that is a failure instead."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    reason = (
        f"{CHROMIUM} is missing: install Debian's chromium package "
        "(apt-get install -y chromium) to run the browser tests"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, browser tests must run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches /usr/bin/chromium headless (no `playwright install`)."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live):
    """Every page talks to the live server; relative URLs work in page.goto().

    (Also replaces pytest-playwright's fallback fixture, a method that pytest 9 deprecates.)
    """
    return live.base


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Latvian browser that accepts downloads."""
    return {**browser_context_args, "locale": "lv-LV", "accept_downloads": True}


@pytest.fixture()
def page(page):
    """The pytest-playwright page. Every wait is for a condition; the limits are generous so
    that a machine with both cores busy still passes (a failure then still ends in a minute)."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(45_000)
    return page


# --- the live server --------------------------------------------------------------------------


@dataclass
class Live:
    """The app and where it listens."""

    app: object
    base: str

    def url(self, path: str) -> str:
        """An absolute address on the live server."""
        return self.base + path


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The production app (no TESTING) in a thread on a free loopback port."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("e2e") / "e2e.db")
    )
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            # Limits stay on, as in production, but loose enough for many logins from 127.0.0.1.
            # (Not RATELIMIT_ENABLED: Flask-Limiter keeps that switch on its one shared object,
            # so it would also switch limits off for the other apps of the test session.)
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        from assessment.commands import init_database

        init_database()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


# --- data -------------------------------------------------------------------------------------


class Seed(Factory):
    """The test factories, bound to the live app, with unique names (tests share a database)."""

    password = DEFAULT_PASSWORD

    @staticmethod
    def unique(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:8]}"

    def member(self, org_name: str | None = None) -> tuple[int, str]:
        """A new organisation and a member of it: (organisation id, email)."""
        org = self.organisation(org_name or self.unique("Iestāde „Tests”"))
        email = self.unique("member") + "@example.lv"
        self.user(email, "member", org)
        return org, email

    def answer_all(self, assessment_id: int, evidence: bool = True) -> None:
        """Answer every question of the assessment (levels cycle 0..4, evidence on 3 and 4); an
        indicator question gets the figure on the threshold of that level (its level follows)."""
        from assessment.domain.qtypes.indicator import level_of
        from assessment.models import AnswerRecord, Assessment
        from assessment.services.banks import get_bank

        with self.app.app_context():
            item = db.session.get(Assessment, assessment_id)
            bank = get_bank(item.bank_id, item.bank_version)
            for i, q in enumerate(bank.questions):
                level, value, period = i % 5, None, None
                if q.type == "indicator":
                    t = q.details.thresholds
                    value = t[level - 1] if level else t[0] - (t[1] - t[0])
                    level, period = level_of(q.details, value), "2026"
                db.session.add(
                    AnswerRecord(
                        assessment_id=item.id,
                        question_id=q.id,
                        level=level,
                        value=value,
                        period=period,
                        comment=f"Komentārs {i} – ā č ē ģ ī ķ ļ ņ š ū ž",
                        evidence=[
                            {
                                "title": "Iekšējie noteikumi Nr. 12",
                                "url": "https://example.lv/standarts",
                                "date": "2026-02-14",
                            }
                        ]
                        if evidence and level >= 3
                        else [],
                    )
                )
            item.state = "in_progress"
            db.session.commit()

    def query(self, fn):
        """Run fn() inside the live app's context (for assertions on stored rows)."""
        with self.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    # --- guided assessments (issue 5): consultants, respondents, consensus answers ------------

    def consultant(self, *org_ids: int) -> tuple[int, str]:
        """A new consultant assigned to the organisations: (user id, email)."""
        from assessment.models import Organisation, User
        from assessment.services.organisations import assign_consultant

        email = self.unique("konsultants") + "@example.lv"
        user_id = self.user(email, "consultant", org_ids[0] if org_ids else None)
        with self.app.app_context():
            user = db.session.get(User, user_id)
            for org_id in org_ids[1:]:
                assign_consultant(db.session.get(Organisation, org_id), user)
            db.session.commit()
        return user_id, email

    def respondent(
        self,
        assessment_id: int,
        name: str,
        answers: dict[str, tuple[str, str]] | None = None,
        *,
        submit: bool = False,
        revoke: bool = False,
    ) -> tuple[int, str]:
        """A respondent invited through the service: (respondent id, link token).

        `answers` maps question ids to (choice, comment), choice "0"–"4", "na" or "dk"; they
        are saved as the respondent would, then optionally submitted and the link revoked.
        """
        from assessment.domain.answer_form import typed
        from assessment.models import Assessment
        from assessment.services import respondents as rservice

        with self.app.app_context():
            item = db.session.get(Assessment, assessment_id)
            person, token = rservice.create_respondent(item, name)
            if answers:
                rservice.save_respondent_answers(
                    person,
                    [
                        typed(qid, choice, comment, [], 0)
                        for qid, (choice, comment) in answers.items()
                    ],
                )
            if submit:
                rservice.submit(person)
            if revoke:
                rservice.revoke(person)
            db.session.commit()
            return person.id, token

    def consensus(
        self, assessment_id: int, user_id: int, answers: dict[str, tuple[str, str]]
    ) -> None:
        """Agreed answers set by `user_id`, as the workshop stores them: {qid: (choice, note)}."""
        from assessment.domain.answer_form import typed
        from assessment.models import Assessment, User
        from assessment.services.assessments import save_dimension

        with self.app.app_context():
            item = db.session.get(Assessment, assessment_id)
            user = db.session.get(User, user_id)
            conflicts = save_dimension(
                item,
                [typed(qid, choice, note, [], 0) for qid, (choice, note) in answers.items()],
                user,
            )
            assert not conflicts
            db.session.commit()

    def question_ids(self, assessment_id: int) -> list[str]:
        """The assessment's questions in bank order."""
        from assessment.models import Assessment
        from assessment.services.banks import get_bank

        with self.app.app_context():
            item = db.session.get(Assessment, assessment_id)
            return [q.id for q in get_bank(item.bank_id, item.bank_version).questions]


@pytest.fixture()
def seed(live):
    """Factories for the live server's database."""
    return Seed(live.app)


# --- keyboard-only driving --------------------------------------------------------------------


class Keys:
    """Drive a page with the keyboard alone: Tab to an element, then keys and typing.

    `tab_to` presses Tab (and nothing else) until the focused element matches a CSS selector,
    so a test also proves the element is reachable in the tab order.
    """

    def __init__(self, page, limit: int = 250):
        self.page = page
        self.limit = limit

    def focused(self, selector: str) -> bool:
        return self.page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    def tab_to(self, selector: str, *, backwards: bool = False) -> None:
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(self.limit):
            self.page.keyboard.press(key)
            if self.focused(selector):
                return
        raise AssertionError(f"{key} never reached {selector!r} on {self.page.url}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def activate(self, selector: str, url_pattern: str | re.Pattern, key: str = "Enter"):
        """Tab to a link or button, press Enter; wait for the new page; return its response."""
        self.tab_to(selector)
        pattern = re.compile(url_pattern) if isinstance(url_pattern, str) else url_pattern
        # The navigation too, not only its response: a page that redirects to its own address
        # would otherwise be "there" before the new document replaced the old one.
        with (
            self.page.expect_navigation(wait_until="domcontentloaded"),
            self.page.expect_response(
                lambda r: (
                    r.request.is_navigation_request()
                    and r.status < 300
                    and bool(pattern.search(r.url))
                )
            ) as info,
        ):
            self.page.keyboard.press(key)
        response = info.value
        # The response is in; wait until the page has committed to it and parsed it.
        # (A redirect may carry an anchor, "Continue" does: the response's address has none.)
        self.page.wait_for_url(
            lambda url: url.split("#")[0] == response.url.split("#")[0],
            wait_until="domcontentloaded",
        )
        return response


@pytest.fixture()
def keys(page):
    """Keyboard-only helpers for `page`."""
    return Keys(page)


def login(page, keys: Keys, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through the form by keyboard; lands on the dashboard."""
    page.goto("/login")
    keys.type_into("#email", email)
    keys.type_into("#password", password)
    keys.activate("form.narrow button[type=submit]", r"/$")


def pick(page, keys: Keys, name: str, value: str, order: tuple[str, ...]) -> None:
    """Tab into a radio group and choose `value` with Space and the arrow keys alone.

    Tab lands on the checked radio (or the first one when none is checked); Space checks it,
    then ArrowDown / ArrowUp move the choice. `order` is the radios' order on the page.
    """
    keys.tab_to(f'input[type=radio][name="{name}"]')
    current = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("Space")
    steps = order.index(value) - order.index(current)
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    checked = page.evaluate(
        "n => (document.querySelector(`input[name='${n}']:checked`) || {}).value", name
    )
    assert checked == value, f"{name}: the keyboard chose {checked!r}, wanted {value!r}"


def press_for_page(page, key: str, url_pattern: str | re.Pattern):
    """Press a key that makes the page navigate (a script's shortcut); wait for the new page.

    The shortcut is a deferred script's: the page must have finished loading (its `load` event
    comes after every deferred script ran) before the key can do anything."""
    pattern = re.compile(url_pattern) if isinstance(url_pattern, str) else url_pattern
    page.wait_for_load_state("load")
    with page.expect_response(
        lambda r: (
            r.request.is_navigation_request() and r.status < 300 and bool(pattern.search(r.url))
        )
    ) as info:
        page.keyboard.press(key)
    response = info.value
    page.wait_for_url(
        lambda url: url.split("#")[0] == response.url.split("#")[0], wait_until="domcontentloaded"
    )
    return response
