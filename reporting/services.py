"""Reporting obligations of running projects: generating them from the rule set and reminding
those who owe a report."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from applications.enums import RUNNING_STATES, CaseState
from applications.models import Case
from notifications.models import NotificationKind
from notifications.services import notify

from .models import ObligationStatus, ReportingDate, ReportingObligation
from .schedule import report_schedule

# Cases still carrying out their project: an abort is only proposed, the work goes on.
REPORTING_STATES = [*RUNNING_STATES, CaseState.ABORT_PROPOSED]
KEPT_STATUSES = [ObligationStatus.SUBMITTED, ObligationStatus.ACCEPTED]


def fixed_dates_by_year(municipality):
    """The admin's fixed reporting dates of a municipality: ``{year: {name: date}}``."""
    chosen = {}
    for row in ReportingDate.objects.filter(municipality=municipality):
        chosen.setdefault(row.year, {})[row.name] = row.date
    return chosen


def generate_obligations(case):
    """Create the case's reporting obligations from its rule set, or recompute them (after an
    extension moved the end date): submitted and accepted reports are kept, open ones replaced.

    Side effects: deletes the case's open obligations and creates the new ones, in one
    transaction with the case row locked. Returns the case's obligations, ordered by due date.
    Refuses (ValidationError) a case that is not running, lacks its period, or a due date before
    the project's start.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("ruleset_version").get(pk=case.pk)
        if case.state not in REPORTING_STATES:
            raise ValidationError(_("Rapporteringen kan bara planeras för ett pågående projekt."))
        if not case.period_start or not case.end_date:
            raise ValidationError(_("Projektet saknar start- eller slutdatum."))
        dues = report_schedule(
            case.rules.document, case.period_start, case.end_date, fixed_dates_by_year(case.municipality)
        )
        for due in dues:
            if due.due_date < case.period_start or due.period_start < case.period_start:
                raise ValidationError(
                    _("%(name)s kan inte lämnas %(due)s, före projektets start %(start)s.")
                    % {"name": due.name, "due": due.due_date.isoformat(), "start": case.period_start.isoformat()}
                )
        kept = case.reporting_obligations.filter(status__in=KEPT_STATUSES)
        done = {(obligation.kind, obligation.name, obligation.period_end) for obligation in kept}
        case.reporting_obligations.filter(status=ObligationStatus.OPEN).delete()
        ReportingObligation.objects.bulk_create(
            ReportingObligation(
                case=case,
                kind=due.kind,
                name=due.name,
                period_start=due.period_start,
                period_end=due.period_end,
                due_date=due.due_date,
                receiver_role=due.receiver_role,
            )
            for due in dues
            if (due.kind, due.name, due.period_end) not in done
        )
    return list(case.reporting_obligations.order_by("due_date", "id"))


def send_due_reminders(today=None):
    """Remind about open reports: ``reminder_days_before`` days before the due date and on it,
    the case's applicant; ``escalate_after_days`` after it, the project owner (the applicant and
    the municipality's ledningsgrupp). Each step is sent once: its marker is set in the same
    transaction as the notifications, on a row locked with skip_locked, so running this twice,
    or in two workers, sends nothing twice. A step whose day has passed unsent is sent late
    rather than never, but not after a later step (no "due today" after an escalation).

    Side effects: Notification rows of kind "deadline_near" and their e-mails. Returns the
    number of notifications created.
    """
    today = today or timezone.localdate()
    candidates = ReportingObligation.objects.filter(
        status=ObligationStatus.OPEN, escalated_at__isnull=True, case__state__in=REPORTING_STATES
    ).values_list("pk", flat=True)
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            obligation = (
                ReportingObligation.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("case__ruleset_version", "case__created_by")
                .filter(pk=pk, status=ObligationStatus.OPEN, escalated_at__isnull=True)
                .first()
            )
            if obligation is not None:
                sent += _remind(obligation, today)
    return sent


def _remind(obligation, today):
    case = obligation.case
    rules = case.rules.document.get("reporting") or {}
    before = datetime.timedelta(days=rules.get("reminder_days_before", 14))
    escalate = datetime.timedelta(days=rules.get("escalate_after_days", 14))
    url = reverse("applications:detail", args=[case.pk])
    values = {"name": obligation.name, "case": case, "due": obligation.due_date.isoformat()}
    now = timezone.now()
    if today >= obligation.due_date + escalate:
        text = _("%(name)s för %(case)s skulle ha lämnats senast %(due)s och har inte kommit in.") % values
        recipients = [case.created_by, *_management(case)]
        obligation.escalated_at = now
        field = "escalated_at"
    elif today >= obligation.due_date and obligation.reminded_due_at is None:
        text = _("I dag, %(due)s, ska %(name)s för %(case)s lämnas.") % values
        recipients = [case.created_by]
        obligation.reminded_due_at = now
        field = "reminded_due_at"
    elif obligation.due_date - before <= today < obligation.due_date and obligation.reminded_before_at is None:
        text = _("Påminnelse: %(name)s för %(case)s ska lämnas senast %(due)s.") % values
        recipients = [case.created_by]
        obligation.reminded_before_at = now
        field = "reminded_before_at"
    else:
        return 0
    unique = list(dict.fromkeys(recipients))  # the applicant may also sit in the ledningsgrupp
    for person in unique:
        notify(person, NotificationKind.DEADLINE_NEAR, text, case=case, url=url)
    obligation.save(update_fields=[field])
    return len(unique)


def _management(case):
    """The municipality's ledningsgrupp, who with the applicant stand for the project owner."""
    return list(
        case.municipality.members.filter(role_assignments__role=Role.MANAGEMENT, is_active=True)
        .distinct()
        .order_by("pk")
    )
