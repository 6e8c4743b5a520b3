"""A granted project's follow-up: its organisation and plan, the reporting obligations generated
from the rule set, the reports written, submitted and accepted, and the reminders about them."""

import datetime
import os
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from applications.enums import RUNNING_STATES, CaseState
from applications.models import Case
from applications.rules import is_case_applicant
from applications.services import (
    ALLOWED_UPLOADS,
    TransitionRefusedError,
    Waiting,
    case_history,
    complete_start_step,
    run_transition,
    upload_problem,
)
from audit.services import record
from decisions.models import DecisionLine
from evaluation.enums import Group
from evaluation.models import Indicator, IndicatorValue
from evaluation.services import enter_indicator_value
from funds.enums import EntryKind
from funds.models import LedgerEntry
from funds.services import may_record_money, record_payout
from municipalities.rulebook.enums import ReportSchedule
from notifications.models import NotificationKind
from notifications.services import notify_each

from .models import (
    REPORTING_ROLES,
    WRITABLE_STATUSES,
    ObligationStatus,
    ProjectMember,
    ProjectPlan,
    ProjectRole,
    Report,
    ReportAttachment,
    ReportCostLine,
    ReportingDate,
    ReportingObligation,
)
from .organisation import is_reporter, project_manager, project_owners
from .rules import sets_reporting_dates
from .schedule import report_schedule

# Cases still carrying out their project: an abort is only proposed, the work goes on.
REPORTING_STATES = [*RUNNING_STATES, CaseState.ABORT_PROPOSED]
# Reports can still be written and reviewed once the final report has been handed in.
REPORT_WRITING_STATES = [*REPORTING_STATES, CaseState.FINAL_REPORT]
# A project's organisation is set from the grant until it ends.
ORGANISATION_STATES = [CaseState.GRANTED, CaseState.STARTING, *REPORTING_STATES]
KEPT_STATUSES = [ObligationStatus.SUBMITTED, ObligationStatus.RETURNED, ObligationStatus.ACCEPTED]
# Headings of a report when the rule set's obligation names no contents of its own.
DEFAULT_REPORT_HEADINGS = [
    "Genomförda aktiviteter",
    "Progression sedan föregående rapport",
    "Effekter hittills",
]
# Headings of a project plan when the rule set has no template.
DEFAULT_PLAN_HEADINGS = [
    "Bakgrund och syfte",
    "Mål och förväntade effekter",
    "Aktiviteter och tidplan",
    "Projektorganisation och ansvar",
    "Budget",
    "Uppföljning och utvärdering",
    "Risker",
    "Plan för implementering",
]


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
            case.rules.reporting, case.period_start, case.end_date, fixed_dates_by_year(case.municipality)
        )
        for due in dues:
            if due.due_date < case.period_start or due.period_start < case.period_start:
                raise ValidationError(
                    _("%(name)s kan inte lämnas %(due)s, före projektets start %(start)s.")
                    % {"name": due.name, "due": due.due_date.isoformat(), "start": case.period_start.isoformat()}
                )
        # A report begun (even a draft) is kept with its obligation; only untouched ones are replanned.
        kept = case.reporting_obligations.filter(Q(status__in=KEPT_STATUSES) | Q(report__isnull=False))
        done = {(obligation.kind, obligation.name, obligation.period_end) for obligation in kept}
        case.reporting_obligations.filter(status=ObligationStatus.OPEN, report__isnull=True).delete()
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


# ---- The project's organisation and plan -------------------------------------------------------


def may_organise(case, user):
    """(allowed, reason) for setting the project organisation and plan: the applicants taking part
    in the case, the project's owners and the preparing group, while the project lives."""
    if case.state not in ORGANISATION_STATES:
        return False, _("Projektorganisationen kan bara ändras från beviljande till projektslut.")
    if user.municipality_id != case.municipality_id:
        return False, _("Ärendet tillhör en annan kommun.")
    rules = case.rules
    if user.has_role(rules.preparation_role) or any(owner.pk == user.pk for owner in project_owners(case)):
        return True, ""
    if is_case_applicant(user, case):
        return True, ""
    return False, _("Bara de sökande, projektägaren eller %(body)s kan ändra projektorganisationen.") % {
        "body": rules.body_name(rules.preparation_role)
    }


def ensure_project_manager(case):
    """A project that begins its start gets the applicant as project manager until another is named."""
    if not case.project_members.filter(role=ProjectRole.MANAGER).exists():
        ProjectMember.objects.create(case=case, role=ProjectRole.MANAGER, user=case.created_by)


