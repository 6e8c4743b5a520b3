"""A preparer in Sundsvall opens a case's calculation, changes the discount rate and a unit cost,
and sees the NPV, the payback and the charts change; axe-core finds nothing serious."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from applications.services.content import create_case
from demo.loader import DEMO_DOMAIN
from evaluation.models import UnitCost
from evaluation.services import save_calculation

pytestmark = pytest.mark.browser


@pytest.fixture
def calculated_case(demo):
    applicant = User.objects.get(email=f"sokande.sundsvall@{DEMO_DOMAIN}")
    preparer = User.objects.get(email=f"beredare.sundsvall@{DEMO_DOMAIN}")
    case = create_case(applicant, title="Familjestöd i Sundsvall")
    placement = UnitCost.objects.get(municipality=case.municipality, name__startswith="Dygn i HVB")
    year = timezone.localdate().year
    line = {
        "name": "Färre dygn i HVB",
        "unit_cost": placement,
        "unit_amount": placement.amount,
        "baseline": Decimal(900),
        "quantity": Decimal(150),
        "start_year": year + 1,
        "duration": 5,
        "drop_off": Decimal(10),
        "deadweight": Decimal(10),
        "attribution": Decimal(0),
        "displacement": Decimal(0),
        "confidence": "medium",
        "effect_source": "estimate",
        "cashable": True,
        "transfer": False,
        "transfer_from": "",
        "split": {"municipality": "70", "region": "30"},
    }
    save_calculation(
        case,
        "forecast",
        preparer,
        discount_rate=Decimal("3.5"),
        horizon=10,
        first_year=year,
        costs=[
            {"year": year, "payer": "municipality", "description": "Familjebehandlare", "granted": Decimal(800000)},
            {"year": year + 1, "payer": "municipality", "description": "Familjebehandlare", "granted": Decimal(600000)},
        ],
        outcomes=[line],
    )
    return case


def chart_points(page):
    return page.locator("figure svg polyline").first.get_attribute("points")


def test_sundsvall_preparer_changes_rate_and_unit_cost_and_sees_results_change(
    page, live_server, login, axe, artifacts_dir, calculated_case
):
    login(page, f"beredare.sundsvall@{DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/arenden/{calculated_case.pk}/")
    page.get_by_role("link", name="Mätplan, mätvärden, samhällsekonomiska kalkyler och utvärderingar").click()
    page.get_by_role("link", name="Förkalkyl").click()
    axe.check(page)
    npv_before = page.locator("#npv").inner_text()
    payback_before = page.locator("#payback").inner_text()
    discounted_before = page.locator("#discounted-payback").inner_text()
    points_before = chart_points(page)
    tornado_before = page.locator("figure svg").nth(1).inner_html()

    page.get_by_label("Diskonteringsränta, real (%)").fill("7")
    page.locator("#id_outcomes-0-unit_amount").fill("6200")
    page.get_by_role("button", name="Räkna och spara").click()

    assert page.get_by_text("Kalkylen är sparad som version 2.").is_visible()
    assert page.locator("#npv").inner_text() != npv_before
    assert page.locator("#payback").inner_text() != payback_before
    assert page.locator("#discounted-payback").inner_text() != discounted_before
    assert chart_points(page) != points_before
    assert page.locator("figure svg").nth(1).inner_html() != tornado_before
    assert "7 %" in page.get_by_text("Diskonteringsränta 7").first.inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "calculation-sundsvall.png"), full_page=True)
    response = page.request.get(f"{live_server.url}/arenden/{calculated_case.pk}/kalkyl/forecast/pdf/")
    assert response.headers["content-type"] == "application/pdf"
    (artifacts_dir / "calculation-sundsvall.pdf").write_bytes(response.body())


def test_evaluation_pages_pass_axe(page, live_server, login, axe, artifacts_dir, calculated_case):
    login(page, f"beredare.sundsvall@{DEMO_DOMAIN}")
    for path in (
        f"/arenden/{calculated_case.pk}/utvardering/",
        f"/arenden/{calculated_case.pk}/utvardering/matplan/",
        f"/arenden/{calculated_case.pk}/utvardering/final/",
        "/enhetskostnader/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        axe.check(page)
        name = path.strip("/").replace("/", "-").replace(str(calculated_case.pk), "case")
        page.screenshot(path=str(artifacts_dir / f"evaluation-{name}.png"), full_page=True)
