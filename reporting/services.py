"""A granted project's follow-up: its organisation and plan, the reporting obligations generated
from the rule set, the reports written, submitted and accepted, and the reminders about them.
What the pages show of it is read in ``reporting.selectors``."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from applications.enums import RUNNING_STATES, CaseState, state_clause
from applications.models import Case
from applications.services import TransitionRefusedError
from applications.services.lifecycle import run_transition
from applications.services.steps import complete_start_step
from audit.services import record
from core.uploads import upload_problem
from evaluation.enums import Group
from evaluation.services import enter_indicator_value
from funds.services import record_payout
from notifications.models import NotificationKind
from notifications.services import notify_each
from projects.organisation import is_reporter, project_manager, project_owners
from projects.services import may_organise

from .models import (
    REPORT_WRITING_STATES,
    REPORTING_STATES,
    WRITABLE_STATUSES,
    ObligationStatus,
    ProjectPlan,
    Report,
    ReportAttachment,
    ReportCostLine,
    ReportingDate,
    ReportingObligation,
)
from .rules import sets_reporting_dates
from .schedule import report_schedule
from .selectors import (
    budget_by_year,
    fixed_date_names,
    fixed_dates_by_year,
    plan_headings,
    record_name,
    report_headings,
    report_indicators,
    report_period,
    report_years,
    submittable_from,
)

KEPT_STATUSES = [ObligationStatus.SUBMITTED, ObligationStatus.RETURNED, ObligationStatus.ACCEPTED]


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
                    % {
                        "name": due.display_name,
                        "due": due.due_date.isoformat(),
                        "start": case.period_start.isoformat(),
                    }
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


# ---- The project's plan ------------------------------------------------------------------------


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


def may_write_report(obligation, user):
    """(allowed, reason) for ``user`` writing or submitting the report now."""
    case = obligation.case
    if user.municipality_id != case.municipality_id or not is_reporter(case, user):
        return False, _("Bara projektledaren eller projektägaren kan skriva projektets rapporter.")
    if case.state not in REPORT_WRITING_STATES:
        return False, _("Rapporter lämnas bara medan projektet pågår, inte när %(state)s.") % {
            "state": state_clause(case.state)
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
        data={"report": record_name(obligation), "obligation": obligation.pk, "period": report_period(obligation)},
    )


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
                    % {"name": record_name(obligation), "period": report_period(obligation)},
                )
            values = {"name": obligation.display_name, "case": case, "who": user}
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
        return ReportAttachment.create_from_upload(upload, report=report, uploaded_by=user)


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
        values = {"name": obligation.display_name, "case": case, "who": user}
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
    values = {"name": obligation.display_name, "case": case, "due": obligation.due_date.isoformat()}
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
        reference=f"{record_name(obligation)} {report_period(obligation)}",
    )
