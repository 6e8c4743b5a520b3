"""A person's deadline calendar: the dates that concern them in their municipality, for the
calendar page and its iCal feed. Nothing here writes.

What concerns whom:
- a report's due date: the project's reporters (its manager and owners) and the body that
  receives the report;
- a remiss's deadline: the nämnd asked (its representatives) or the official it was delegated
  to, and the one who sent it;
- an application window of the rule set in force: everyone of the municipality;
- a decision meeting (a decision round, or a meeting whose agenda is issued): the municipality's
  staff, and the applicants whose case is up for it;
- a feedback deadline (Ale: an answer within a month): the group that owes the answer and the
  case's applicants.
Every reading is of the user's own municipality only (``Case.objects.visible_to`` and the
municipality's own rows): a calendar never holds another tenant's dates.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.rules import is_staff_member
from applications.enums import CLOSED_STATES
from applications.models import Case, DecisionRound
from applications.rules import is_case_applicant
from consultations.models import OPEN_FOR_CONSULTATION, Consultation
from core.enums import JobStatus
from decisions.models import MeetingDocumentsJob
from municipalities.units import upwards
from projects.models import ProjectMember
from projects.organisation import is_reporter
from reporting.calendar import AWAITING_FEEDBACK, feedback_deadline_of
from reporting.models import REPORT_WRITING_STATES, WRITABLE_STATUSES, ReportingObligation

# The calendar looks this far ahead; what is late is shown however long ago it was due.
MONTHS_AHEAD = 12


class EntryKind:
    REPORT = "report"
    CONSULTATION = "consultation"
    WINDOW = "window"
    MEETING = "meeting"
    FEEDBACK = "feedback"


def kind_label(kind):
    return {
        EntryKind.REPORT: pgettext("calendar", "Rapport"),
        EntryKind.CONSULTATION: pgettext("calendar", "Remissvar"),
        EntryKind.WINDOW: pgettext("calendar", "Ansökningsperiod"),
        EntryKind.MEETING: pgettext("calendar", "Sammanträde"),
        EntryKind.FEEDBACK: pgettext("calendar", "Besked till sökande"),
    }[kind]


@dataclass(frozen=True)
class CalendarEntry:
    date: datetime.date
    kind: str  # EntryKind
    title: str
    uid: str  # the same item keeps its uid, so a calendar program updates rather than duplicates it
    detail: str = ""
    url: str = ""  # where the user acts or reads more (a path on this site)
    end: datetime.date | None = None  # the last day of a period (an application window)
    # Still owed and past its date (a report, a remiss answer, a feedback deadline).
    late: bool = False

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def days_late(self):
        return (timezone.localdate() - self.date).days if self.late else 0


def calendar_range(today):
    """(first, last) day the calendar shows: from the start of this month a year ahead."""
    first = today.replace(day=1)
    year, month = divmod(first.month - 1 + MONTHS_AHEAD, 12)
    return first, datetime.date(first.year + year, month + 1, 1) - datetime.timedelta(days=1)


def calendar_entries(user, today=None):
    """The dates that concern ``user`` in their municipality, in date order: from the start of
    this month a year ahead, and whatever is still owed from before. A fixed number of queries.
    A user without a municipality (the system admin) has no calendar."""
    today = today or timezone.localdate()
    if not user.is_authenticated or user.municipality_id is None:
        return []
    first, last = calendar_range(today)
    cases = Case.objects.visible_to(user).filter(municipality_id=user.municipality_id)
    entries = [
        *_reports(user, cases, last, today),
        *_consultations(user, cases, last, today),
        *_windows(user, first, last),
        *_meetings(user, cases, first, last),
        *_feedback(user, cases, last, today),
    ]
    return sorted(entries, key=lambda e: (e.date, e.kind, e.title))


def by_month(entries):
    """[(first day of the month, [entries])] in date order."""
    return [(month, list(group)) for month, group in itertools.groupby(entries, key=lambda e: e.date.replace(day=1))]


def _reports(user, cases, last, today):
    obligations = (
        ReportingObligation.objects.filter(
            case__in=cases,
            case__state__in=REPORT_WRITING_STATES,
            status__in=WRITABLE_STATUSES,
            due_date__lte=last,
        )
        .select_related("case__ruleset_version", "case__created_by")
        .prefetch_related(Prefetch("case__project_members", queryset=ProjectMember.objects.select_related("user")))
        .order_by("due_date", "id")
    )
    entries = []
    for obligation in obligations:
        case = obligation.case
        receiver = obligation.receiver_role or case.rules.preparation_role
        if is_reporter(case, user):
            title = _("%(report)s ska lämnas: %(case)s") % {"report": obligation.display_name, "case": case.title}
        elif user.has_role(receiver):
            title = _("%(report)s väntas in: %(case)s") % {"report": obligation.display_name, "case": case.title}
        else:
            continue
        entries.append(
            CalendarEntry(
                date=obligation.due_date,
                kind=EntryKind.REPORT,
                title=title,
                uid=f"report-{obligation.pk}",
                detail=_("Period %(start)s – %(end)s. %(number)s")
                % {
                    "start": obligation.period_start.isoformat(),
                    "end": obligation.period_end.isoformat(),
                    "number": case.number,
                },
                url=reverse("reporting:report", args=[case.pk, obligation.pk]),
                late=obligation.due_date < today,
            )
        )
    return entries


def _consultations(user, cases, last, today):
    spoken_for = {unit.pk for unit in upwards(user.unit)} if user.unit_id and user.has_role("board") else set()
    consultations = (
        Consultation.objects.filter(
            case__in=cases, case__state__in=OPEN_FOR_CONSULTATION, answered_at__isnull=True, deadline__lte=last
        )
        .select_related("case", "unit")
        .order_by("deadline", "id")
    )
    entries = []
    for consultation in consultations:
        answers = (
            consultation.delegate_id == user.pk if consultation.delegate_id else consultation.unit_id in spoken_for
        )
        if not answers and consultation.requested_by_id != user.pk:
            continue
        values = {"unit": consultation.unit.name, "case": consultation.case.title}
        title = _("Remissvar från %(unit)s: %(case)s") if answers else _("Remissvar väntas från %(unit)s: %(case)s")
        entries.append(
            CalendarEntry(
                date=consultation.deadline,
                kind=EntryKind.CONSULTATION,
                title=title % values,
                uid=f"consultation-{consultation.pk}",
                detail=consultation.question,
                url=reverse("applications:detail", args=[consultation.case_id]) + f"#consultation-{consultation.pk}",
                late=consultation.deadline < today,
            )
        )
    return entries


def _windows(user, first, last):
    ruleset = user.municipality.active_ruleset
    if ruleset is None:
        return []
    entries = []
    for window in ruleset.rules.calendar.application_windows:
        for year in range(first.year - 1, last.year + 1):
            opens, closes = window.dates(year)
            if closes < opens:  # a window over the new year closes the year after
                closes = window.dates(year + 1)[1]
            if closes < first or opens > last:
                continue
            entries.append(
                CalendarEntry(
                    date=opens,
                    end=closes,
                    kind=EntryKind.WINDOW,
                    title=window.name,
                    uid=f"window-{user.municipality_id}-{year}-{window.opens}-{window.closes}",
                    detail=_("Ansökningar tas emot %(opens)s – %(closes)s.")
                    % {"opens": opens.isoformat(), "closes": closes.isoformat()},
                    url=reverse("municipalities:ruleset", args=[user.municipality.slug]),
                )
            )
    return entries


def _meetings(user, cases, first, last):
    """The decision rounds and the meetings whose agenda is issued. Staff see them all; an
    applicant those that their open cases are up for."""
    rounds = list(DecisionRound.objects.filter(municipality_id=user.municipality_id, meeting_date__range=(first, last)))
    jobs = list(
        MeetingDocumentsJob.objects.filter(
            municipality_id=user.municipality_id, status=JobStatus.DONE, meeting_date__range=(first, last)
        ).order_by("meeting_date", "id")
    )
    if not is_staff_member(user):
        own = set(cases.exclude(state__in=CLOSED_STATES).values_list("pk", "decision_round_id"))
        own_cases = {pk for pk, _round in own}
        rounds = [r for r in rounds if r.pk in {round_id for _pk, round_id in own}]
        jobs = [job for job in jobs if own_cases & set(job.case_ids)]
    ruleset = user.municipality.active_ruleset
    body = ruleset.rules.body_name(ruleset.rules.decision_role) if ruleset else ""
    entries = [
        CalendarEntry(
            date=round_.meeting_date,
            kind=EntryKind.MEETING,
            title=_("Beslutstillfälle: %(name)s") % {"name": round_.name},
            uid=f"round-{round_.pk}",
            detail=_("Hålls bara om medel återstår.") if round_.requires_remaining_funds else "",
        )
        for round_ in rounds
    ]
    dated = {entry.date for entry in entries}
    for job in jobs:
        if job.meeting_date in dated:
            continue
        dated.add(job.meeting_date)
        entries.append(
            CalendarEntry(
                date=job.meeting_date,
                kind=EntryKind.MEETING,
                title=_("Sammanträde: %(body)s") % {"body": body},
                uid=f"meeting-{user.municipality_id}-{job.meeting_date.isoformat()}",
                detail=_("Föredragningslistan är utfärdad: %(count)s ärenden.") % {"count": len(job.case_ids)},
            )
        )
    return entries


def _feedback(user, cases, last, today):
    waiting = (
        cases.filter(state__in=list(AWAITING_FEEDBACK)).select_related("ruleset_version").prefetch_related("units")
    )
    entries = []
    for case in waiting:
        deadline = case.rules.calendar.feedback_deadline
        if deadline is None:
            continue
        owes = user.has_role(deadline.actor_role)
        if not owes and not is_case_applicant(user, case):
            continue
        due = feedback_deadline_of(case)
        if due is None or due > last:
            continue
        entries.append(
            CalendarEntry(
                date=due,
                kind=EntryKind.FEEDBACK,
                title=(_("Besked ska ges: %(case)s") if owes else _("Besked utlovat: %(case)s")) % {"case": case.title},
                uid=f"feedback-{case.pk}-{due.isoformat()}",
                detail=case.number,
                url=reverse("applications:detail", args=[case.pk]),
                late=due < today,
            )
        )
    return entries
