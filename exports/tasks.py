from celery import shared_task

from .services import run_export


@shared_task
def run_export_task(job_id):
    """Write an export's file with progress."""
    return run_export(job_id).status
