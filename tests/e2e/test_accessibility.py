"""axe-core on every page type, in both languages: no serious or critical violation (issue 6, 2).

Respondent and workshop pages join PAGES when assessment/respondents/ lands: add a name and a
function that opens the page, and give it the data it needs in `site`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import LANGS, Seed, login

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")


@dataclass
class Site:
    """What the pages under test show: one member's organisation and two assessments."""

    email: str
    org: int
    draft: int  # partly answered, with evidence: questionnaire, review, overview
    complete: int  # fully answered and completed: the report
    state: dict  # the logged-in browser state (cookies), reused by every test


@pytest.fixture(scope="module")
def site(live, browser):
    seed = Seed(live.app)
    org, email = seed.member()
    draft = seed.assessment(org, title="Pašnovērtējums 2026 (melnraksts)")
    seed.answer_all(draft)
    complete = seed.assessment(org, title="Pašnovērtējums 2025")
    seed.answer_all(complete)
    _complete(seed, complete)
    _unanswer_half(seed, draft)
    context = browser.new_context(base_url=live.base)
    try:
        page = context.new_page()
        login(page, _Filler(page), email)
        state = context.storage_state()
    finally:
        context.close()
    return Site(email, org, draft, complete, state)


class _Filler:
    """Login by filling fields (the keyboard journey is tested elsewhere)."""

    def __init__(self, page):
        self.page = page

    def type_into(self, selector, text):
        self.page.fill(selector, text)

    def activate(self, selector, _pattern):
        with self.page.expect_navigation():
            self.page.click(selector)


def _complete(seed: Seed, assessment_id: int) -> None:
    from assessment.extensions import db
    from assessment.models import Assessment

    def run():
        db.session.get(Assessment, assessment_id).state = "completed"
        db.session.commit()

    seed.query(run)


def _unanswer_half(seed: Seed, assessment_id: int) -> None:
    """Leave the last dimension unanswered, so the review lists questions with links."""
    from sqlalchemy import delete

    from assessment.extensions import db
    from assessment.models import AnswerRecord

    def run():
        db.session.execute(
            delete(AnswerRecord).where(
                AnswerRecord.assessment_id == assessment_id,
                AnswerRecord.question_id.like("evidence.%"),
            )
        )
        db.session.commit()

    seed.query(run)


def _questionnaire_with_errors(page, s: Site):
    """A save refused: the error messages are part of the page type."""
    page.goto(f"/assessments/{s.draft}/dimensions/values")
    first = page.locator("form.questionnaire fieldset.question").first
    first.locator("details.evidence > summary").click()
    first.locator('input[type="url"]').first.fill("not a link")
    with page.expect_navigation() as nav:
        page.click("form.questionnaire .buttons button[name=action][value=save]")
    return nav.value


def _with_table(page, path: str):
    """A page whose figures are shown (a table), not only its empty state."""
    response = page.goto(path)
    assert page.locator("main table").count() >= 1, f"{path} shows no table"
    return response


def _invite_with_link(page, s: Site):
    """A respondent just invited: the page shows the private link once."""
    page.goto(f"/assessments/{s.guided.assessment}/respondents")
    page.fill("#people", "Ilze Kalniņa, ilze@example.lv\nJānis Ozols")
    with page.expect_navigation() as nav:
        page.click("main form[action$='/respondents'] button[type=submit]")
    assert page.locator("#new-links input.link-field").count() == 2
    return nav.value


def _invite_with_errors(page, s: Site):
    """Invitations refused line by line: the messages are part of the page type."""
    page.goto(f"/assessments/{s.guided.assessment}/respondents")
    page.fill("#people", "Ilze Kalniņa, nav-adrese\n, x@example.lv")
    with page.expect_navigation() as nav:
        page.click("main form[action$='/respondents'] button[type=submit]")
    return nav.value


