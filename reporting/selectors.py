"""What a granted project's follow-up shows: its plan's and reports' headings, a report's economy,
history and indicators, what the project waits for, the follow-up overview, the fixed reporting
dates and the budget compensation a report offers. Nothing here writes; the operations are in
``reporting.services``."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Case
from applications.selectors import Waiting, WaitKind, case_history
from decisions.models import DecisionLine
from evaluation.models import Indicator, IndicatorValue
from funds.enums import EntryKind
from funds.models import LedgerEntry
from municipalities.rulebook.enums import ReportSchedule
from projects.enums import REPORTING_ROLES
from projects.models import ProjectMember
from projects.organisation import project_manager

from .models import (
    REPORT_WRITING_STATES,
    WRITABLE_STATUSES,
    ObligationStatus,
    ReportCostLine,
    ReportingDate,
    ReportingObligation,
)

# Headings of a report when the rule set's obligation names no contents of its own, and of a
# project plan when the rule set has no template. They are kept (and a saved plan or report
# stores them) in Swedish, and translated where they are shown: the form's labels, and the saved
# texts through {% translate %}. A rule set's own headings are its data and stay as written.
DEFAULT_REPORT_HEADINGS = [
    gettext_noop("Genomförda aktiviteter"),
    gettext_noop("Progression sedan föregående rapport"),
    gettext_noop("Effekter hittills"),
]
DEFAULT_PLAN_HEADINGS = [
    gettext_noop("Bakgrund och syfte"),
    gettext_noop("Mål och förväntade effekter"),
    gettext_noop("Aktiviteter och tidplan"),
    gettext_noop("Projektorganisation och ansvar"),
    gettext_noop("Budget"),
    gettext_noop("Uppföljning och utvärdering"),
    gettext_noop("Risker"),
    gettext_noop("Plan för implementering"),
]


# ---- The project's plan --------------------------------------------------------------------------


def plan_headings(case):
    return list(case.rules.stages.start.project_plan_template) or DEFAULT_PLAN_HEADINGS


# ---- A report ------------------------------------------------------------------------------------


def report_headings(obligation):
    """The headings a report answers: the rule set's contents for the obligation's kind, or ours."""
    rule = obligation.case.rules.reporting.obligation(obligation.kind)
    return list(rule.contents) if rule and rule.contents else DEFAULT_REPORT_HEADINGS


def budget_by_year(case):
    """The budget per year: the granted split of the latest grant, or the application's costs."""
    line = DecisionLine.objects.filter(case=case).grants().prefetch_related("years").first()
    if line is not None and line.years.all():
        return {year.year: year.amount for year in line.years.all()}
    return {cost.year: cost.amount for cost in case.costs.all()}


def report_years(obligation):
    """The project years up to the end of the report's period: the economy table's rows."""
    case = obligation.case
    return list(range(case.period_start.year, obligation.period_end.year + 1))


def economy_rows(obligation):
    """(year, budget, outcome) for the report's economy table: the outcome this report holds, or
    the latest earlier report's figure for that year, as a starting point."""
    budget = budget_by_year(obligation.case)
    outcomes = {}
    earlier = (
        ReportCostLine.objects.filter(report__obligation__case=obligation.case, report__submitted_at__isnull=False)
        .exclude(report__obligation=obligation)
        .order_by("report__submitted_at")
    )
    for line in earlier:
        outcomes[line.year] = line.outcome
    report = getattr(obligation, "report", None)
    if report is not None:
        for line in report.cost_lines.all():
            outcomes[line.year] = line.outcome
    return [(year, budget.get(year, Decimal("0.00")), outcomes.get(year)) for year in report_years(obligation)]


def economy_table(rows):
    """The report's economy: (year, budget, outcome, deviation) per year, and the project's totals
    so far. ``rows`` are ``economy_rows``."""
    years = [(year, budget, outcome, None if outcome is None else outcome - budget) for year, budget, outcome in rows]
    budget = sum((row[1] for row in years), Decimal("0.00"))
    outcome = sum((row[2] for row in years if row[2] is not None), Decimal("0.00"))
    return {"years": years, "budget": budget, "outcome": outcome, "deviation": outcome - budget}


def report_period(obligation):
    """The report's period as people name it: "2026-01-01–2026-06-30"."""
    return f"{obligation.period_start}–{obligation.period_end}"


def record_name(obligation):
    """The report's name as the municipality's records keep it (the history, the ledger's
    reference): Swedish, whatever the language of whoever acted."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(obligation.display_name)


def report_history(obligation):
    """The history entries of this report (submitted, returned, accepted), oldest first. Entries
    name the report's id; older ones only its Swedish name and period."""
    name, period = record_name(obligation), report_period(obligation)

    def of_this_report(entry):
        if "obligation" in entry.data:
            return entry.data["obligation"] == obligation.pk
        return entry.data.get("report") == name and entry.data.get("period") == period

    return [
        entry for entry in case_history(obligation.case) if entry.action.startswith("report.") and of_this_report(entry)
    ]


