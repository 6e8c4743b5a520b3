import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from applications.enums import CaseState
from applications.models import Case
from demo.walk import walk_to
from notifications.models import Notification, NotificationKind
from reporting import services
from reporting.models import ObligationStatus, ReportingDate, ReportingObligation
from reporting.schedule import Due
from reporting.tasks import send_report_reminders

D = datetime.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def dues(case):
    return [
        (o.kind, o.display_name, o.due_date, o.status) for o in case.reporting_obligations.order_by("due_date", "id")
    ]


def test_generate_obligations_ystad_running_case(running):
    case, _users = running("ystad")

    obligations = services.generate_obligations(case)

    assert [(o.kind, o.display_name, o.period_start, o.due_date, o.receiver_role) for o in obligations] == [
        ("progress", "Delårsbokslut 2", D(2027, 3, 1), D(2027, 8, 31), "decision_body"),
        ("progress", "Årsbokslut", D(2027, 9, 1), D(2027, 12, 31), "decision_body"),
        ("progress", "Delårsbokslut 2", D(2028, 1, 1), D(2028, 8, 31), "decision_body"),
        ("progress", "Årsbokslut", D(2028, 9, 1), D(2028, 12, 31), "decision_body"),
        ("progress", "Delårsbokslut 2", D(2029, 1, 1), D(2029, 8, 31), "decision_body"),
        ("final", "Slutrapport", D(2027, 3, 1), D(2029, 8, 31), "decision_body"),
    ]
    assert {o.status for o in obligations} == {ObligationStatus.OPEN}


def test_generate_obligations_twice_creates_no_duplicates(running):
    case, _users = running("heby")
    services.generate_obligations(case)

    services.generate_obligations(case)

    assert dues(case) == [
        ("yearly", "Årlig uppföljning", D(2027, 12, 31), "open"),
        ("yearly", "Årlig uppföljning", D(2028, 12, 31), "open"),
        ("yearly", "Årlig uppföljning", D(2029, 8, 31), "open"),
    ]


def test_generate_obligations_uses_admin_set_dates(running):
    case, _users = running("ystad")
    ReportingDate.objects.create(municipality=case.municipality, name="Årsbokslut", year=2027, date=D(2027, 12, 20))

    services.generate_obligations(case)

    assert dues(case)[1] == ("progress", "Årsbokslut", D(2027, 12, 20), "open")


def test_recompute_after_extension_keeps_submitted_and_replaces_open(running):
    case, _users = running("ystad")
    services.generate_obligations(case)
    first, second = case.reporting_obligations.order_by("due_date", "id")[:2]
    ReportingObligation.objects.filter(pk=first.pk).update(status=ObligationStatus.ACCEPTED)
    ReportingObligation.objects.filter(pk=second.pk).update(status=ObligationStatus.SUBMITTED)
    Case.objects.filter(pk=case.pk).update(extended_end=D(2030, 2, 28), state=CaseState.EXTENDED)

    services.generate_obligations(Case.objects.get(pk=case.pk))

    assert dues(case) == [
        ("progress", "Delårsbokslut 2", D(2027, 8, 31), "accepted"),
        ("progress", "Årsbokslut", D(2027, 12, 31), "submitted"),
        ("progress", "Delårsbokslut 2", D(2028, 8, 31), "open"),
        ("progress", "Årsbokslut", D(2028, 12, 31), "open"),
        ("progress", "Delårsbokslut 2", D(2029, 8, 31), "open"),
        ("progress", "Årsbokslut", D(2029, 12, 31), "open"),
        ("final", "Slutrapport", D(2030, 2, 28), "open"),
    ]
    assert case.reporting_obligations.get(pk=first.pk).status == ObligationStatus.ACCEPTED


def test_recompute_after_extension_norrkoping_moves_half_time(running):
    case, _users = running("norrkoping")
    services.generate_obligations(case)
    Case.objects.filter(pk=case.pk).update(extended_end=D(2030, 2, 28))

    services.generate_obligations(Case.objects.get(pk=case.pk))

    assert dues(case) == [
        ("half_time", "Halvtidsuppföljning", D(2028, 8, 29), "open"),
        ("final", "Slutrapport", D(2030, 2, 28), "open"),
    ]


