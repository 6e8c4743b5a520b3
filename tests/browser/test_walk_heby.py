"""Heby's walk through the browser only, from two new applications to an implementation decision.

Two förvaltningar write and submit new applications (Heby has no idea stage); styrgruppen för barn
och unga prepares each and hands it over; kommunledningsgruppen prepares it, issues the decision
basis and marks it ready for decision; kommunstyrelsen decides both as one group at its meeting
(one §, each case's amount split per year, one protocol extract listing both). The applicant starts
the first project and hands in its yearly follow-ups (economic and human gains, within the annual
report) once each year has ended; kommunstyrelsen accepts them. Heby has no final report: the
project hands in its evaluation and styrgruppen marks the case evaluated (never "slutrapport
inlämnad"); kommunstyrelsen then decides the implementation (a frame adjustment in next year's
budget) at a meeting with a §. The walk ends with the case implemented.
"""

import datetime
import re

import pytest

from applications.models import Case
from decisions.models import Decision
from demo.loader import DEMO_DOMAIN

SLUG = "heby"
START, END = datetime.date(2027, 3, 1), datetime.date(2028, 12, 31)
COSTS = {2027: "400 000", 2028: "500 000"}
MEETING, PARAGRAPH = datetime.date(2027, 2, 8), 23
IMPLEMENTATION_MEETING = datetime.date(2029, 3, 12)
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
    button = page.get_by_role("button", name=re.compile(r"^Registrera\W+" + re.escape(name)))
    step = page.locator("li").filter(has=button)
    step.get_by_label("Ja / tillstyrkt / klart").check()
    step.get_by_label("Kommentar").fill(comment)
    if check:
        check.check(page)
    button.click()
    assert page.get_by_text(f"Steget {name} är registrerat.").is_visible()


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
    assert page.get_by_text("Beslutsunderlaget är upprättat.").is_visible()
    page.get_by_role("button", name="Klar för beslut").click()
    assert "klar för beslut" in state_shown(page).lower()
    if check:
        axe.check(page)


def decide_as_one_group(page, live_server, axe, act_as, artifacts_dir, cases):
    """Kommunstyrelsen decides both cases as one whole at its meeting: one §, each case's amount
    split per year, one protocol extract listing both."""
    act_as(email("beslut"))
    page.get_by_role("link", name="Sammanträde").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sammanträde: föredragningslista och handlingar"
    agenda = page.get_by_role("table", name="Föredragningslista").inner_text()
    assert all(f"{case.number} {case.title}" in agenda for case in cases)
    axe.check(page)
    page.get_by_role("link", name="Besluta flera ärenden som en helhet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Beslut om flera ärenden som en helhet"
    for case in cases:
        page.get_by_label(f"{case.number} {case.title}").check()
        for year, amount in COSTS.items():
            assert page.get_by_label(f"{case.number}: belopp {year} (kr)").input_value().replace(
                " ", ""
            ) == amount.replace(" ", "")
    page.get_by_label("Sammanträdesdag").fill(MEETING.isoformat())
    page.get_by_label("Paragraf (§)").fill(str(PARAGRAPH))
    page.get_by_label("Motivering").fill("Insatserna bildar tillsammans en helhet för barn och unga.")
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "heby-group-decision.png"), full_page=True)
    page.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()
    assert page.get_by_text(
        f"§ {PARAGRAPH} är protokollfört; protokollsutdrag och beslutsbrev är upprättade."
    ).is_visible()
    axe.check(page)
    decision = Decision.objects.get(paragraph=PARAGRAPH)
    assert sorted(line.case_id for line in decision.lines.all()) == sorted(case.pk for case in cases)
    for case in cases:
        page.goto(f"{live_server.url}/arenden/{case.pk}/")
        assert "beviljad" in state_shown(page).lower()
        extract = page.get_by_role("region", name="Beslut och handlingar").get_by_role("link", name="Protokollsutdrag")
        assert extract.count() == 1
        assert all(other.number in extract.inner_text() for other in cases)
        assert "(klar för beslut → beviljad)" in history(page)
    axe.check(page)


