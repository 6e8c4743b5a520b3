"""Sundsvall's controller opens the dashboard with the demo data: the charts and their tables
carry real figures, the page passes axe-core, and a full-page screenshot is saved."""

import pytest

from core.formatting import format_kronor
from demo.loader import DEMO_APPROPRIATION, DEMO_DOMAIN, load_demo_cases


@pytest.fixture
def demo_cases(demo):
    """Sundsvall's demo cases in every stage and its fund with its ledger."""
    load_demo_cases(slugs=["sundsvall"])


def test_controller_sees_the_dashboards_charts_and_tables(page, live_server, login, axe, artifacts_dir, demo_cases):
    login(page, f"controller.sundsvall@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Översikt").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Översikt – Sundsvalls kommun"
    for chart in ("#fund-chart", "#commitments-chart", "#funnel-chart"):
        assert page.locator(chart).is_visible()
        assert page.locator(f"{chart} title").count() == 1
    for summary in page.get_by_text("Visa diagrammet som tabell").all():
        summary.click()
    funnel = page.locator("#funnel-table tbody tr")
    assert funnel.count() == 8
    counts = [int(funnel.nth(i).locator("td").inner_text()) for i in range(funnel.count())]
    assert sum(counts) > 0
    first_year = page.locator("#commitments-table tbody tr").first
    assert first_year.locator("th").inner_text() == "2026"
    assert first_year.locator("td").first.inner_text() == format_kronor(DEMO_APPROPRIATION)
    assert page.locator("#chart-table tbody tr").count() >= 1
    assert "Fonden registrerar inte deltagarnas kön" in page.locator("#no-gender-data").inner_text()
    axe.check(page)

    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=True)
