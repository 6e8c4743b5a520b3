"""A Ystad project followed day by day through two years of reporting, with the reminder task
run twice every morning: each reminder arrives on its day, once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.enums import CaseState
from applications.models import Case
from demo.walk import walk_to
from notifications.models import Notification, NotificationKind
from reporting.models import ObligationStatus
from reporting.services import generate_obligations, send_due_reminders

D = datetime.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def step_of(text):
    if text.startswith("Påminnelse"):
        return "before"
    if text.startswith("I dag"):
        return "due"
    return "escalated"


@pytest.mark.slow
def test_ystad_reminders_day_by_day_over_two_years(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ystad")
    case = walk_to(case, CaseState.RUNNING, users)
    Case.objects.filter(pk=case.pk).update(period_start=D(2027, 3, 1), period_end=D(2029, 8, 31))
    generate_obligations(case)
    Notification.objects.all().delete()
    role_of = {users["applicant"].pk: "applicant", users["management"].pk: "management"}
    created, second_runs = {}, []

    day = D(2027, 8, 1)
    while day <= D(2029, 10, 31):
        time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 7, tzinfo=STOCKHOLM))
        if day == D(2027, 8, 20):  # the first report comes in before its due date
            case.reporting_obligations.filter(due_date=D(2027, 8, 31)).update(status=ObligationStatus.SUBMITTED)
        first = send_due_reminders()
        second_runs.append(send_due_reminders())
        if first:
            rows = Notification.objects.filter(created_at__date=day)
            created[day] = sorted((role_of[n.recipient_id], step_of(n.text), n.text.count("Slutrapport")) for n in rows)
        day += datetime.timedelta(days=1)

    applicant_before, applicant_due = ("applicant", "before", 0), ("applicant", "due", 0)
    escalated = [("applicant", "escalated", 0), ("management", "escalated", 0)]
    assert created == {
        D(2027, 8, 17): [applicant_before],
        D(2027, 12, 17): [applicant_before],
        D(2027, 12, 31): [applicant_due],
        D(2028, 1, 14): escalated,
        D(2028, 8, 17): [applicant_before],
        D(2028, 8, 31): [applicant_due],
        D(2028, 9, 14): escalated,
        D(2028, 12, 17): [applicant_before],
        D(2028, 12, 31): [applicant_due],
        D(2029, 1, 14): escalated,
        D(2029, 8, 17): [applicant_before, ("applicant", "before", 1)],
        D(2029, 8, 31): [applicant_due, ("applicant", "due", 1)],
        D(2029, 9, 14): sorted([*escalated, ("applicant", "escalated", 1), ("management", "escalated", 1)]),
    }
    assert set(second_runs) == {0}
    assert Notification.objects.count() == 21
    assert set(Notification.objects.values_list("kind", flat=True)) == {NotificationKind.DEADLINE_NEAR}
    assert {timezone.localdate(n.created_at) for n in Notification.objects.all()} == set(created)
