"""A dashboard worth opening (issue 13, item 6): per organisation its latest assessment with a
progress bar, the evidence-backed maturity, the largest gap and the next step."""

from __future__ import annotations

import re

from tests.conftest import csrf_token


def test_dashboard_cards_show_progress_maturity_gap_and_next_step(client, auth, factory):
    org = factory.organisation()
    other = factory.organisation("Pilsonības un migrācijas lietu pārvalde")
    factory.user("ilze@example.lv", "member", org)
    a = factory.assessment(org)
    factory.assessment(other, title="Svešs novērtējums")
    auth.login("ilze@example.lv")
    page = client.get("/").get_data(as_text=True)
    assert "Kur ir katra iestāde" in page and "Svešs novērtējums" not in page
    assert f'<progress id="progress-{a}" max="51" value="0">' in page
    assert f'href="/assessments/{a}/resume"' in page and "Sākt aizpildīt" in page
    token = csrf_token(client, f"/assessments/{a}/dimensions/values")
    client.post(
        f"/assessments/{a}/dimensions/values",
        data={
            "csrf_token": token,
            "q-values.mission-answer": "1",
            "q-values.co-created-answer": "1",
        },
    )
    page = client.get("/").get_data(as_text=True)
    assert f'<progress id="progress-{a}" max="51" value="2">' in page
    assert "Turpināt aizpildīt" in page
    card = page[page.index('<li class="card">') : page.index("</li>", page.index('class="card"'))]
    assert re.search(r'<dd class="figure">1,00 <small>/ 4</small></dd>', card)
    # the largest gap: a dimension title with its gap to the target
    assert re.search(r"Lielākā atšķirība</dt><dd>[^<]+ <strong>\(\d,\d\d\)</strong>", card)
