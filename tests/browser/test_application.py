"""An applicant in Ystad writes an application over two sittings, submits it with a section
missing, sees the error next to that section, completes it; the preparer sees it waiting."""

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to

SECTIONS_FIRST_SITTING = {
    "Problemanalys och nulägesbeskrivning": "Skolfrånvaron i årskurs 7–9 har ökat tre år i rad.",
    "Evidens och forskning": "Tidiga, samordnade insatser minskar långvarig frånvaro (SKR 2021).",
    "Målgrupp och avgränsning": "Elever 13–16 år med mer än 15 % frånvaro.",
}
SECTIONS_SECOND_SITTING = {
    "Metod och bemanning": "Närvaroteam med kurator, socialsekreterare och fritidsledare.",
    "Tid för genomförande": "Tre år, augusti 2027 till juli 2030.",
    "Målsättning, effekter och utvärdering": "Halverad långvarig frånvaro; jämförelse med ordinarie arbetssätt.",
    "Kostnader för genomförande": "1,5 miljoner kronor per år, främst personal.",
}
MISSING_SECTION = "Plan för implementering och uppskalning"


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()


@pytest.fixture
def backed_idea(demo):
    """In Ystad an application may start only once its idea is backed: the idea 'Närvaroteam i
    Ystad' has passed the process group, kommunledningsgruppen and the nämnder."""
    users = {role.value: User.objects.get(email=f"{local}.ystad@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    case = create_case(users["applicant"], title="Närvaroteam i Ystad")
    return walk_to(case, CaseState.IDEA_APPROVED, users)


def test_ystad_applicant_writes_submits_and_preparer_sees_it(page, live_server, login, axe, artifacts_dir, backed_idea):
    # First sitting: the backed idea waits on the start page; start the application, write part of it.
    login(page, "sokande.ystad@demo.fonden.se")
    row = page.get_by_role("row", name="Närvaroteam i Ystad")
    assert "Idén är godkänd: ansökan kan skrivas." in row.inner_text()
    row.get_by_role("link", name="Närvaroteam i Ystad").click()
    axe.check(page)
    page.get_by_role("button", name="Skriv ansökan").click()
    page.get_by_role("link", name="Redigera ansökan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv ansökan"
    page.get_by_label("Individ- och familjeomsorgen (verksamhet)").check()
    page.get_by_label("Startdatum").fill("2027-08-01")
    page.get_by_label("Slutdatum").fill("2030-07-31")
    for label, text in SECTIONS_FIRST_SITTING.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    axe.check(page)
    log_out(page)

    # Second sitting: the draft waits on the start page; finish all but one section and submit.
    login(page, "sokande.ystad@demo.fonden.se")
    page.get_by_role("link", name="Närvaroteam i Ystad").click()
    page.get_by_role("link", name="Redigera ansökan").click()
    assert (
        page.get_by_label("Problemanalys och nulägesbeskrivning").input_value()
        == SECTIONS_FIRST_SITTING["Problemanalys och nulägesbeskrivning"]
    )
    page.get_by_label("Målgruppens lägsta ålder").fill("13")
    page.get_by_label("Målgruppens högsta ålder").fill("16")
    for year in (2027, 2028, 2029, 2030):
        page.get_by_label(f"Kostnad {year} (kr)").fill("1 500 000")
    page.get_by_label("Beslutstillfälle").select_option(
        label=page.locator("#id_decision_round option").nth(1).inner_text()
    )
    for label, text in SECTIONS_SECOND_SITTING.items():
        page.get_by_label(label).fill(text)
    page.get_by_label("Mätplan").fill("Frånvaro per månad, baslinje ht 2026, mäts varje termin.")
    page.get_by_label("Ansökan har löpande förankrats", exact=False).check()
    page.get_by_role("button", name="Lämna in ansökan").click()

    error = page.locator("#div_id_section_plan_for_implementering .invalid-feedback")
    assert error.inner_text() == "Avsnittet måste fyllas i."
    assert page.get_by_label(MISSING_SECTION).get_attribute("aria-invalid") == "true"
    assert Case.objects.get(title="Närvaroteam i Ystad").state == "draft"
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "application-error.png"), full_page=True)

    page.get_by_label(MISSING_SECTION).fill("Kan ersätta dagens separata elevhälso- och socialtjänstinsatser.")
    page.get_by_role("button", name="Lämna in ansökan").click()
    case = Case.objects.get(title="Närvaroteam i Ystad")
    assert case.state == "submitted"
    assert page.get_by_text(f"Inlämnat. Ärendet har diarienummer {case.number}.").is_visible()
    axe.check(page)
    log_out(page)

    # The process group sees it waiting on their start page.
    login(page, "beredare.ystad@demo.fonden.se")
    row = page.get_by_role("row", name="Närvaroteam i Ystad")
    assert "Ny ansökan att bereda." in row.inner_text()
    assert case.number in row.inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "preparer-start-page.png"), full_page=True)
