"""Each role that has work in the demo finds it on the start page ("Väntar på dig", the late first,
each with its date and a link to where they act) and its dates in the calendar; the calendar's
feed is iCalendar at a secret address. The demo of Sundsvall and Ale, as loaded on 2026-12-01:
Sundsvall's projects are late with their reports."""

import pytest
from icalendar import Calendar

from demo.loader import DEMO_DOMAIN, load_demo_cases

# (person, what "Väntar på dig" holds for them, what their calendar holds or None)
ROLES = [
    # The project manager (the applicant who wrote the application): reports late.
    (
        "sokande.sundsvall",
        "Rapport att lämna: Lägesrapport för perioden 2026-05-01 – 2026-07-31, senast 2026-07-31.",
        "Lägesrapport ska lämnas",
    ),
    # The body that accepts Sundsvall's progress reports: one handed in, and those still owed.
    (
        "beslut.sundsvall",
        "Rapport att granska: Lägesrapport för perioden 2026-05-01 – 2026-07-31.",
        "Lägesrapport väntas in",
    ),
    # A consulted nämnd: its remiss and its deadline.
    (
        "namnd.sundsvall",
        "Remiss att besvara för Barn- och utbildningsnämnden, senast 2026-12-22.",
        "Remissvar från Barn- och utbildningsnämnden",
    ),
    # A reviewer asked by the preparer.
    ("controller.sundsvall", "Bedömning att göra: beredning.", None),
    # The preparer: applications to prepare and the final report to take in; the answers owed.
    ("beredare.ale", "Rapport att granska: Slutrapport för perioden 2026-05-01 – 2028-04-30.", "Besked ska ges"),
    # A sector head asked to sign the draft.
    ("chef1.ale", "Ansökan ska skrivas under för Sektor utbildning, kultur och fritid.", None),
]


@pytest.fixture
def demo_cases(demo):
    load_demo_cases(slugs=["sundsvall", "ale"])


@pytest.mark.usefixtures("demo_cases")
def test_each_role_finds_its_work_and_its_dates(page, live_server, act_as, axe, artifacts_dir):
    for person, waiting, dated in ROLES:
        act_as(f"{person}@{DEMO_DOMAIN}")
        table = page.locator("#waiting-items")
        assert table.get_by_role("link", name=waiting).is_visible(), person
        axe.check(page)
        page.get_by_role("link", name="Kalender", exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Kalender – mina datum"
        if dated:
            assert page.get_by_text(dated).first.is_visible(), person
        axe.check(page)
        if person == "sokande.sundsvall":
            manager_sees_late_reports_and_subscribes(page, live_server, axe, artifacts_dir)


def manager_sees_late_reports_and_subscribes(page, live_server, axe, artifacts_dir):
    assert page.locator(".calendar-month .badge-overdue").first.inner_text() == "försenad 123 dagar"
    page.get_by_role("button", name="Skapa prenumerationsadress").click()
    address = page.get_by_label("Din prenumerationsadress (visas bara nu: kopiera den)").input_value()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "calendar-project-manager.png"), full_page=True)
    feed = page.request.get(address)
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = [str(event["summary"]) for event in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert "Rapport: Lägesrapport ska lämnas: Idrott som väg till sysselsättning (försenad)" in summaries

    page.get_by_role("link", name="Mina ärenden").click()
    first = page.locator("#waiting-items tbody tr").first
    assert first.locator(".badge-overdue").inner_text() == "försenad 123 dagar"
    page.screenshot(path=str(artifacts_dir / "start-page-waiting.png"), full_page=True)
    first.get_by_role("link", name="Rapport att lämna").click()
    assert "/rapporter/" in page.url
    axe.check(page)
