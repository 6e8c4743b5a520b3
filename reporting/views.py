from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.forms import AttachmentForm
from applications.services import cases_for_list
from core.permissions import own_municipality, permission_required
from core.refusals import DomainRefusedError, refuse, show_refusal

from . import services
from .forms import CompensationForm, HeadingsForm, OrganisationForm, ReportForm, ReportingDateForm, ReviewForm
from .models import ProjectMember, ProjectRole, ReportAttachment
from .organisation import project_manager


def _case_for(request, pk):
    """The case if the user may see it; another municipality's case is 'not found'."""
    cases = cases_for_list(request.user).prefetch_related(
        Prefetch("project_members", queryset=ProjectMember.objects.select_related("user__unit"))
    )
    return get_object_or_404(cases, pk=pk)


def _obligation_for(case, obligation_id):
    obligation = get_object_or_404(
        case.reporting_obligations.select_related("report__submitted_by", "report__reviewed_by"), pk=obligation_id
    )
    obligation.case = case  # the case already carries its prefetched organisation
    return obligation


@login_required
def project_view(request, pk):
    """The project's organisation and plan; those who may, change them here."""
    case = _case_for(request, pk)
    may_organise, reason = services.may_organise(case, request.user)
    members = {role: [m for m in case.project_members.all() if m.role == role] for role in ProjectRole}
    form = OrganisationForm(
        request.POST or None,
        municipality=case.municipality,
        initial={
            "manager": project_manager(case),
            "owners": [m.user for m in members[ProjectRole.OWNER]],
            "group": [m.user for m in members[ProjectRole.GROUP]],
            "steering": [m.user for m in members[ProjectRole.STEERING]],
        },
    )
    if request.method == "POST":
        if not may_organise:
            raise PermissionDenied(reason)
        if form.is_valid():
            try:
                services.set_project_organisation(case, request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Projektorganisationen är sparad."))
                return redirect("reporting:project", case.pk)
    plan = getattr(case, "project_plan", None)
    headings = services.plan_headings(case)
    plan_texts = {section["title"]: section["text"] for section in plan.sections} if plan else {}
    plan_form = HeadingsForm(
        headings=headings, initial={f"text_{i}": plan_texts.get(title, "") for i, title in enumerate(headings)}
    )
    return render(
        request,
        "reporting/project.html",
        {
            "case": case,
            "members": [(role.label, members[role]) for role in ProjectRole],
            "manager": project_manager(case),
            "form": form,
            "plan": plan,
            "plan_form": plan_form,
            "may_organise": may_organise,
            "reason": reason,
            "obligations": services.case_obligations(case),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_view(request, pk):
    case = _case_for(request, pk)
    form = HeadingsForm(request.POST, headings=services.plan_headings(case))
    form.is_valid()
    try:
        services.save_project_plan(case, request.user, form.texts())
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Projektplanen är sparad."))
    return redirect("reporting:project", case.pk)


def _report_form(obligation, data=None):
    """The report form, with what the report holds so far, or bound to what the user typed."""
    report = getattr(obligation, "report", None)
    headings = services.report_headings(obligation)
    rows = services.economy_rows(obligation)
    indicators = services.report_indicators(obligation)
    written = {section["title"]: section["text"] for section in report.sections} if report else {}
    return ReportForm(
        data,
        headings=headings,
        years=[year for year, _budget, _outcome in rows],
        indicators=indicators,
        initial={
            **{
                f"indicator_{indicator.pk}_{group}": value
                for indicator, measured in indicators
                for group, value in measured.items()
            },
            **{f"text_{i}": written.get(title, "") for i, title in enumerate(headings)},
            **{f"outcome_{year}": outcome for year, _budget, outcome in rows},
            "economy_comment": report.economy_comment if report else "",
        },
    )


def _render_report(request, case, obligation, *, form=None, review_form=None, compensation_form=None, status=200):
    """The report page: the form for the project, the report and its review for the receiver. A
    refused form (the report, the review or a budget compensation) comes back bound, with what the
    user typed and the errors by the fields."""
    user = request.user
    may_write, write_reason = services.may_write_report(obligation, user)
    report = getattr(obligation, "report", None)
    headings = services.report_headings(obligation)
    rows = services.economy_rows(obligation)
    indicators = services.report_indicators(obligation)
    form = form or _report_form(obligation)
    may_review, review_reason = services.may_review_report(obligation, user)
    compensation = services.budget_compensation(obligation, user)
    return render(
        request,
        "reporting/report.html",
        {
            "case": case,
            "obligation": obligation,
            "report": report,
            "headings": headings,
            "form": form,
            "text_fields": [form[f"text_{index}"] for index in range(len(headings))],
            "outcome_fields": [(form[f"outcome_{year}"], budget) for year, budget, _outcome in rows],
            "indicator_fields": [
                (indicator, form[f"indicator_{indicator.pk}_target"], form[f"indicator_{indicator.pk}_comparison"])
                for indicator, _measured in indicators
            ],
            "indicators": indicators,
            "rows": services.economy_table(rows),
            "may_write": may_write,
            "write_reason": write_reason,
            "may_review": may_review,
            "review_reason": review_reason,
            "review_form": review_form or ReviewForm(),
            "attachment_form": AttachmentForm(),
            "attachments": list(report.attachments.all()) if report else [],
            "history": services.report_history(obligation),
            "manager": project_manager(case),
            "compensation": compensation,
            "compensation_form": compensation_form
            or CompensationForm(initial={"amount": compensation["suggested"] if compensation else None}),
            "receiver": case.rules.body_name(obligation.receiver_role or case.rules.preparation_role),
            "informed": services.informed_bodies(obligation),
            "submittable_from": services.submittable_from(obligation),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def report_view(request, pk, obligation_id):
    """One report: the form for the project manager, the report and the review for the receiver."""
    case = _case_for(request, pk)
    obligation = _obligation_for(case, obligation_id)
    if request.method != "POST":
        return _render_report(request, case, obligation)
    may_write, write_reason = services.may_write_report(obligation, request.user)
    if not may_write:
        raise PermissionDenied(write_reason)
    form = _report_form(obligation, request.POST)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.save_report(
                obligation,
                request.user,
                texts=form.texts(),
                outcomes=form.outcomes(),
                economy_comment=form.cleaned_data["economy_comment"],
                submit=submit,
                measured=form.measured(),
            )
        except DomainRefusedError as refusal:
            show_refusal(form, refusal, NON_FIELD_ERRORS)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(
                request,
                _("Rapporten är inlämnad.") if submit else _("Utkastet är sparat. Du kan fortsätta senare."),
            )
            return redirect("reporting:report", case.pk, obligation.pk)
    return _render_report(request, case, _obligation_for(case, obligation.pk), form=form, status=400)


@login_required
@require_POST
def review_view(request, pk, obligation_id):
    """The receiver accepts the report or asks for completion; a refusal comes back on the page
    with the comment as typed."""
    case = _case_for(request, pk)
    obligation = _obligation_for(case, obligation_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    accept = request.POST.get("action") == "accept"
    try:
        services.review_report(obligation, request.user, accept=accept, comment=form.cleaned_data.get("comment", ""))
    except DomainRefusedError as refusal:
        show_refusal(form, refusal, NON_FIELD_ERRORS)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        messages.success(
            request, _("Rapporten är godkänd.") if accept else _("Rapporten är skickad tillbaka för komplettering.")
        )
        return redirect("reporting:report", case.pk, obligation.pk)
    return _render_report(request, case, _obligation_for(case, obligation.pk), review_form=form, status=400)


@login_required
@require_POST
def compensate_view(request, pk, obligation_id):
    """Pay the budget compensation that goes with an accepted report (Ystad)."""
    case = _case_for(request, pk)
    obligation = _obligation_for(case, obligation_id)
    form = CompensationForm(request.POST)
    if form.is_valid():
        try:
            services.pay_budget_compensation(obligation, request.user, amount=form.cleaned_data["amount"])
        except DomainRefusedError as refusal:
            # The amount, the report or the year: all are the amount the user typed for this report.
            show_refusal(
                form, refusal, "amount" if refusal.field in ("amount", "reference", "year") else NON_FIELD_ERRORS
            )
        else:
            messages.success(request, _("Budgetkompensationen är bokförd i fonden."))
            return redirect("reporting:report", case.pk, obligation.pk)
    return _render_report(request, case, obligation, compensation_form=form, status=400)


@login_required
@require_POST
def upload_view(request, pk, obligation_id):
    case = _case_for(request, pk)
    obligation = _obligation_for(case, obligation_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_report_attachment(
                obligation, request.user, form.cleaned_data["file"], max_mb=settings.MAX_UPLOAD_MB
            )
        except DomainRefusedError as refusal:
            refuse(request, refusal)
        else:
            messages.success(request, _("Bilagan är uppladdad."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect("reporting:report", case.pk, obligation.pk)


@login_required
def attachment_view(request, pk, obligation_id, attachment_id):
    case = _case_for(request, pk)
    attachment = get_object_or_404(
        ReportAttachment, pk=attachment_id, report__obligation_id=obligation_id, report__obligation__case=case
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@permission_required(
    "reporting.view_overview",
    message=gettext_lazy("Översikten över uppföljningen är för beredare, controllers och ledning."),
)
def overview_view(request):
    """Every project's next report (overdue first) and the reports waiting for acceptance."""
    return render(request, "reporting/overview.html", services.reporting_overview(request.user))


@login_required
@permission_required(
    "reporting.set_dates",
    fn=own_municipality,
    message=gettext_lazy("Bara kommunens administratör kan sätta rapporteringsdatum."),
    given_as="municipality",
)
def reporting_dates_view(request, municipality):
    """The municipal admin sets each year's fixed reporting dates (Ystad's bokslut dates)."""
    names = services.fixed_date_names(municipality)
    form = ReportingDateForm(request.POST or None, names=list(names))
    if request.method == "POST" and form.is_valid():
        try:
            replanned = services.set_reporting_date(municipality, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(
                request,
                _("Datumet är sparat; %(count)s pågående projekt har fått sina rapporter omplanerade.")
                % {"count": replanned},
            )
            return redirect("reporting:dates")
    year = timezone.localdate().year
    chosen = services.fixed_dates_by_year(municipality)
    rows = [
        (name, [(y, chosen.get(y, {}).get(name), f"{y}-{default}") for y in (year, year + 1)])
        for name, default in names.items()
    ]
    return render(
        request,
        "reporting/dates.html",
        {"form": form, "rows": rows, "years": (year, year + 1), "municipality": municipality},
        status=400 if form.errors else 200,
    )
