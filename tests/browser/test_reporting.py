"""A project manager in Norrköping follows the link in a reminder to the half-time report, fills
it in and submits it on its due date (a report is submitted once its period has ended); the
receiver (kommunstyrelsens kontor) accepts it."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to
from reporting.models import ObligationStatus
from reporting.services import generate_obligations, send_due_reminders


@pytest.fixture
def half_time_due(demo, time_machine):
    """A running Norrköping project whose half-time report is due today, and its reminder.
    Applied for in the spring window of 2027; the clock stays in the future, so the browser keeps
    the session cookie the server dates."""
    time_machine.move_to(datetime.datetime(2027, 2, 15, 9, tzinfo=datetime.UTC))
    users = {
        role.value: User.objects.get(email=f"{local}.norrkoping@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()
    }
    case = walk_to(create_case(users["applicant"], title="Läxhjälp i Navestad"), CaseState.RUNNING, users)
    time_machine.move_to(datetime.datetime(2027, 5, 10, 9, tzinfo=datetime.UTC))
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        period_start=today - datetime.timedelta(days=173), period_end=today + datetime.timedelta(days=187)
    )
    generate_obligations(Case.objects.get(pk=case.pk))
    obligation = case.reporting_obligations.get(kind="half_time")
    assert obligation.due_date == today + datetime.timedelta(days=7)
    time_machine.move_to(datetime.datetime(2027, 5, 17, 9, tzinfo=datetime.UTC))
    assert send_due_reminders() >= 1
    return Case.objects.get(pk=case.pk), obligation


def test_norrkoping_half_time_report_from_reminder_to_acceptance(
    page, live_server, login, axe, half_time_due, artifacts_dir
):
    case, obligation = half_time_due
    login(page, f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Aviseringar").click()
    axe.check(page)
    page.get_by_role("link", name=f"ska Halvtidsuppföljning för {case} lämnas").click()

    assert page.url.endswith(f"/arenden/{case.pk}/rapporter/{obligation.pk}/")
    assert page.get_by_role("heading", name=f"Halvtidsuppföljning: {case.title}").is_visible()
    axe.check(page)
    page.get_by_label("Genomförda aktiviteter").fill("Läxhjälp tre kvällar i veckan på biblioteket.")
    page.get_by_label("Progression sedan föregående rapport").fill("42 elever deltar, mot 30 planerade.")
    page.get_by_label("Effekter hittills").fill("Närvaron har ökat från 85 till 91 procent.")
    years = sorted({case.period_start.year, obligation.period_end.year})
    for year in years:
        page.get_by_label(f"Utfall {year} (kr)").fill("150 000")
    page.get_by_role("button", name="Lämna in rapporten").click()

    assert page.get_by_text("Rapporten är inlämnad.").is_visible()
    assert page.get_by_text("inlämnad", exact=True).is_visible()
    axe.check(page)
    page.screenshot(path=artifacts_dir / "report-submitted.png", full_page=True)

    page.get_by_role("button", name="Logga ut").click()
    login(page, f"beredare.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    axe.check(page)
    waiting = page.get_by_role("region", name="Väntar på godkännande (1)")
    waiting.get_by_role("link", name="Halvtidsuppföljning").click()
    assert page.get_by_text("42 elever deltar, mot 30 planerade.").is_visible()
    axe.check(page)
    page.get_by_label("Kommentar").fill("Tydlig rapport.")
    page.get_by_role("button", name="Godkänn rapporten").click()

    assert page.get_by_text("Rapporten är godkänd.").is_visible()
    axe.check(page)
    page.screenshot(path=artifacts_dir / "report-accepted.png", full_page=True)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED
