"""Browser journey of the KPI register (issue 15), in Latvian and in English:
define the indicators from the approved standard → upload a quarter's figures in XLSX (the
template downloaded from the page) → see the trend and the off-target one → the bank's indicator
question takes the value → the report shows the indicator off target.

Uses the test bank tests/data/indicator-bank.yaml (the bundled bank 1.0.0 has no indicator
questions). Links and buttons are reached with Tab and pressed with Enter.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA
from tests.web.kpi_helpers import approved_standard

from .conftest import LANGS, login

pytestmark = pytest.mark.e2e

BANK = ("mini-ind", "0.1.0")
TEXT = {
    "lv": {
        "off": "Neatbilst mērķim",
        "on": "Atbilst mērķim",
        "saved": "Saglabātas vērtības: 2",
        "register": "Rādītāju reģistrs",
        "figure": "70,5 %",
        "report": "Rādītāji, kas neatbilst mērķim vai kuriem nav jaunu datu",
    },
    "en": {
        "off": "Off target",
        "on": "On target",
        "saved": "2 figures saved.",
        "register": "KPI register",
        "figure": "70.5 %",
        "report": "Indicators off target or without recent figures",
    },
}


def accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import BLOCKING, describe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{page.url}:\n{describe(blocking)}"


def install_indicator_bank(seed) -> None:
    from assessment.extensions import db
    from assessment.services.banks import get_bank, install_bank

    def install():
        if get_bank(*BANK) is None:
            install_bank(
                (DATA / "indicator-bank.yaml").read_bytes(),
                "indicator-bank.yaml",
                origin="uploaded",
            )
            db.session.commit()

    seed.query(install)


@pytest.mark.parametrize("lang", LANGS)
def test_standard_to_register_to_answer_to_report(page, keys, live, seed, tmp_path, lang):
    t = TEXT[lang]
    org, email = seed.member()
    approved_standard(live.app, org)
    install_indicator_bank(seed)
    assessment = seed.assessment(org, title=f"Rādītāji {lang}", language=lang, bank=BANK)

    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"/lang/{lang}?next=/login")
    login(page, keys, email)

    # Define the indicators from the approved standard's 2.2.7 table, measured quarterly.
    page.goto(f"/organisations/{org}")
    keys.activate(f'main a[href="/organisations/{org}/kpi"]', rf"/organisations/{org}/kpi$")
    assert page.locator("h1").inner_text() == t["register"]
    assert page.locator("table.kpi-standard tbody tr").count() == 2
    accessible(page)
    keys.tab_to("#kind-all")
    page.select_option("#kind-all", "quarter")
    keys.activate("#add-all", rf"/organisations/{org}/kpi")
    assert page.locator("table.kpi-overview tbody tr").count() == 2

    # Download the XLSX template, fill in the last quarter's figures, upload it.
    keys.tab_to(f'a[href$="template.xlsx?lang={lang}"]')
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "figures.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[0] == ("Rādītāja ID" if lang == "lv" else "Indicator ID")
    quarter = sheet.cell(2, 3).value
    assert re.fullmatch(r"\d{4}-Q[1-4]", quarter)
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, 2).value
        sheet.cell(row, 4).value = "70,5" if name == "Klientu apmierinātība" else 2.5
    book.save(path)
    page.set_input_files("#file", str(path))
    keys.activate('form[action$="/kpi/upload"] button[type=submit]', rf"/organisations/{org}/kpi$")
    assert t["saved"] in page.locator(".flashes").inner_text()

    # A bad file: the message names the line and column, nothing is written.
    sheet.cell(2, 4).value = "daudz"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    page.set_input_files("#file", str(bad))
    with page.expect_navigation() as refused:
        page.click('form[action$="/kpi/upload"] button[type=submit]')
    assert refused.value.status == 400
    message = page.locator("#upload-error").inner_text()
    assert ("2. rinda: Vērtība" if lang == "lv" else "Line 2: Value") in message
    accessible(page)
    page.goto(f"/organisations/{org}/kpi")

    # The overview marks the off-target one; the indicator page shows the trend.
    satisfaction = page.locator("table.kpi-overview tr", has_text="Klientu apmierinātība")
    assert t["off"] in satisfaction.inner_text()
    wait = page.locator("table.kpi-overview tr", has_text="Gaidīšanas laiks")
    assert t["on"] in wait.inner_text()
    href = satisfaction.locator("a").get_attribute("href")
    keys.activate(f'table.kpi-overview a[href="{href}"]', rf"{href}$")
    assert page.locator(f'svg.kpi-chart .kpi-red[data-period="{quarter}"]').count() == 1
    assert page.locator("svg.kpi-chart .kpi-target").count() == 1
    row = page.locator("table.kpi-data tr", has_text=quarter)
    assert t["figure"] in row.inner_text() and t["off"] in row.inner_text()
    accessible(page)

    # The bank's indicator question takes the figure of the latest complete quarter.
    keys.tab_to("#link-target")
    page.select_option("#link-target", f"{assessment}:gamma.answered")
    keys.activate('form[action$="/link"] button[type=submit]', r"/kpi/\d+$")
    page.locator(".flashes .flash.success").wait_for()  # the indicator's page again
    page.goto(f"/assessments/{assessment}/dimensions/gamma")
    note = page.locator(".register-note").inner_text()
    assert "Klientu apmierinātība" in note and quarter in note
    assert page.locator('input[name="q-gamma.answered-value"]').input_value() in ("70.5", "70,5")

    # The report lists the indicator off target.
    page.goto(f"/assessments/{assessment}/report")
    section = page.locator("#report-kpi")
    assert t["report"] in section.inner_text()
    assert "Klientu apmierinātība" in section.inner_text()
    assert "Gaidīšanas laiks" not in section.inner_text()
    accessible(page)

    # The definition form, refused: the error summary and messages are accessible too.
    page.goto(f"/organisations/{org}/kpi/new")
    accessible(page)
    page.fill("#name", "Zvanu apstrāde")
    page.fill("#target", "daudz")
    with page.expect_navigation() as refused:
        page.click("main form button.primary")
    assert refused.value.status == 400
    accessible(page)
    assert violations == []