def submittable_from(obligation):
    """The first day the report may be submitted: its period's last day, or as many days before
    it as the rule set's early window allows (never before the period begins)."""
    days = obligation.case.rules.early_submission_days(obligation.kind)
    return max(obligation.period_start, obligation.period_end - datetime.timedelta(days=days))


def informed_bodies(obligation):
    """The names of the bodies that get the report for their information (Sundsvall: PLU)."""
    rules = obligation.case.rules
    return [rules.body_name(role) for role in rules.informed_roles(obligation.kind)]


def report_indicators(obligation):
    """The indicators of the case's measurement plan, with the values measured at the end of the
    report's period: [(indicator, {group: value})]."""
    indicators = list(Indicator.objects.filter(plan__case=obligation.case_id).order_by("id"))
    values = IndicatorValue.objects.filter(indicator__in=indicators, period=obligation.period_end)
    measured = {}
    for value in values:
        measured.setdefault(value.indicator_id, {})[value.group] = value.value
    return [(indicator, measured.get(indicator.pk, {})) for indicator in indicators]


def report_page(obligation, user):
    """What the report page shows of one report to ``user``, besides its forms and what the user may
    do: the report so far, its headings, economy, indicators, attachments and history, who receives
    it, the budget compensation it offers, and from when it may be handed in."""
    case = obligation.case
    report = getattr(obligation, "report", None)
    return {
        "case": case,
        "obligation": obligation,
        "report": report,
        "headings": report_headings(obligation),
        "rows": economy_table(economy_rows(obligation)),
        "indicators": report_indicators(obligation),
        "attachments": list(report.attachments.all()) if report else [],
        "history": report_history(obligation),
        "manager": project_manager(case),
        "compensation": budget_compensation(obligation, user),
        "receiver": case.rules.body_name(obligation.receiver_role or case.rules.preparation_role),
        "informed": informed_bodies(obligation),
        "submittable_from": submittable_from(obligation),
        "today": timezone.localdate(),
    }


# ---- What a running project waits for ------------------------------------------------------------


# A report is on its reporters' list this many days before it is due, even before it can be
# handed in: a month is time enough to write it.
REPORT_HORIZON_DAYS = 30


def report_waits(case):
    """What a project that still reports waits for in its reports (its "Nästa steg" and the lists
    of what waits for whom): the project to hand in each report due within REPORT_HORIZON_DAYS,
    or that it may hand in already, or was asked to complete; the receiver to review each one
    handed in. Reads the case's prefetched obligations and organisation
    (applications.selectors.CASE_WAITS)."""
    if case.state not in REPORT_WRITING_STATES:
        return []
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REPORT_HORIZON_DAYS)
    waits = []
    for obligation in sorted(case.reporting_obligations.all(), key=lambda o: (o.due_date, o.pk)):
        obligation.case = case
        report = _("%(name)s för perioden %(start)s – %(end)s") % {
            "name": obligation.display_name,
            "start": obligation.period_start.isoformat(),
            "end": obligation.period_end.isoformat(),
        }
        url = reverse("reporting:report", args=[case.pk, obligation.pk])
        if obligation.status == ObligationStatus.SUBMITTED:
            receiver = obligation.receiver_role or case.rules.preparation_role
            waits.append(
                Waiting(
                    receiver,
                    _("Rapport att granska: %(report)s.") % {"report": report},
                    url=url,
                    kind=WaitKind.REPORT_REVIEW,
                )
            )
        elif obligation.status == ObligationStatus.RETURNED:
            reason = _("Rapport att komplettera: %(report)s.") % {"report": report}
            waits.append(_reporters_waited_on(case, reason, url=url))
        elif obligation.status in WRITABLE_STATUSES and (
            submittable_from(obligation) <= today or obligation.due_date <= horizon
        ):
            reason = _("Rapport att lämna: %(report)s, senast %(due)s.") % {
                "report": report,
                "due": obligation.due_date.isoformat(),
            }
            waits.append(_reporters_waited_on(case, reason, url=url, due=obligation.due_date))
    return waits


def _reporters_waited_on(case, reason, *, url, due=None):
    """The project's reporters (its manager and owners) are waited on, shown by its manager."""
    manager = project_manager(case)
    owners = {m.user_id for m in case.project_members.all() if m.role in REPORTING_ROLES}
    return Waiting(
        case.rules.applicant_role,
        reason,
        people=frozenset({manager.pk, *owners}),
        who=_("Projektledaren %(name)s") % {"name": manager},
        due=due,
        url=url,
        kind=WaitKind.REPORT,
    )