PAGES = {
    "login": lambda page, s: page.goto("/login"),
    "dashboard": lambda page, s: page.goto("/"),
    "organisations": lambda page, s: page.goto("/organisations/"),
    "organisation": lambda page, s: page.goto(f"/organisations/{s.org}"),
    "new-assessment": lambda page, s: page.goto(f"/organisations/{s.org}/assessments/new"),
    "overview": lambda page, s: page.goto(f"/assessments/{s.draft}"),
    "questionnaire": lambda page, s: page.goto(f"/assessments/{s.draft}/dimensions/values"),
    "questionnaire-errors": _questionnaire_with_errors,
    "review": lambda page, s: page.goto(f"/assessments/{s.draft}/review"),
    "report": lambda page, s: page.goto(f"/assessments/{s.complete}/report"),
    "accessibility": lambda page, s: page.goto("/accessibility"),
    "not-found": lambda page, s: page.goto("/no-such-page"),
    # Guided assessments (issue 5): data in `guided` below, shown as s.guided.
    "respondent-start": lambda page, s: page.goto(f"/r/{s.guided.token}/"),
    "respondent-questionnaire": lambda page, s: page.goto(f"/r/{s.guided.token}/values"),
    "respondent-submit": lambda page, s: page.goto(f"/r/{s.guided.token}/submit"),
    "respondent-revoked": lambda page, s: page.goto(f"/r/{s.guided.revoked}/"),
    "invite": lambda page, s: page.goto(f"/assessments/{s.guided.assessment}/respondents"),
    "invite-link": _invite_with_link,
    "invite-errors": lambda page, s: _invite_with_errors(page, s),
    "fresh-link": lambda page, s: page.goto(
        f"/assessments/{s.guided.assessment}/respondents/{s.guided.started}/fresh-link"
    ),
    "revoke-confirm": lambda page, s: page.goto(
        f"/assessments/{s.guided.assessment}/respondents/{s.guided.started}/revoke"
    ),
    "questionnaire-respondents": lambda page, s: page.goto(
        f"/assessments/{s.guided.assessment}/dimensions/values"
    ),
    "review-respondents": lambda page, s: page.goto(f"/assessments/{s.guided.assessment}/review"),
    "disagreements": lambda page, s: page.goto(f"/assessments/{s.guided.assessment}/disagreements"),
    "workshop": lambda page, s: page.goto(
        f"/assessments/{s.guided.assessment}/workshop/{s.guided.question}"
    ),
    "portfolio": lambda page, s: _with_table(page, "/portfolio"),
    "benchmark": lambda page, s: _with_table(page, f"/assessments/{s.complete}/benchmark"),
    "compare": lambda page, s: _with_table(
        page, f"/assessments/{s.complete}/compare?with={s.draft}"
    ),
    # The customer service standard (issue 14): data in `standard_pages` below.
    "standard": lambda page, s: page.goto(f"/organisations/{s.org}/standard"),
    "standard-section": lambda page, s: page.goto(
        f"/organisations/{s.org}/standard/versions/2/sections/channels"
    ),
    "standard-section-errors": lambda page, s: _standard_section_with_errors(page, s),
    "standard-diff": lambda page, s: page.goto(f"/organisations/{s.org}/standard/diff?from=1&to=2"),
    "standard-public": lambda page, s: page.goto(f"/standards/{s.standard_slug}"),
    # Accountable answers (issue 16).
    "privacy": lambda page, s: page.goto("/privacy"),
    "history": lambda page, s: page.goto(f"/assessments/{s.draft}/history"),
    "activity": lambda page, s: page.goto(f"/assessments/{s.guided.assessment}/activity"),
    # The JSON API (issue 15, item 5): the token page with a token just made, and the docs.
    "api-tokens": lambda page, s: _token_created(page),
    "api-docs": lambda page, s: page.goto("/api/v1/docs"),
}
ANONYMOUS = {
    "login",
    "respondent-start",
    "respondent-questionnaire",
    "respondent-submit",
    "respondent-revoked",
}
ANONYMOUS |= {"standard-public", "privacy"}
CONSULTANT = {"portfolio", "activity"}  # seen in the logged-in browser with a consultant's session
EXPECTED_STATUS = {
    "not-found": 404,
    "questionnaire-errors": 400,
    "respondent-revoked": 410,
    "invite-errors": 400,
    "standard-section-errors": 400,
}


