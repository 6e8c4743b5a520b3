"""Ystad's preparer finds cases in a list of many: searches, filters, sorts, pages, saves the filter
and exports the filtered list through the export job. Every state passes axe-core; at 640 px (a
1280 px window at 200 % zoom) the page does not scroll sideways."""

from decimal import Decimal

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case, CaseCost
from demo.loader import DEMO_DOMAIN
from municipalities.models import Municipality, OrganisationalUnit


@pytest.fixture
def ystad_cases(demo):
    """40 submitted cases of the school office and 10 drafts of the social office, in Ystad."""
    ystad = Municipality.objects.get(slug="ystad")
    applicant = User.objects.get(email=f"sokande.ystad@{DEMO_DOMAIN}")
    units = {unit.name: unit for unit in OrganisationalUnit.objects.filter(municipality=ystad)}
    ruleset = ystad.active_ruleset
    cases = Case.objects.bulk_create(
        [
            Case(
                municipality=ystad,
                ruleset_version=ruleset,
                number=f"KS 2026/{index:04d}",
                title=f"Läxhjälp på skola {index}",
                state=CaseState.SUBMITTED,
                created_by=applicant,
                applicant_unit=units["Barn- och utbildningsförvaltningen"],
            )
            for index in range(1, 41)
        ]
        + [
            Case(
                municipality=ystad,
                ruleset_version=ruleset,
                title=f"Familjestöd med ett mycket långt namn som måste radbrytas på smala skärmar {index}",
                state=CaseState.DRAFT,
                created_by=applicant,
                applicant_unit=units["Socialförvaltningen"],
            )
            for index in range(1, 11)
        ]
    )
    CaseCost.objects.bulk_create(
        CaseCost(case=case, year=2027, amount=Decimal(100_000 + 5_000 * index)) for index, case in enumerate(cases)
    )


def test_preparer_finds_sorts_pages_saves_and_exports_the_case_list(
    page, live_server, login, axe, artifacts_dir, ystad_cases
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, f"beredare.ystad@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Ärenden", exact=True).first.click()
    assert page.get_by_role("heading", name="50 ärenden").is_visible()
    axe.check(page)

    # Search and filter: the submitted cases waiting on the preparer.
    page.get_by_label("Sök", exact=True).fill("läxhjälp")
    page.get_by_label("Status").select_option(label="Ansökan: inlämnad")
    page.get_by_label("Bara ärenden som väntar på mig").check()
    page.get_by_role("button", name="Visa ärendena").click()
    assert page.get_by_role("heading", name="40 ärenden").is_visible()
    assert page.locator("tbody tr").count() == 25
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "case-list-1280.png"), full_page=True)

    # Sort by amount asked, largest first: the header says how the list is sorted.
    page.get_by_role("link", name="Sökt (sortera stigande)").click()
    page.get_by_role("link", name="Sökt (sortera fallande)").click()
    header = page.get_by_role("columnheader", name="Sökt")
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("tbody tr").first.get_by_role("link").inner_text() == "Läxhjälp på skola 40"
    axe.check(page)

    # The second page, with the filters and the sort kept.
    pages = page.get_by_role("navigation", name="Sidor i ärendelistan")
    pages.get_by_role("link", name="Nästa sida").click()
    assert page.get_by_text("Sida 2 av 2 (ärende 26–40)").is_visible()
    assert page.locator("tbody tr").count() == 15
    axe.check(page)

    # Save the filter; it is listed and applies the same filters.
    page.get_by_label("Spara filtret som").fill("Läxhjälp att bereda")
    page.get_by_role("button", name="Spara filtret").click()
    assert page.get_by_text("Filtret ”Läxhjälp att bereda” är sparat.").is_visible()
    axe.check(page)
    page.goto(f"{live_server.url}/arenden/")
    page.get_by_role("link", name="Läxhjälp att bereda").click()
    assert page.get_by_role("heading", name="40 ärenden").is_visible()

    # An unknown value is told by the field, in Swedish.
    page.goto(f"{live_server.url}/arenden/?state=idea_nonsens&q=l%C3%A4xhj%C3%A4lp")
    assert page.get_by_role("alert").get_by_text("Okänd status: idea_nonsens.").is_visible()
    axe.check(page)

    # Export the filtered list and see the job finish.
    page.get_by_role("link", name="Läxhjälp att bereda").click()
    page.get_by_role("link", name="Exportera listan (Excel eller CSV)").click()
    assert page.get_by_text("Exporten innehåller de 40 ärenden som listan visar").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Exportera").click()
    page.wait_for_url("**/export/jobb/**")
    assert page.get_by_role("status").inner_text().startswith("Klar: 40 av 40 rader")
    axe.check(page)

    # At 640 px the rows stack and nothing scrolls sideways.
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(f"{live_server.url}/arenden/")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "case-list-640.png"), full_page=True)