# ---- Overview ------------------------------------------------------------------------------------


def reporting_overview(user, today=None):
    """For the preparer and the controller: every project's next report, overdue ones first, and
    the reports waiting for acceptance. A fixed number of queries whatever the number of projects."""
    today = today or timezone.localdate()
    obligations = list(
        ReportingObligation.objects.filter(
            case__in=Case.objects.visible_to(user), case__state__in=REPORT_WRITING_STATES
        )
        .exclude(status=ObligationStatus.ACCEPTED)
        .select_related("case__municipality", "case__ruleset_version", "case__created_by", "report__submitted_by")
        .prefetch_related(Prefetch("case__project_members", queryset=ProjectMember.objects.select_related("user")))
        .order_by("due_date", "id")
    )
    waiting = [o for o in obligations if o.status == ObligationStatus.SUBMITTED]
    next_by_case = {}
    for obligation in obligations:
        if obligation.status in WRITABLE_STATUSES:
            next_by_case.setdefault(obligation.case_id, obligation)
    upcoming = sorted(next_by_case.values(), key=lambda o: (o.due_date >= today, o.due_date, o.pk))
    return {"upcoming": upcoming, "waiting": waiting, "today": today}


def case_obligations(case):
    """The case's obligations with their reports, for the case page."""
    return list(case.reporting_obligations.select_related("report__submitted_by").order_by("due_date", "id"))


# ---- Fixed reporting dates set by the admin ------------------------------------------------------


def fixed_dates_by_year(municipality):
    """The admin's fixed reporting dates of a municipality: ``{year: {name: date}}``."""
    chosen = {}
    for row in ReportingDate.objects.filter(municipality=municipality):
        chosen.setdefault(row.year, {})[row.name] = row.date
    return chosen


def fixed_date_names(municipality):
    """The names of the fixed reporting dates the municipality's rule set in force asks for, with
    their default "MM-DD" (Ystad: delårsbokslut 2 and årsbokslut)."""
    ruleset = municipality.active_ruleset
    obligations = ruleset.rules.reporting.obligations if ruleset else ()
    return {
        fixed.name: fixed.default
        for obligation in obligations
        if obligation.schedule == ReportSchedule.FIXED_DATES
        for fixed in obligation.fixed_dates
    }


# ---- Budget compensation with the report (Ystad) -------------------------------------------------


def reported_costs(case, year, report_id=None, whole_year=False):
    """The outcome for ``year`` that the case's accepted reports state: the named report's, or
    else the latest accepted report's that has the year; with ``whole_year``, only a report whose
    period runs to the year's end (or the project's, when it ends that year). None where no
    accepted report states it. The fund reads it (funds.selectors.reported_costs) to cap budget
    compensations and freezes."""
    lines = ReportCostLine.objects.filter(
        report__obligation__case=case, report__obligation__status=ObligationStatus.ACCEPTED, year=year
    )
    if report_id is not None:
        lines = lines.filter(report_id=report_id)
    if whole_year:
        year_end = datetime.date(year, 12, 31)
        end = case.end_date
        lines = lines.filter(report__obligation__period_end__gte=min(year_end, end) if end else year_end)
    line = lines.order_by("-report__obligation__period_end", "-report__submitted_at", "-pk").first()
    return line.outcome if line else None


def budget_compensation(obligation, user):
    """What the report page offers for the rule set's budget compensation (Ystad: costs are
    compensated twice a year, with the reports), or None where the rule set pays otherwise.

    Returns the year compensated (the year the report's period ends), the outcome reported for it,
    what has been compensated for that year already, the suggested amount (the difference), the
    entries paid against this report, and whether ``user`` may pay now (a controller or the
    municipal admin, once the report is accepted)."""
    case = obligation.case
    if not case.rules.money.payouts.is_budget_compensation:
        return None
    report = getattr(obligation, "report", None)
    year = obligation.period_end.year
    outcome = next((line.outcome for line in report.cost_lines.all() if line.year == year), None) if report else None
    compensations = LedgerEntry.objects.filter(
        case=case, kind=EntryKind.BUDGET_COMPENSATION, reverses__isnull=True, reversed_by__isnull=True
    )
    compensated = sum((entry.amount for entry in compensations if entry.year == year), Decimal("0.00"))
    may_pay = obligation.status == ObligationStatus.ACCEPTED and user.has_perm("funds.record_money", case)
    suggested = max((outcome or Decimal("0.00")) - compensated, Decimal("0.00"))
    return {
        "year": year,
        "outcome": outcome,
        "compensated": compensated,
        "suggested": suggested,
        "paid": [entry for entry in compensations if report and entry.report_id == report.pk],
        "may_pay": may_pay,
        # The year's reported cost is compensated in full: nothing is left to pay against it.
        "all_paid": outcome is not None and suggested == 0,
    }