def _token_created(page):
    """A token just created: the page shows it once, and the list of tokens."""
    page.goto("/account/tokens")
    page.fill("#name", "Rindu sistēma")
    with page.expect_navigation() as nav:
        page.click("main form.narrow button.primary")
    assert page.locator("#new-token").count() == 1
    assert page.locator("main table").count() == 1
    return nav.value


def _standard_section_with_errors(page, s: Site):
    """A channel with an impossible time: the error summary and messages are part of the page."""
    page.goto(f"/organisations/{s.org}/standard/versions/2/sections/channels")
    page.fill("#ch-0-hours", "8:30–25:00")
    with page.expect_navigation() as nav:
        page.click("main form.standard-form button.primary")
    return nav.value


@pytest.fixture(scope="module", autouse=True)
def standard_pages(live, site):
    """The member's organisation gets a standard: version 1 approved and published, version 2 a
    draft with suggestions from the completed assessment; its public address as
    site.standard_slug."""
    import datetime as dt

    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import Organisation, User
    from assessment.services import standards as service

    def run():
        user = db.session.scalar(select(User).where(User.email == site.email))
        standard = service.create_standard(db.session.get(Organisation, site.org), "lv", user)
        v1 = standard.versions[0]
        v1.content = {
            **v1.content,
            "scope": {"kind": "institution", "names": [], "clients": ["Iedzīvotāji"], "note": ""},
            "norms": [{"text": "Laipni sveicināt katru klientu.", "key": ""}],
            "channels": [
                {
                    "kind": "in_person",
                    "name": "Klientu centrs",
                    "address": "Brīvības iela 1, Rīga",
                    "hours": "P.–Pk. 8:30–17:00",
                }
            ],
            "indicators": [
                {
                    "channel": "Visi kanāli",
                    "indicator": "Apmierinātība",
                    "target": "vismaz 4",
                    "unit": "balles",
                    "data_source": "Aptaujas",
                    "key": "",
                }
            ],
        }
        service.approve(v1, "Direktore", "1-1/42", dt.date(2026, 12, 1), user)
        service.publish(standard, user, True)
        v2 = service.new_version(standard, user)
        v2.content = {
            **v2.content,
            "norms": v2.content["norms"]
            + [{"text": "Atbildēt uz e-pastu 2 darbdienu laikā.", "key": ""}],
        }
        db.session.commit()
        return standard.public_slug

    site.standard_slug = Seed(live.app).query(run)
    return site.standard_slug


@dataclass
class Guided:
    """Guided-assessment pages' data (issue 5), in the member's organisation."""

    assessment: int  # three submitted respondents who disagree, one agreed answer
    question: str  # a disagreement with respondents' comments and an agreed answer
    token: str  # the link of a respondent who has started answering
    revoked: str  # a withdrawn link: the 410 page
    consultant: dict  # a consultant's logged-in browser state (the portfolio)
    started: int = 0  # the id of the respondent who has started (fresh link, withdrawal)