def _organisation_summary(case):
    return {
        role.value: sorted(str(m.user) for m in case.project_members.all() if m.role == role) for role in ProjectRole
    }


def set_project_organisation(case, user, *, manager, owners=(), group=(), steering=()):
    """Replace the project organisation: one manager, owners (förvaltningschefer), a project group
    of one person per participating party (the person's unit is the party they represent) and a
    steering group. Everyone must belong to the case's municipality.

    Refuses (TransitionRefusedError) a user who may not organise the project, and
    (ValidationError, by field) a person of another municipality or two group members for one
    party. Side effects: the case's ProjectMember rows; the history records before and after.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        allowed, reason = may_organise(case, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        chosen = {"manager": [manager], "owners": list(owners), "group": list(group), "steering": list(steering)}
        errors = {}
        for field, people in chosen.items():
            foreign = [str(p) for p in people if p is not None and p.municipality_id != case.municipality_id]
            if foreign:
                errors[field] = _("%(people)s hör inte till %(municipality)s.") % {
                    "people": ", ".join(foreign),
                    "municipality": case.municipality.name,
                }
        if manager is None:
            errors["manager"] = _("Ange projektledare.")
        parties = {}
        for person in chosen["group"]:
            if person.unit_id in parties and "group" not in errors:
                errors["group"] = _("%(a)s och %(b)s företräder samma part (%(unit)s); en person per part.") % {
                    "a": parties[person.unit_id],
                    "b": person,
                    "unit": person.unit.name if person.unit_id else _("ingen enhet"),
                }
            parties[person.unit_id] = person
        if errors:
            raise ValidationError(errors)
        before = _organisation_summary(case)
        case.project_members.all().delete()
        roles = {
            ProjectRole.MANAGER: chosen["manager"],
            ProjectRole.OWNER: chosen["owners"],
            ProjectRole.GROUP: chosen["group"],
            ProjectRole.STEERING: chosen["steering"],
        }
        ProjectMember.objects.bulk_create(
            ProjectMember(
                case=case, role=role, user=person, unit_id=person.unit_id if role == ProjectRole.GROUP else None
            )
            for role, people in roles.items()
            for person in dict.fromkeys(people)
        )
        case = Case.objects.prefetch_related("project_members__user").get(pk=case.pk)
        record(case, "project.organisation", actor=user, data={"before": before, "after": _organisation_summary(case)})
    return case


def plan_headings(case):
    return list(case.rules.stages.start.project_plan_template) or DEFAULT_PLAN_HEADINGS


def save_project_plan(case, user, texts):
    """Save the project plan under the rule set's headings (``texts`` in the headings' order)."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        allowed, reason = may_organise(case, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        sections = [
            {"title": title, "text": text.strip()} for title, text in zip(plan_headings(case), texts, strict=True)
        ]
        plan, created = ProjectPlan.objects.update_or_create(
            case=case, defaults={"sections": sections, "updated_by": user}
        )
        record(case, "project.plan", actor=user, data={"created": created})
        complete_start_step(case, "project_plan", user, comment=_("Projektplanen är sparad."))
    return plan


# ---- Reports -----------------------------------------------------------------------------------


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


def _period(obligation):
    return f"{obligation.period_start}–{obligation.period_end}"