def start_project(page, live_server, axe, case, *, check=True):
    """The applicant begins the project start and starts the project: the yearly reports appear."""
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("button", name="Påbörja projektstart").click()
    assert "projektstart" in state_shown(page).lower()
    page.get_by_role("button", name="Starta projektet").click()
    assert "pågår" in state_shown(page).lower()
    if check:
        axe.check(page)
    reports = page.get_by_role("region", name="Projekt och uppföljning").get_by_role("table").inner_text()
    assert "Årlig uppföljning\t2027-03-01 – 2027-12-31\t2027-12-31\tej inlämnad" in reports
    assert "Årlig uppföljning\t2028-01-01 – 2028-12-31\t2028-12-31\tej inlämnad" in reports
    return reports


def write_yearly_report(page, live_server, axe, case, year, artifacts_dir=None):
    """The project writes the year's follow-up of economic and human gains and submits it."""
    obligation = case.reporting_obligations.get(period_end=datetime.date(year, 12, 31))
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("region", name="Projekt och uppföljning").get_by_role(
        "row", name=re.compile(str(year))
    ).get_by_role("link").click()
    assert page.url.endswith(f"/arenden/{case.pk}/rapporter/{obligation.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"{obligation.display_name}: {case.title}"
    axe.check(page)
    page.get_by_label("Ekonomiska vinster").fill(f"Färre placeringar {year}: två färre än året innan.")
    page.get_by_label("Mänskliga vinster").fill(f"Elva unga i skola eller arbete {year}.")
    for field in page.locator("input[name^=outcome_]").all():
        field.fill(COSTS[int(field.get_attribute("name").removeprefix("outcome_"))])
    page.get_by_role("button", name="Lämna in rapporten").click()
    assert page.get_by_text("Rapporten är inlämnad.").is_visible()
    axe.check(page)
    if artifacts_dir:
        page.screenshot(path=str(artifacts_dir / f"heby-report-{year}.png"), full_page=True)
    return obligation


def accept_report(page, live_server, axe, case, obligation):
    page.goto(f"{live_server.url}/arenden/{case.pk}/rapporter/{obligation.pk}/")
    page.get_by_label("Kommentar").fill("Redovisas i årsredovisningen.")
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert page.get_by_text("Rapporten är godkänd.").is_visible()
    axe.check(page)


def write_evaluation(page, live_server, axe, case):
    """The project writes the evaluation of economic and human gains and hands it in."""
    page.goto(f"{live_server.url}/arenden/{case.pk}/utvardering/")
    axe.check(page)
    page.get_by_role("region", name="Utvärderingar").get_by_role("link", name="Slututvärdering").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Slututvärdering: {case.title}"
    page.get_by_label("Effekter").fill("Elva unga i skola eller arbete; två färre placeringar per år.")
    page.get_by_label("Process: vad har gjorts").fill("Insatsen genomfördes i ordinarie verksamhet enligt plan.")
    page.get_by_label("Kostnader").fill("Kostnaderna höll sig inom de beviljade 900 000 kr.")
    page.get_by_label("Slutsats").fill("Arbetsmetoden ger både ekonomiska och mänskliga vinster.")
    page.get_by_label("Förslag till beslut om implementering").select_option("implement")
    page.get_by_label("Föreslagen ramjustering i nästa budget (kr)").fill("450 000")
    page.get_by_role("button", name="Spara utvärderingen").click()
    assert page.get_by_text("Utvärderingen är sparad. Lämna in den när den är klar.").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Lämna in utvärderingen").click()
    assert page.get_by_text("Utvärderingen är inlämnad.").is_visible()
    axe.check(page)


def decide_implementation(page, live_server, axe, case):
    """Kommunstyrelsen decides the implementation: a frame adjustment in next year's budget."""
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    form = page.locator("#lifecycle-decision")
    # The guideline allows implementing the method, not implementing part of it.
    assert form.get_by_label("Implementera delvis").count() == 0
    form.get_by_label("Implementera", exact=True).check()
    form.get_by_label("Sammanträdesdag").fill(IMPLEMENTATION_MEETING.isoformat())
    form.get_by_label("Paragraf (§)").fill("41")
    form.get_by_label("Motivering").fill("Ramjustering om 450 000 kr föreslås i mål och budget 2030.")
    axe.check(page)
    form.get_by_role("button", name="Protokollför beslutet och upprätta protokollsutdrag").click()
    assert page.get_by_text(
        f"Kommunstyrelsen {IMPLEMENTATION_MEETING.isoformat()} § 41 är protokollfört; protokollsutdraget är upprättat."
    ).is_visible()
    assert "implementerat" in state_shown(page).lower()
    assert "(utvärderat → implementerat) – Britt Beslut" in history(page)
    reports = page.get_by_role("region", name="Projekt och uppföljning").get_by_role("table").inner_text()
    assert reports.count("godkänd") == 2
    axe.check(page)


@pytest.mark.django_db(transaction=True)
def test_heby_walk(page, live_server, login, act_as, axe, artifacts_dir, demo, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 11, 9, tzinfo=datetime.UTC))
    act_as(email("sokande"))
    first = create_and_submit(page, live_server, axe, FIRST)
    page.screenshot(path=str(artifacts_dir / "heby-submitted.png"), full_page=True)
    second = create_and_submit(page, live_server, axe, SECOND, check=False)
    assert {first.state, second.state} == {"submitted"}

    # Preparation: styrgruppen för barn och unga, then kommunledningsgruppen.
    prepare(page, live_server, axe, act_as, first)
    page.screenshot(path=str(artifacts_dir / "heby-ready-for-decision.png"), full_page=True)
    prepare(page, live_server, axe, act_as, second, check=False)
    assert {case.state for case in Case.objects.filter(pk__in=[first.pk, second.pk])} == {"ready_for_decision"}

    # Kommunstyrelsen decides both as one group, at a meeting a few weeks later.
    time_machine.move_to(datetime.datetime.combine(MEETING, datetime.time(9), tzinfo=datetime.UTC))
    decide_as_one_group(page, live_server, axe, act_as, artifacts_dir, [first, second])

    # The first project starts; its yearly follow-ups are within the annual report.
    act_as(email("sokande"))
    start_project(page, live_server, axe, first)
    first.refresh_from_db()
    assert [o.period_end.year for o in first.reporting_obligations.order_by("due_date")] == [2027, 2028]

    for year in (2027, 2028):
        time_machine.move_to(datetime.datetime(year + 1, 1, 12, 9, tzinfo=datetime.UTC))
        act_as(email("sokande"))
        obligation = write_yearly_report(page, live_server, axe, first, year, artifacts_dir)
        act_as(email("beslut"))
        accept_report(page, live_server, axe, first, obligation)

    # No final report: the last yearly follow-up and the evaluation close the follow-up.
    act_as(email("sokande"))
    write_evaluation(page, live_server, axe, first)
    act_as(email("beredare"))
    page.goto(f"{live_server.url}/arenden/{first.pk}/")
    page.get_by_role("button", name="Utvärdering klar").click()
    assert "utvärderat" in state_shown(page).lower()
    assert "slutrapport" not in history(page).lower()
    axe.check(page)

    # Kommunstyrelsen decides the implementation in the budget process.
    time_machine.move_to(datetime.datetime.combine(IMPLEMENTATION_MEETING, datetime.time(9), tzinfo=datetime.UTC))
    act_as(email("beslut"))
    decide_implementation(page, live_server, axe, first)
    page.screenshot(path=str(artifacts_dir / "heby-implemented.png"), full_page=True)
