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
from applications.selectors import cases_for_list
from core.permissions import own_municipality, permission_required
from core.refusals import DomainRefusedError, refuse, show_refusal
from projects import services as project_services
from projects.enums import ProjectRole
from projects.forms import OrganisationForm
from projects.models import ProjectMember
from projects.organisation import project_manager

from . import selectors, services
from .forms import CompensationForm, HeadingsForm, ReportForm, ReportingDateForm, ReviewForm
from .models import ReportAttachment


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
    may_organise, reason = project_services.may_organise(case, request.user)
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
                project_services.set_project_organisation(case, request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Projektorganisationen är sparad."))
                return redirect("reporting:project", case.pk)
    plan = getattr(case, "project_plan", None)
    headings = selectors.plan_headings(case)
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
            "obligations": selectors.case_obligations(case),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_view(request, pk):
    case = _case_for(request, pk)
    form = HeadingsForm(request.POST, headings=selectors.plan_headings(case))
    form.is_valid()
    try:
        services.save_project_plan(case, request.user, form.texts())
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Projektplanen är sparad."))
    return redirect("reporting:project", case.pk)


def _render_report(request, obligation, *, form=None, review_form=None, compensation_form=None, status=200):
    """The report page: the form for the project, the report and its review for the receiver. A
    refused form (the report, the review or a budget compensation) comes back bound, with what the
    user typed and the errors by the fields."""
    page = selectors.report_page(obligation, request.user)
    may_write, write_reason = services.may_write_report(obligation, request.user)
    may_review, review_reason = services.may_review_report(obligation, request.user)
    suggested = page["compensation"]["suggested"] if page["compensation"] else None
    return render(
        request,
        "reporting/report.html",
        {
            **page,
            "form": form or ReportForm.for_report(obligation),
            "may_write": may_write,
            "write_reason": write_reason,
            "may_review": may_review,
            "review_reason": review_reason,
            "review_form": review_form or ReviewForm(),
            "attachment_form": AttachmentForm(),
            "compensation_form": compensation_form or CompensationForm(initial={"amount": suggested}),
        },
        status=status,
    )


@login_required
def report_view(request, pk, obligation_id):
    """One report: the form for the project manager, the report and the review for the receiver."""
    case = _case_for(request, pk)
    obligation = _obligation_for(case, obligation_id)
    if request.method != "POST":
        return _render_report(request, obligation)
    may_write, write_reason = services.may_write_report(obligation, request.user)
    if not may_write:
        raise PermissionDenied(write_reason)
    form = ReportForm.for_report(obligation, request.POST)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.save_report(obligation, request.user, submit=submit, **form.contents())
        except DomainRefusedError as refusal:
            show_refusal(form, refusal, NON_FIELD_ERRORS)
        except ValidationError as error:
            form.add_errors(error)
        else:
            saved = _("Rapporten är inlämnad.") if submit else _("Utkastet är sparat. Du kan fortsätta senare.")
            messages.success(request, saved)
            return redirect("reporting:report", case.pk, obligation.pk)
    return _render_report(request, _obligation_for(case, obligation.pk), form=form, status=400)


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
    return _render_report(request, _obligation_for(case, obligation.pk), review_form=form, status=400)


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
    return _render_report(request, obligation, compensation_form=form, status=400)


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
    return render(request, "reporting/overview.html", selectors.reporting_overview(request.user))


@login_required
@permission_required(
    "reporting.set_dates",
    fn=own_municipality,
    message=gettext_lazy("Bara kommunens administratör kan sätta rapporteringsdatum."),
    given_as="municipality",
)
def reporting_dates_view(request, municipality):
    """The municipal admin sets each year's fixed reporting dates (Ystad's bokslut dates)."""
    names = selectors.fixed_date_names(municipality)
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
    chosen = selectors.fixed_dates_by_year(municipality)
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