@pytest.fixture(scope="module", autouse=True)
def guided(live, browser, site):
    """Respondents, disagreements, peers for the benchmark and a consultant; as site.guided."""
    seed = Seed(live.app)
    assessment = seed.assessment(site.org, title="Darbinieku aptauja 2026")
    qids = seed.question_ids(assessment)
    said = (("1", "4", "na"), ("3", "3", "dk"), ("0", "2", "4"))  # per question, modulo 3
    for person, name in enumerate(("Anna Bērziņa", "Jānis Ozoliņš", "Līga Kalniņa")):
        seed.respondent(
            assessment,
            name,
            {
                qid: (said[i % 3][person], f"Komentārs: {name} par {qid}" if i % 3 != 1 else "")
                for i, qid in enumerate(qids)
            },
            submit=True,
        )
    started, token = seed.respondent(assessment, "Dace Liepa", {qid: ("2", "") for qid in qids[:4]})
    _revoked, revoked = seed.respondent(assessment, "Ēriks Zariņš", revoke=True)
    peers = []
    for _ in range(5):  # the benchmark is shown from five organisations on
        org = seed.organisation(seed.unique("Salīdzināmā iestāde"))
        peer = seed.assessment(org, title="Pašnovērtējums 2025")
        seed.answer_all(peer)
        _complete(seed, peer)
        peers.append(org)
    consultant_id, email = seed.consultant(site.org, *peers)
    seed.consensus(assessment, consultant_id, {qids[0]: ("3", "Vienojāmies sanāksmē.")})
    context = browser.new_context(base_url=live.base)
    try:
        page = context.new_page()
        login(page, _Filler(page), email)
        state = context.storage_state()
    finally:
        context.close()
    site.guided = Guided(assessment, qids[0], token, revoked, state, started)
    return site.guided


@pytest.fixture(autouse=True)
def _as_consultant(request):
    """For a CONSULTANT page, the logged-in browser holds the consultant's session during the
    test; the member's session is put back afterwards."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or callspec.params.get("name") not in CONSULTANT:
        yield
        return
    lang = callspec.params["lang"]
    page = request.getfixturevalue("browsers")(lang, False)
    context = page.context
    member = context.cookies()
    context.clear_cookies()
    context.add_cookies(request.getfixturevalue("guided").consultant["cookies"])
    page.goto(f"/lang/{lang}?next=/accessibility")
    try:
        yield
    finally:
        context.clear_cookies()
        context.add_cookies(member)


def describe(violations: list[dict]) -> str:
    """axe's violations as text a person can act on."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n  {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def browsers(browser, live, site):
    """One browser context per (language, logged in?), opened once for the module."""
    contexts: dict[tuple[str, bool], object] = {}

    def get(lang: str, anonymous: bool):
        key = (lang, anonymous)
        if key not in contexts:
            context = browser.new_context(
                base_url=live.base, locale="lv-LV", storage_state=None if anonymous else site.state
            )
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.goto(f"/lang/{lang}?next=/accessibility")
            contexts[key] = context
        return contexts[key].pages[0]

    yield get
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_violations(browsers, site, axe, name, lang):
    page = browsers(lang, name in ANONYMOUS)
    response = PAGES[name](page, site)
    status = response.status
    assert status == EXPECTED_STATUS.get(name, 200), f"{name}: HTTP {status} at {page.url}"
    assert page.locator("html").get_attribute("lang") == lang
    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, (
        f"{name} ({lang}, {page.url}): {len(blocking)} serious or critical "
        f"accessibility violations:\n{describe(blocking)}"
    )


# --- issue 13: screens looked at in a browser -----------------------------------------------------

SHOTS = os.environ.get("SCREENSHOT_DIR")  # set to save the screenshots (docs/screenshots)


