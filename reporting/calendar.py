"""Reminders of the calendar's deadlines other than reports: a feedback deadline to the group that
owes the applicant an answer (Ale: one month, June and July not counted), and application windows
opening and closing (Norrköping's two periods a year) to department staff.

Each reminder is keyed (``SentReminder``): the key is inserted in the same transaction as the
notifications, and a second run, or a second worker, fails on the unique key and sends nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.deadlines import feedback_due
from applications.enums import CaseState
from applications.models import Case
from municipalities.models import Municipality
from notifications.models import NotificationKind
from notifications.services import notify_each

from .models import SentReminder

# Reminders of a feedback deadline go out this many days before it, and on the day.
FEEDBACK_REMINDER_DAYS = 7
# Staff are told this many days before an application window closes.
WINDOW_CLOSING_DAYS = 7
# Where the feedback is still owed: the idea or the application has come in and is not answered.
AWAITING_FEEDBACK = {
    CaseState.IDEA_SUBMITTED: "idea_submitted_at",
    CaseState.IDEA_IN_REVIEW: "idea_submitted_at",
    CaseState.SUBMITTED: "submitted_at",
    CaseState.RESUBMITTED: "submitted_at",
}


def _send_once(key, recipients, kind, message, values, *, case=None, url=""):
    """Notify ``recipients`` unless ``key`` was sent before. Returns the number notified."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
            return len(notify_each(recipients, kind, message, values, case=case, url=url))
    except IntegrityError:
        return 0


def feedback_deadline_of(case):
    """The day the applicant must have an answer, or None where the rule set sets no deadline."""
    deadline = case.rules.calendar.feedback_deadline
    received = getattr(case, AWAITING_FEEDBACK.get(case.state, ""), None)
    if not deadline or received is None:
        return None
    return feedback_due(timezone.localtime(received).date(), deadline.months, deadline.days, deadline.excluded_months)


def send_feedback_reminders(today=None):
    """Remind the group that owes an answer ``FEEDBACK_REMINDER_DAYS`` before the deadline and on
    it. Returns the number of notifications created."""
    today = today or timezone.localdate()
    sent = 0
    cases = Case.objects.filter(state__in=list(AWAITING_FEEDBACK)).select_related("ruleset_version", "municipality")
    for case in cases:
        due = feedback_deadline_of(case)
        if due is None:
            continue
        values = {"case": case, "due": due.isoformat()}
        if today == due:
            step, message = "due", _("I dag, %(due)s, ska sökande för %(case)s ha fått besked.")
        elif due - datetime.timedelta(days=FEEDBACK_REMINDER_DAYS) <= today < due:
            step, message = "before", _("Påminnelse: sökande för %(case)s ska ha besked senast %(due)s.")
        else:
            continue
        role = case.rules.calendar.feedback_deadline.actor_role
        sent += _send_once(
            f"feedback:{case.pk}:{due.isoformat()}:{step}",
            list(get_user_model().objects.holding(role, case.municipality)),
            NotificationKind.DEADLINE_NEAR,
            message,
            values,
            case=case,
            url=reverse("applications:detail", args=[case.pk]),
        )
    return sent


def send_application_window_reminders(today=None):
    """Tell each municipality's applicants when an application window of its rule set in force
    opens, and ``WINDOW_CLOSING_DAYS`` before it closes. Returns the number of notifications."""
    today = today or timezone.localdate()
    sent = 0
    for municipality in Municipality.objects.all():
        ruleset = municipality.active_ruleset
        if ruleset is None:
            continue
        rules = ruleset.rules
        for window in rules.calendar.application_windows:
            opens, closes = window.dates(today.year)
            values = {"name": window.name, "opens": opens.isoformat(), "closes": closes.isoformat()}
            if today == opens:
                step, message = "opens", _("%(name)s har öppnat: ansökningar tas emot till och med %(closes)s.")
            elif today == closes - datetime.timedelta(days=WINDOW_CLOSING_DAYS):
                step, message = "closing", _("%(name)s stänger %(closes)s: lämna in ansökan senast då.")
            else:
                continue
            sent += _send_once(
                f"window:{municipality.pk}:{window.name}:{today.year}:{step}",
                list(get_user_model().objects.holding(rules.applicant_role, municipality)),
                NotificationKind.APPLICATION_WINDOW,
                message,
                values,
                url=reverse("applications:list"),
            )
    return sent
