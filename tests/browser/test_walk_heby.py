"""Heby's walk through the browser only: two förvaltningar write and submit new applications.

The walk currently ends at the two submitted applications.
"""

import datetime

import pytest

from applications.models import Case
from core.demo import DEMO_DOMAIN

SLUG = "heby"
START, END = datetime.date(2027, 3, 1), datetime.date(2028, 12, 31)
COSTS = {2027: "400 000", 2028: "500 000"}
FIRST = "Tidiga insatser i Heby"
SECOND = "Sommarjobb för unga i Östervåla"


def email(role):
    return f"{role}.{SLUG}@{DEMO_DOMAIN}"


def main_text(page):
    return page.locator("main").inner_text()


def history(page):
    return page.get_by_role("region", name="Historik").inner_text()


def state_shown(page):
    return page.locator("main p").first.inner_text()


def create_and_submit(page, live_server, axe, title, *, check=True):
    """The applicant creates a new case, fills in the decision basis's points and submits it."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Nytt ärende").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nytt ärende"
    if check:
        axe.check(page)
    page.get_by_label("Namn på insatsen").fill(title)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv ansökan"
    page.get_by_label("Sökande enhet").select_option(label="Socialförvaltningen (förvaltning)")
    page.get_by_label("Barn- och utbildningsförvaltningen (förvaltning)", exact=True).check()
    page.get_by_label("Startdatum").fill(START.isoformat())
    page.get_by_label("Slutdatum").fill(END.isoformat())
    for year, amount in COSTS.items():
        page.get_by_label(f"Kostnad {year} (kr)").fill(amount)
    for section in page.locator("textarea").all():
        section.fill(f"{title}: så som förvaltningarna har beskrivit det.")
    for declaration in page.locator("input[type=checkbox][name^=declaration]").all():
        declaration.check()
    if check:
        axe.check(page)
    page.get_by_role("button", name="Lämna in ansökan").click()
    case = Case.objects.get(title=title)
    assert page.get_by_text(f"Inlämnat. Ärendet har diarienummer {case.number}.").is_visible()
    assert "ansökan: inlämnad" in state_shown(page).lower()
    assert "Lämna in ansökan (ansökan: utkast → ansökan: inlämnad) – Sara Sökande" in history(page)
    if check:
        axe.check(page)
    return case


def complete_step(page, name, comment, *, check=True):
    """Register the step's outcome as yes, with a comment, on the case page."""
    step = page.locator("li", has=page.get_by_role("button", name=f"Registrera: {name}"))
    step.get_by_label("Ja / tillstyrkt / klart").check()
    step.get_by_label("Kommentar").fill(comment)
    if check:
        check.check(page)
    step.get_by_role("button", name=f"Registrera: {name}").click()
    page.wait_for_load_state()


def prepare(page, live_server, axe, act_as, case, *, check=True):
    """Styrgruppen för barn och unga prepares and hands the case over; kommunledningsgruppen
    prepares it, issues the decision basis and marks it ready for decision."""
    act_as(email("beredare"))
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("button", name="Börja bereda").click()
    assert "under beredning" in state_shown(page).lower()
    if check:
        axe.check(page)
    complete_step(
        page,
        "Styrgruppen för barn och unga bereder",
        "Lämnas över till kommunledningsgruppen.",
        check=axe if check else None,
    )
    assert "Styrgruppen för barn och unga bereder" in main_text(page)
    act_as(email("ledning"))
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    complete_step(
        page,
        "Kommunledningsgruppen bereder underlag till kommunstyrelsen",
        "Underlag till kommunstyrelsen.",
        check=axe if check else None,
    )
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_role("button", name="Upprätta beslutsunderlag (PDF)").click()
    page.wait_for_load_state()
    print(main_text(page)[:3000])
    page.get_by_role("button", name="Klar för beslut").click()
    assert "klar för beslut" in state_shown(page).lower()
    if check:
        axe.check(page)


@pytest.mark.django_db(transaction=True)
def test_heby_walk(page, live_server, login, act_as, axe, artifacts_dir, demo, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 11, 9, tzinfo=datetime.UTC))
    act_as(email("sokande"))
    first = create_and_submit(page, live_server, axe, FIRST)
    page.screenshot(path=str(artifacts_dir / "heby-submitted.png"), full_page=True)
    second = create_and_submit(page, live_server, axe, SECOND, check=False)
    assert {first.state, second.state} == {"submitted"}
