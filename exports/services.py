"""Starting and running exports. The job reads as the user who asked, so the tenant scoping and
the filters are the same in the task as they would be in the request."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.filenames import file_name

from .enums import FILE_STEMS, ExportFormat, ExportKind
from .models import ExportJob
from .tables import ANNUAL_REPORT_KINDS, table
from .writers import write


def may_export(user):
    return user.has_perm("exports.export")


def tables_for(job_or_kind, user, filters):
    kind = getattr(job_or_kind, "kind", job_or_kind)
    if kind == ExportKind.ANNUAL_REPORT:
        return [table(k, user, {"year": filters["year"]}) for k in ANNUAL_REPORT_KINDS]
    return [table(kind, user, filters)]


@transaction.atomic
def start_export(user, *, kind, export_format, filters):
    """Create the job and queue its task after commit; returns the job. Refused (PermissionDenied)
    for anyone who may not export. Side effects: one ExportJob row, one queued task."""
    from .tasks import run_export_task

    if not may_export(user):
        raise PermissionDenied(_("Du har inte behörighet att exportera."))
    if kind == ExportKind.ANNUAL_REPORT:
        export_format = ExportFormat.XLSX
    job = ExportJob.objects.create(
        municipality_id=user.municipality_id,
        created_by=user,
        kind=kind,
        format=export_format,
        filters=filters,
    )
    transaction.on_commit(lambda: run_export_task.delay(job.pk))
    return job


# The job page's progress moves in steps of 5 %.
PROGRESS_STEPS = 20


def run_export(job_id):
    """Write the job's file, saving its progress in at most ``PROGRESS_STEPS`` steps. A failure
    stops the job with its reason."""
    job = ExportJob.objects.select_related("created_by", "municipality").get(pk=job_id)
    if not job.may_run:
        return job
    user = job.created_by
    tables = tables_for(job, user, job.filters)
    total = sum(t.count for t in tables)
    job.mark_running(total=total)

    saved = {"step": 0}

    def progress(done):
        # At most PROGRESS_STEPS updates whatever the size, so the queries do not grow with the rows.
        step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
        if step > saved["step"]:
            saved["step"] = step
            job.record_progress(done)

    try:
        content, extension = write(tables, job.format, progress)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the job page, not lost in the worker
        job.mark_failed(error)
    else:
        job.mark_done(content=content, filename=export_file_name(job, extension), done=total)
    job.refresh_from_db()
    return job


def export_file_name(job, extension):
    """A Swedish name with the municipality and the day: "arenden-ystad-2026-05-01.xlsx"; the
    annual report names its year: "arsredovisning-ystad-2026.xlsx"."""
    if job.kind == ExportKind.ANNUAL_REPORT:
        return file_name(FILE_STEMS[job.kind], job.municipality.slug, job.filters.get("year"), extension=extension)
    return file_name(FILE_STEMS[job.kind], job.municipality.slug, timezone.localdate().isoformat(), extension=extension)


def jobs_for(user):
    """The user's municipality's recent exports (the file is downloadable only by them)."""
    return ExportJob.objects.filter(municipality_id=user.municipality_id).defer("content")
