"""The Content-Security-Policy holds in a real browser: no page it serves is broken by it
(issue 10, item 1). Chromium reports every blocked inline script or style on the console."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = pytest.mark.e2e


def test_pages_raise_no_csp_violation(page, keys, seed):
    org, email = seed.member()
    assessment = seed.assessment(org, title=seed.unique("CSP"))
    seed.answer_all(assessment)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, keys, email)
    for path in (
        f"/assessments/{assessment}",
        f"/assessments/{assessment}/dimensions/values",
        f"/assessments/{assessment}/review",
        f"/assessments/{assessment}/report",
        f"/assessments/{assessment}/benchmark",
        "/organisations/",
        "/password",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    # The progress bars (SVG, no inline style) are drawn with their width.
    page.goto(f"/assessments/{assessment}")
    box = page.locator("svg.progress rect.progress-fill").first.bounding_box()
    assert box is not None and box["width"] > 0
    # The report's charts are drawn.
    page.goto(f"/assessments/{assessment}/report")
    assert page.locator("svg.chart-radar polygon.series").count() >= 1
    assert violations == []