def report_history(obligation):
    """The history entries of this report (submitted, returned, accepted), oldest first."""
    return [
        entry
        for entry in case_history(obligation.case)
        if entry.action.startswith("report.")
        and entry.data.get("report") == obligation.name
        and entry.data.get("period") == _period(obligation)
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


def may_write_report(obligation, user):
    """(allowed, reason) for ``user`` writing or submitting the report now."""
    case = obligation.case
    if user.municipality_id != case.municipality_id or not is_reporter(case, user):
        return False, _("Bara projektledaren eller projektägaren kan skriva projektets rapporter.")
    if case.state not in REPORT_WRITING_STATES:
        return False, _("Projektet är %(state)s; rapporter lämnas bara medan det pågår.") % {
            "state": case.get_state_display()
        }
    if obligation.status == ObligationStatus.ACCEPTED:
        return False, _("Rapporten för perioden %(start)s–%(end)s är redan godkänd.") % {
            "start": obligation.period_start.isoformat(),
            "end": obligation.period_end.isoformat(),
        }
    if obligation.status == ObligationStatus.SUBMITTED:
        return False, _("Rapporten är inlämnad och väntar på granskning.")
    return True, ""


def may_review_report(obligation, user):
    """(allowed, reason) for ``user`` accepting the report or asking for completion."""
    case = obligation.case
    role = obligation.receiver_role or case.rules.preparation_role
    if user.municipality_id != case.municipality_id or not user.has_role(role):
        return False, _("Bara %(body)s tar emot rapporten.") % {"body": case.rules.body_name(role)}
    if obligation.status != ObligationStatus.SUBMITTED:
        return False, _("Rapporten är %(status)s; bara en inlämnad rapport granskas.") % {
            "status": obligation.get_status_display()
        }
    return True, ""


def _lock_obligation(obligation):
    return (
        ReportingObligation.objects.select_for_update(of=("self",))
        .select_related("case__ruleset_version", "case__municipality", "case__created_by")
        .get(pk=obligation.pk)
    )


def _report_url(obligation):
    return reverse("reporting:report", args=[obligation.case_id, obligation.pk])


def _status_change(case, action, obligation, user, before, *, reason=""):
    record(
        case,
        action,
        actor=user,
        from_state=f"report:{before}",
        to_state=f"report:{obligation.status}",
        reason=reason,
        data={"report": obligation.name, "period": _period(obligation)},
    )


def report_indicators(obligation):
    """The indicators of the case's measurement plan, with the values measured at the end of the
    report's period: [(indicator, {group: value})]."""
    indicators = list(Indicator.objects.filter(plan__case=obligation.case_id).order_by("id"))
    values = IndicatorValue.objects.filter(indicator__in=indicators, period=obligation.period_end)
    measured = {}
    for value in values:
        measured.setdefault(value.indicator_id, {})[value.group] = value.value
    return [(indicator, measured.get(indicator.pk, {})) for indicator in indicators]


def save_report(obligation, user, *, texts, outcomes, economy_comment="", submit=False, measured=None):
    """Save the report of ``obligation`` as a draft, or submit it.

    ``texts`` are the answers under ``report_headings`` in order; ``outcomes`` maps each year of
    ``report_years`` to the amount spent (Decimal). A submission needs every text and every year.
    ``measured`` maps an indicator's id to ``{group: value}`` measured at the period's end; the
    values go to the measurement plan (evaluation), marked with this report.

    Refuses (TransitionRefusedError) someone outside the project, a report already submitted or
    accepted, and a project that is not running; (ValidationError, by field) missing or negative
    figures, a report submitted before ``submittable_from`` and a final report while an abort is
    proposed. Side effects on submission: the obligation becomes "submitted", the history records
    it, the receivers (and those the rule set keeps informed) are notified with a link to the
    report, and the final report that closes the follow-up makes the case "slutrapport inlämnad"
    in the same transaction.
    """
    with transaction.atomic():
        obligation = _lock_obligation(obligation)
        case = obligation.case
        allowed, reason = may_write_report(obligation, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        headings = report_headings(obligation)
        years = report_years(obligation)
        if len(texts) != len(headings):
            raise ValidationError(_("Rapporten ska ha %(n)s avsnitt.") % {"n": len(headings)})
        errors = _report_problems(obligation, texts, outcomes, submit=submit)
        if errors:
            raise ValidationError(errors)
        budget = budget_by_year(case)
        report, _created = Report.objects.update_or_create(
            obligation=obligation,
            defaults={
                "sections": [{"title": t, "text": x.strip()} for t, x in zip(headings, texts, strict=True)],
                "economy_comment": economy_comment.strip(),
                "updated_by": user,
            },
        )
        report.cost_lines.all().delete()
        ReportCostLine.objects.bulk_create(
            ReportCostLine(report=report, year=year, budget=budget.get(year, Decimal("0.00")), outcome=outcomes[year])
            for year in years
            if outcomes.get(year) is not None
        )
        _store_measured(obligation, report, user, measured or {})
        if submit:
            before = obligation.status
            report.submitted_by, report.submitted_at = user, timezone.now()
            report.save(update_fields=["submitted_by", "submitted_at"])
            obligation.status = ObligationStatus.SUBMITTED
            obligation.save(update_fields=["status"])
            _status_change(case, "report.submitted", obligation, user, before)
            if _closes_with_final_report(case, obligation):
                run_transition(
                    case,
                    "submit_final_report",
                    user,
                    content=_("%(name)s för perioden %(period)s")
                    % {"name": obligation.name, "period": _period(obligation)},
                )
            values = {"name": obligation.name, "case": case, "who": user}
            notify_each(
                _receivers(obligation),
                NotificationKind.REPORT_SUBMITTED,
                gettext_lazy("%(who)s har lämnat %(name)s för %(case)s. Granska och godkänn den."),
                values,
                case=case,
                url=_report_url(obligation),
            )
    return report


def _is_closing_final_report(case, obligation):
    """Whether this is the final report that closes the project's follow-up."""
    return (
        case.rules.reporting.has_final_report
        and obligation.kind == case.rules.reporting.closing_report_kind
        and obligation.period_end == max(o.period_end for o in case.reporting_obligations.filter(kind=obligation.kind))
    )


def _closes_with_final_report(case, obligation):
    """Whether submitting this report makes the case "slutrapport inlämnad": it is the final
    report, handed in for the first time while the project runs (a completed one is not)."""
    return case.state in RUNNING_STATES and _is_closing_final_report(case, obligation)


def _report_problems(obligation, texts, outcomes, *, submit):
    """What is wrong with the report, by field: negative figures always; on submission also empty
    headings, missing years and a period that has not begun."""
    errors = {}
    for year in report_years(obligation):
        amount = outcomes.get(year)
        if amount is not None and amount < 0:
            errors[f"outcome_{year}"] = _("Utfallet kan inte vara negativt.")
        elif amount is None and submit:
            errors[f"outcome_{year}"] = _("Ange utfallet för %(year)s (0 om inget har använts).") % {"year": year}
    if submit:
        for index, text in enumerate(texts):
            if not text.strip():
                errors[f"text_{index}"] = _("Skriv något under rubriken innan rapporten lämnas in.")
        case = obligation.case
        if case.state == CaseState.ABORT_PROPOSED and _is_closing_final_report(case, obligation):
            errors["__all__"] = _("Slutrapporten lämnas in när beslutet om det föreslagna avbrottet är fattat.")
            return errors
        opens = submittable_from(obligation)
        if timezone.localdate() < opens:
            errors["__all__"] = _(
                "Rapporten för perioden %(start)s–%(end)s kan lämnas in från och med %(date)s. "
                "Spara den som utkast så länge."
            ) % {
                "start": obligation.period_start.isoformat(),
                "end": obligation.period_end.isoformat(),
                "date": opens.isoformat(),
            }
    return errors


def _store_measured(obligation, report, user, measured):
    """The indicator values entered in the report go to the measurement plan, marked with it."""
    indicators = {indicator.pk: indicator for indicator, _values in report_indicators(obligation)}
    for indicator_id, by_group in measured.items():
        for group, value in by_group.items():
            if value is not None and indicator_id in indicators and group in Group.values:
                enter_indicator_value(
                    indicators[indicator_id],
                    user,
                    period=obligation.period_end,
                    group=group,
                    value=value,
                    report_id=report.pk,
                )


def add_report_attachment(obligation, user, upload, *, max_mb):
    """Attach a file to the report (a draft is created if there is none yet)."""
    with transaction.atomic():
        obligation = _lock_obligation(obligation)
        allowed, reason = may_write_report(obligation, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        problem = upload_problem(upload, max_mb)
        if problem:
            raise TransitionRefusedError(problem)
        report, _created = Report.objects.get_or_create(
            obligation=obligation,
            defaults={"sections": [{"title": t, "text": ""} for t in report_headings(obligation)], "updated_by": user},
        )
        return ReportAttachment.objects.create(
            report=report,
            file=upload,
            original_name=os.path.basename(upload.name),
            size=upload.size,
            content_type=ALLOWED_UPLOADS[os.path.splitext(upload.name)[1].lower()][0],
            uploaded_by=user,
        )


def review_report(obligation, user, *, accept, comment=""):
    """Accept the submitted report, or send it back for completion (a comment is then required).

    Side effects: the obligation's status, the report's review fields, the history, and a
    notification to the project manager (and the one who submitted) with a link to the report.
    """
    with transaction.atomic():
        obligation = _lock_obligation(obligation)
        case = obligation.case
        allowed, reason = may_review_report(obligation, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        if not accept and not comment.strip():
            raise ValidationError({"comment": _("Skriv vad som behöver kompletteras.")})
        report = obligation.report
        before = obligation.status
        obligation.status = ObligationStatus.ACCEPTED if accept else ObligationStatus.RETURNED
        obligation.save(update_fields=["status"])
        report.reviewed_by, report.reviewed_at, report.review_comment = user, timezone.now(), comment.strip()
        report.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
        _status_change(
            case, "report.accepted" if accept else "report.returned", obligation, user, before, reason=comment.strip()
        )
        values = {"name": obligation.name, "case": case, "who": user}
        if accept:
            message = gettext_lazy("%(who)s har godkänt %(name)s för %(case)s.")
        else:
            message = gettext_lazy("%(who)s ber om komplettering av %(name)s för %(case)s.")
        notify_each(
            [project_manager(case), report.submitted_by, *_informed(obligation)],
            NotificationKind.REPORT_REVIEWED,
            message,
            values,
            case=case,
            url=_report_url(obligation),
        )
    return obligation


def _receivers(obligation):
    """Who is told of a submitted report: its receiver, and those the rule set keeps informed."""
    case = obligation.case
    return [*_holding(case, obligation.receiver_role or case.rules.preparation_role), *_informed(obligation)]


def _informed(obligation):
    """Those who get the report for their information (Sundsvall: PLU)."""
    case = obligation.case
    return [person for role in case.rules.informed_roles(obligation.kind) for person in _holding(case, role)]


def _holding(case, role):
    return list(get_user_model().objects.holding(role, case.municipality))


# ---- What a running project waits for ------------------------------------------------------------


def report_waits(case):
    """What a running project waits for in its reports (its "Nästa steg" and the lists of what waits
    for whom): the project to hand in each report it may hand in now, or was asked to complete;
    the receiver to review each one handed in. Reads the case's prefetched obligations and
    organisation (applications.services.PROJECT_WAITS)."""
    today = timezone.localdate()
    waits = []
    for obligation in sorted(case.reporting_obligations.all(), key=lambda o: (o.due_date, o.pk)):
        obligation.case = case
        report = _("%(name)s för perioden %(start)s – %(end)s") % {
            "name": obligation.name,
            "start": obligation.period_start.isoformat(),
            "end": obligation.period_end.isoformat(),
        }
        if obligation.status == ObligationStatus.SUBMITTED:
            receiver = obligation.receiver_role or case.rules.preparation_role
            waits.append(Waiting(receiver, _("Rapport att granska: %(report)s.") % {"report": report}))
        elif obligation.status == ObligationStatus.RETURNED:
            waits.append(_reporters_waited_on(case, _("Rapport att komplettera: %(report)s.") % {"report": report}))
        elif obligation.status in WRITABLE_STATUSES and submittable_from(obligation) <= today:
            reason = _("Rapport att lämna: %(report)s, senast %(due)s.") % {
                "report": report,
                "due": obligation.due_date.isoformat(),
            }
            waits.append(_reporters_waited_on(case, reason))
    return waits


def _reporters_waited_on(case, reason):
    """The project's reporters (its manager and owners) are waited on, shown by its manager."""
    manager = project_manager(case)
    owners = {m.user_id for m in case.project_members.all() if m.role in REPORTING_ROLES}
    return Waiting(
        case.rules.applicant_role,
        reason,
        people=frozenset({manager.pk, *owners}),
        who=_("Projektledaren %(name)s") % {"name": manager},
    )


# ---- Overview ----------------------------------------------------------------------------------


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


# ---- Reminders ---------------------------------------------------------------------------------


def send_due_reminders(today=None):
    """Remind about reports not yet submitted (open, or sent back for completion):
    ``reminder_days_before`` days before the due date and on it, the project manager;
    ``escalate_after_days`` after it, the manager, the project owners and the municipality's
    ledningsgrupp. Each step is sent once: its marker is set in the same transaction as the
    notifications, on a row locked with skip_locked, so running this twice, or in two workers,
    sends nothing twice. A step whose day has passed unsent is sent late rather than never, but
    not after a later step (no "due today" after an escalation). Texts are in each receiver's
    language and link to the report's form.

    Side effects: Notification rows of kind "deadline_near" and their e-mails. Returns the
    number of notifications created.
    """
    today = today or timezone.localdate()
    candidates = ReportingObligation.objects.filter(
        status__in=WRITABLE_STATUSES, escalated_at__isnull=True, case__state__in=REPORTING_STATES
    ).values_list("pk", flat=True)
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            obligation = (
                ReportingObligation.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("case__ruleset_version", "case__created_by")
                .filter(pk=pk, status__in=WRITABLE_STATUSES, escalated_at__isnull=True)
                .first()
            )
            if obligation is not None:
                sent += _remind(obligation, today)
    return sent


def _remind(obligation, today):
    case = obligation.case
    rules = case.rules.reporting
    before = datetime.timedelta(days=rules.reminder_days_before)
    escalate = datetime.timedelta(days=rules.escalate_after_days)
    values = {"name": obligation.name, "case": case, "due": obligation.due_date.isoformat()}
    now = timezone.now()
    manager = project_manager(case)
    if today >= obligation.due_date + escalate:
        message = gettext_lazy("%(name)s för %(case)s skulle ha lämnats senast %(due)s och har inte kommit in.")
        recipients = [manager, *project_owners(case), *_management(case)]
        obligation.escalated_at = now
        field = "escalated_at"
    elif today >= obligation.due_date and obligation.reminded_due_at is None:
        message = gettext_lazy("I dag, %(due)s, ska %(name)s för %(case)s lämnas.")
        recipients = [manager]
        obligation.reminded_due_at = now
        field = "reminded_due_at"
    elif obligation.due_date - before <= today < obligation.due_date and obligation.reminded_before_at is None:
        message = gettext_lazy("Påminnelse: %(name)s för %(case)s ska lämnas senast %(due)s.")
        recipients = [manager]
        obligation.reminded_before_at = now
        field = "reminded_before_at"
    else:
        return 0
    notifications = notify_each(
        recipients, NotificationKind.DEADLINE_NEAR, message, values, case=case, url=_report_url(obligation)
    )
    obligation.save(update_fields=[field])
    return len(notifications)


def _management(case):
    """The municipality's ledningsgrupp, who with the owners answer for the project."""
    return list(get_user_model().objects.holding(Role.MANAGEMENT, case.municipality))


# ---- Fixed reporting dates set by the admin ----------------------------------------------------


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


def set_reporting_date(municipality, user, *, name, year, date):
    """Set the year's date of a fixed reporting date, then replan the open reports of the
    municipality's running projects so their due dates follow it.

    Refuses (TransitionRefusedError) anyone but the municipality's admin, and (ValidationError, by
    field) a name the rule set does not have or a date outside the year. Returns the number of
    projects replanned.
    """
    if not sets_reporting_dates.test(user, municipality):
        raise TransitionRefusedError(_("Bara kommunens administratör kan sätta rapporteringsdatum."))
    if name not in fixed_date_names(municipality):
        raise ValidationError(
            {"name": _("Regelverket har inget rapporteringsdatum som heter %(name)s.") % {"name": name}}
        )
    if date.year != year:
        raise ValidationError({"date": _("Datumet måste ligga inom det angivna året.")})
    with transaction.atomic():
        row = ReportingDate.objects.filter(municipality=municipality, name=name, year=year).first()
        before = row.date.isoformat() if row else ""
        ReportingDate.objects.update_or_create(municipality=municipality, name=name, year=year, defaults={"date": date})
        record(
            municipality,
            "reporting.date_set",
            actor=user,
            municipality=municipality,
            data={"name": name, "year": year, "before": before, "after": date.isoformat()},
        )
        running = Case.objects.filter(municipality=municipality, state__in=REPORTING_STATES)
        for case in running:
            generate_obligations(case)
    return running.count()


# ---- Budget compensation with the report (Ystad) -----------------------------------------------


def reported_costs(case, year, report_id=None, whole_year=False):
    """The outcome for ``year`` that the case's accepted reports state: the named report's, or
    else the latest accepted report's that has the year; with ``whole_year``, only a report whose
    period runs to the year's end (or the project's, when it ends that year). None where no
    accepted report states it. The fund reads it (funds.services.reported_costs) to cap budget
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
    may_pay = obligation.status == ObligationStatus.ACCEPTED and may_record_money(user, case.municipality_id)
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


def pay_budget_compensation(obligation, user, *, amount):
    """Pay the budget compensation for an accepted report, through the fund's ledger (which checks
    the money, the role and how many times a year). Refuses a report not yet accepted."""
    if obligation.status != ObligationStatus.ACCEPTED:
        raise TransitionRefusedError(_("Budgetkompensation betalas ut när rapporten är godkänd."))
    return record_payout(
        obligation.case,
        user,
        amount=amount,
        year=obligation.period_end.year,
        report_id=obligation.report.pk,
        # Named as people know the report, for the ledger and the accounting's export.
        reference=f"{obligation.name} {_period(obligation)}",
    )