def test_generate_obligations_not_running_refused(new_case):
    case, _users = new_case("ystad")

    with pytest.raises(ValidationError, match="pågående projekt"):
        services.generate_obligations(case)

    assert not ReportingObligation.objects.exists()


def test_generate_obligations_due_before_start_refused(running, monkeypatch):
    case, _users = running("ystad")
    planned = list(ReportingObligation.objects.values_list("pk", "due_date"))
    early = Due("progress", D(2027, 3, 1), D(2027, 2, 1), D(2027, 2, 1), "decision_body", "Delårsbokslut 2")
    monkeypatch.setattr(services, "report_schedule", lambda *args: [early])

    with pytest.raises(ValidationError, match="före projektets start 2027-03-01"):
        services.generate_obligations(case)

    assert list(ReportingObligation.objects.values_list("pk", "due_date")) == planned


def test_send_due_reminders_before_on_and_after_due_date(running):
    case, users = running("heby")
    services.generate_obligations(case)
    applicant, management = users["applicant"], users["management"]

    def sent_on(day):
        before = set(Notification.objects.values_list("pk", flat=True))
        services.send_due_reminders(today=day)
        return sorted(
            (n.recipient_id, n.text) for n in Notification.objects.exclude(pk__in=before).order_by("recipient_id")
        )

    assert sent_on(D(2027, 12, 16)) == []
    assert sent_on(D(2027, 12, 17)) == [
        (applicant.pk, f"Påminnelse: Årlig uppföljning för {case} ska lämnas senast 2027-12-31.")
    ]
    assert sent_on(D(2027, 12, 18)) == []
    assert sent_on(D(2027, 12, 31)) == [(applicant.pk, f"I dag, 2027-12-31, ska Årlig uppföljning för {case} lämnas.")]
    assert sent_on(D(2028, 1, 13)) == []
    escalation = f"Årlig uppföljning för {case} skulle ha lämnats senast 2027-12-31 och har inte kommit in."
    assert sent_on(D(2028, 1, 14)) == sorted([(applicant.pk, escalation), (management.pk, escalation)])
    assert sent_on(D(2028, 1, 15)) == []


def test_send_due_reminders_submitted_report_is_not_reminded(running):
    case, _users = running("heby")
    services.generate_obligations(case)
    case.reporting_obligations.update(status=ObligationStatus.SUBMITTED)

    assert services.send_due_reminders(today=D(2027, 12, 31)) == 0
    assert not Notification.objects.exists()


def test_send_due_reminders_late_run_sends_only_the_latest_step(running):
    case, _users = running("heby")
    services.generate_obligations(case)

    services.send_due_reminders(today=D(2028, 2, 1))

    first = case.reporting_obligations.order_by("due_date").first()
    assert (first.reminded_before_at, first.reminded_due_at, first.escalated_at is not None) == (None, None, True)
    assert Notification.objects.count() == 2
    assert services.send_due_reminders(today=D(2028, 2, 2)) == 0


def test_send_report_reminders_task_uses_today(running, time_machine):
    case, _users = running("heby")
    services.generate_obligations(case)
    time_machine.move_to(datetime.datetime(2027, 12, 17, 7, tzinfo=STOCKHOLM))

    assert send_report_reminders.delay().get() == 1
    assert send_report_reminders.delay().get() == 0
    assert Notification.objects.get().kind == NotificationKind.DEADLINE_NEAR


def test_reports_are_planned_when_the_project_starts_and_replanned_on_extension(new_case, time_machine):
    from applications.deadlines import add_months
    from applications.enums import CaseState

    time_machine.move_to("2026-09-15 10:00 +02:00")
    case, users = new_case("sundsvall")
    case = walk_to(case, CaseState.RUNNING, users)
    planned = case.reporting_obligations.count()
    last_due = case.reporting_obligations.order_by("-due_date").first().due_date

    from decisions.models import DecisionKind
    from tests.decisions.helpers import decide

    case, _decision = decide(
        case, DecisionKind.EXTEND, users["decision_body"], reason="Förlängt.", new_end=add_months(case.end_date, 6)
    )

    assert planned > 0
    assert case.reporting_obligations.order_by("-due_date").first().due_date > last_due


@pytest.mark.django_db
def test_report_reminder_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reporting.tasks.send_report_reminders")
    assert (task.crontab.hour, task.crontab.minute) == ("6", "30")
