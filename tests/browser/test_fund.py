"""A controller records money on the fund page and sees it in the balances; the page (chart and
its table included) passes axe-core."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import User
from demo.loader import DEMO_DOMAIN
from funds import services as funds


@pytest.fixture
def sundsvall_fund(demo):
    controller = User.objects.get(email=f"controller.sundsvall@{DEMO_DOMAIN}")
    fund = funds.create_fund(controller, controller.municipality)
    funds.record_reservation(
        fund,
        controller,
        amount=Decimal("20000000"),
        year=2026,
        basis="KF 2025-11-24 § 183",
        entry_date=datetime.date(2026, 1, 15),
    )
    funds.record_appropriation(
        fund, controller, amount=Decimal("6000000"), year=2026, basis="MRP 2026", entry_date=datetime.date(2026, 1, 15)
    )
    return fund


def test_controller_records_an_appropriation_and_sees_the_refusal_next_to_the_field(
    page, live_server, login, axe, artifacts_dir, sundsvall_fund
):
    login(page, f"controller.sundsvall@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Fondmedel").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sociala investeringsfonden i Sundsvalls kommun"
    assert page.locator("#fund-chart").is_visible()
    page.get_by_text("Visa diagrammet som tabell").click()
    axe.check(page)

    page.locator("#record-appropriation summary").click()
    form = page.locator("#record-appropriation form")
    form.get_by_label("Belopp (kr)").fill("25 000 000")
    form.get_by_label("År").fill("2027")
    form.get_by_label("Beslut").fill("KF mål och budget 2027")
    form.get_by_role("button", name="Bokför").click()

    error = page.locator("#record-appropriation .invalid-feedback")
    assert "Anslaget får inte vara högre än avsättningen" in error.inner_text()
    axe.check(page)

    form = page.locator("#record-appropriation form")
    form.get_by_label("Belopp (kr)").fill("6 000 000")
    form.get_by_role("button", name="Bokför").click()

    assert page.get_by_text("Anslag är bokförd.").is_visible()
    assert "12 000 000 kr" in page.locator("#balances").inner_text().replace("\xa0", " ")
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "fund-sundsvall.png"), full_page=True)
