"""Reminders of the calendar: Ale's feedback deadline (June and July not counted) to its steering
group, and Norrköping's application windows to department staff; each sent once."""

import datetime

from accounts.enums import Role
from applications.enums import CaseState
from demo.walk import walk_to
from notifications.models import Notification, NotificationKind
from projects import services as project_services
from reporting import services
from reporting.calendar import send_application_window_reminders, send_feedback_reminders
from reporting.tasks import send_calendar_reminders

from .conftest import STOCKHOLM

D = datetime.date


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def test_ale_feedback_deadline_reminds_the_steering_group_once(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 9, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    case = walk_to(case, CaseState.IDEA_SUBMITTED, users)
    Notification.objects.all().delete()

    sent = {}
    for day in days(D(2026, 5, 20), D(2026, 9, 30)):
        first = send_feedback_reminders(today=day)
        assert send_feedback_reminders(today=day) == 0
        if first:
            sent[day] = first

    assert sent == {D(2026, 8, 13): 1, D(2026, 8, 20): 1}
    texts = list(Notification.objects.order_by("id").values_list("recipient", "text"))
    assert texts == [
        (users["preparer"].pk, f"Påminnelse: sökande för {case} ska ha besked senast 2026-08-20."),
        (users["preparer"].pk, f"I dag, 2026-08-20, ska sökande för {case} ha fått besked."),
    ]


def test_feedback_given_in_time_sends_no_reminder(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 9, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    walk_to(case, CaseState.IDEA_APPROVED, users)
    Notification.objects.all().delete()

    assert sum(send_feedback_reminders(today=day) for day in days(D(2026, 8, 1), D(2026, 8, 31))) == 0


def test_rule_set_without_feedback_deadline_sends_none(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 20, 9, tzinfo=STOCKHOLM))
    case, users = new_case("sundsvall")
    walk_to(case, CaseState.IDEA_SUBMITTED, users)
    Notification.objects.all().delete()

    assert sum(send_feedback_reminders(today=day) for day in days(D(2026, 5, 20), D(2026, 9, 30))) == 0


def test_norrkoping_application_windows_tell_staff_when_they_open_and_close(people):
    users = people("norrkoping")
    applicants = set(
        users["applicant"]
        .municipality.members.filter(role_assignments__role=Role.APPLICANT)
        .values_list("pk", flat=True)
    )

    sent = {}
    for day in days(D(2027, 1, 1), D(2027, 12, 31)):
        first = send_application_window_reminders(today=day)
        assert send_application_window_reminders(today=day) == 0
        if first:
            sent[day] = first

    assert sent == {
        D(2027, 2, 1): len(applicants),
        D(2027, 3, 24): len(applicants),
        D(2027, 9, 1): len(applicants),
        D(2027, 10, 24): len(applicants),
    }
    opened = Notification.objects.filter(text__startswith="Vårens ansökningsperiod har öppnat")
    assert set(opened.values_list("recipient", flat=True)) == applicants
    assert opened.first().text == "Vårens ansökningsperiod har öppnat: ansökningar tas emot till och med 2027-03-31."
    assert set(Notification.objects.values_list("kind", flat=True)) == {NotificationKind.APPLICATION_WINDOW}
    assert not Notification.objects.exclude(recipient__in=applicants).exists()


def test_calendar_task_runs_both_and_sends_once(people, time_machine):
    people("norrkoping")
    time_machine.move_to(datetime.datetime(2027, 2, 1, 6, 35, tzinfo=STOCKHOLM))

    first = send_calendar_reminders.delay().get()

    assert first > 0
    assert send_calendar_reminders.delay().get() == 0


def test_report_reminder_links_to_the_form_and_speaks_the_managers_language(running):
    case, users = running("heby")
    users["applicant"].language = "en"
    users["applicant"].save()
    services.generate_obligations(case)
    obligation = case.reporting_obligations.order_by("due_date").first()

    services.send_due_reminders(today=D(2027, 12, 17))

    notification = Notification.objects.get()
    assert notification.url == f"/arenden/{case.pk}/rapporter/{obligation.pk}/"
    assert notification.text == f"Reminder: Yearly follow-up for {case} is due by 2027-12-31."


def test_escalation_reaches_the_project_owners(running):
    from tests.factories import UserFactory

    case, users = running("heby")
    owner = UserFactory(municipality=case.municipality, full_name="Förvaltningschefen")
    project_services.set_project_organisation(case, users["applicant"], manager=users["applicant"], owners=[owner])
    services.generate_obligations(case)

    services.send_due_reminders(today=D(2028, 1, 14))

    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        users["applicant"].pk,
        owner.pk,
        users["management"].pk,
    }
