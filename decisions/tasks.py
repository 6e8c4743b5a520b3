from celery import shared_task

from .meetings import run_job


@shared_task
def render_meeting_documents(job_id):
    """Render a decision meeting's documents (agenda, decision bases) with progress."""
    return run_job(job_id).status