@pytest.mark.parametrize("width", [1280, 390])
def test_disagreement_matrix_fits_without_sideways_scrolling(browser, live, site, width, tmp_path):
    """Issue 13, item 9: the respondents × questions matrix on one screen; at 390 px nothing
    scrolls sideways, and every question's details open from the matrix."""
    context = browser.new_context(
        base_url=live.base, storage_state=site.state, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"/assessments/{site.guided.assessment}/disagreements")
        matrix = page.locator("table.spread-matrix")
        assert matrix.is_visible()
        assert matrix.locator("tbody tr.flagged").count() >= 1
        assert matrix.locator("thead th").count() == 3 + 2  # question, 3 respondents, spread
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px sideways scrolling at {width}px"
        details = page.locator("details.spread-item").first
        assert details.get_attribute("open") is None
        details.locator(":scope > summary").click()  # its own, not a nested one
        assert details.locator("table.distribution").is_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px sideways scrolling at {width}px, details open"
        cell = matrix.locator("tbody tr").first.locator("td").nth(1)  # the second respondent
        first = matrix.locator("tbody tr").first.locator("td").first
        assert cell.bounding_box()["x"] > first.bounding_box()["x"]  # side by side
        details.locator(":scope > summary").click()  # its own, not a nested history one
        page.evaluate("window.scrollTo(0, 0)")
        path = os.path.join(SHOTS or str(tmp_path), f"disagreements-{width}.png")
        page.screenshot(path=path, full_page=False)
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)])
def test_workshop_reads_from_the_back_of_the_room(browser, live, site, size, tmp_path):
    """Issue 13, item 10: no site header, the question in large type, the bar chart and the
    shortcuts on the first screen; the number keys choose the agreed level."""
    width, height = size
    context = browser.new_context(
        base_url=live.base, storage_state=site.state, viewport={"width": width, "height": height}
    )
    try:
        page = context.new_page()
        page.goto(f"/assessments/{site.guided.assessment}/workshop/{site.guided.question}")
        assert page.locator("header.site").count() == 0
        assert page.locator("nav[aria-label]").filter(has_text="Dashboard").count() == 0
        title = page.locator(".workshop h1")
        size_px = float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size_px >= 30, size_px
        chart = page.locator(".workshop-chart svg")
        assert chart.is_visible() and chart.bounding_box()["y"] < height * 1.5
        assert page.locator(".shortcuts kbd").first.is_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        page.locator("body").click(position={"x": 5, "y": height - 5})
        page.keyboard.press("2")
        assert page.locator("#agreed-2").is_checked()
        page.evaluate("window.scrollTo(0, 0)")
        path = os.path.join(SHOTS or str(tmp_path), f"workshop-{width}x{height}.png")
        page.screenshot(path=path)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_and_overview_at_desk_and_phone_width(browser, live, site, width, tmp_path):
    """Issue 13, item 6: the dashboard's cards (progress bar, maturity, largest gap, next step),
    the overview's one primary action, and a site header on one line at 1280 px."""
    context = browser.new_context(
        base_url=live.base, storage_state=site.state, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto("/")
        cards = page.locator("ul.cards li.card")
        assert cards.count() >= 1
        assert cards.first.locator("progress").is_visible()
        assert cards.first.locator("a.button.primary").is_visible()
        if width == 1280:
            links = page.locator("header.site nav[aria-label] li")
            tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
            assert len(tops) == 1, f"the header wraps onto {len(tops)} lines"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        page.screenshot(path=os.path.join(SHOTS or str(tmp_path), f"dashboard-{width}.png"))
        page.goto(f"/assessments/{site.draft}")
        assert page.locator("main a.button.primary").count() == 1
        assert page.locator(".action-groups section").count() == 4
        page.screenshot(path=os.path.join(SHOTS or str(tmp_path), f"overview-{width}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("code", ["lv", "en"])
def test_the_longest_header_stays_on_one_line_at_1280(browser, live, code):
    """Issue 13, item 6: an admin's header (the most menu entries) in either language keeps
    the name, the menu and the language switch on one line at 1280 px, with nothing cut off."""
    seed = Seed(live.app)
    email = seed.unique("admin") + "@example.lv"
    seed.user(email, "admin")
    context = browser.new_context(base_url=live.base, viewport={"width": 1280, "height": 700})
    try:
        page = context.new_page()
        login(page, _Filler(page), email)
        page.goto(f"/lang/{code}?next=/")
        parts = page.locator("header.site .brand, header.site nav li, header.site .langs a")
        assert parts.count() >= 10  # name, 8 menu entries, 2 languages
        tops = [parts.nth(i).bounding_box()["y"] for i in range(parts.count())]
        # one line: bold and regular text sit a pixel or two apart, a second line a line apart
        assert max(tops) - min(tops) < 8, f"the header wraps: tops {sorted(set(tops))}"
        right = max(
            parts.nth(i).bounding_box()["x"] + parts.nth(i).bounding_box()["width"]
            for i in range(parts.count())
        )
        assert right <= 1280
        assert (
            page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            <= 0
        )
    finally:
        context.close()
