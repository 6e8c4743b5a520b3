"""The export page, the job page that follows an export's progress, the download and the annual
report. Views parse, call one service and render; the tables decide what the user may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from applications.filters import SORT_KEY, CaseListFilter
from applications.models import Case
from core.enums import JobStatus
from core.filenames import file_name, set_disposition
from core.permissions import permission_required

from . import services
from .annual import render_annual_report
from .enums import ExportFormat, ExportKind
from .forms import AnnualReportForm, CaseListExportForm, ExportForm
from .models import ExportJob

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.CSV_SV: "text/csv; charset=utf-8",
}


# Every export page is for those who may export (exports.export).
exports = permission_required(
    "exports.export",
    message=gettext_lazy(
        "Export är till för kommunens controller, beredande grupp, ledningsgrupp, beslutande organ och administratör."
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
@exports
def index_view(request):
    """The filter form; a valid POST starts an export job. Invalid filters answer 400 with the
    reason by the field."""
    form = ExportForm(request.POST or None)
    annual_form = AnnualReportForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            job = services.start_export(
                request.user,
                kind=form.cleaned_data["kind"],
                export_format=form.cleaned_data["format"],
                filters=form.filters(),
            )
            return redirect("exports:job", job_id=job.pk)
        status = 400
    jobs = services.jobs_for(request.user)[:10]
    context = {"form": form, "annual_form": annual_form, "jobs": jobs}
    return render(request, "exports/index.html", context, status=status)


@login_required
@require_http_methods(["POST"])
@exports
def annual_report_view(request):
    """The annual report for a year: the PDF at once, or the XLSX as a job."""
    form = AnnualReportForm(request.POST)
    if not form.is_valid():
        context = {"form": ExportForm(), "annual_form": form, "jobs": services.jobs_for(request.user)[:10]}
        return render(request, "exports/index.html", context, status=400)
    year = form.cleaned_data["year"]
    if form.cleaned_data["format"] == "pdf":
        response = HttpResponse(render_annual_report(request.user, year), content_type="application/pdf")
        slug = request.user.municipality.slug if request.user.municipality else ""
        return set_disposition(response, file_name("arsredovisning", slug, year, extension="pdf"))
    job = services.start_export(
        request.user, kind=ExportKind.ANNUAL_REPORT, export_format=ExportFormat.XLSX, filters={"year": year}
    )
    return redirect("exports:job", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
@exports
def case_list_view(request):
    """The export of the case list as filtered: the page names the filters and the number of cases
    (the list's query string, or a POST's ``query``); a valid POST starts the job. Only the list's
    valid filters are kept, as the list itself shows the cases without an invalid one."""
    form = CaseListExportForm(request.POST or None, initial={"query": request.GET.urlencode()})
    query = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    filters = CaseListFilter(QueryDict(query), queryset=Case.objects.visible_to(request.user), user=request.user)
    kept = filters.query()
    kept.pop(SORT_KEY, None)
    if request.method == "POST" and form.is_valid():
        encoded = QueryDict(mutable=True)
        encoded.update(kept)
        job = services.start_export(
            request.user,
            kind=ExportKind.CASES,
            export_format=form.cleaned_data["format"],
            filters={"case_list": encoded.urlencode()},
        )
        return redirect("exports:job", job_id=job.pk)
    context = {"form": form, "filter": filters, "count": filters.qs.count(), "query": query}
    return render(request, "exports/case_list.html", context, status=400 if form.errors else 200)


def _job(request, job_id):
    """A job of the user's own municipality (404 for another's)."""
    return get_object_or_404(
        ExportJob.objects.defer("content"), pk=job_id, municipality_id=request.user.municipality_id
    )


@login_required
@exports
def job_view(request, job_id):
    return render(request, "exports/job.html", {"job": _job(request, job_id)})


@login_required
@exports
def download_view(request, job_id):
    job = _job(request, job_id)
    if job.status != JobStatus.DONE:
        return HttpResponse(status=404)
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type=CONTENT_TYPES[job.format])
    return set_disposition(response, job.filename)
