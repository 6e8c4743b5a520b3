from celery import shared_task

from .letters import resend_unsent_letters, send_letter
from .meetings import run_job


@shared_task
def render_meeting_documents(job_id):
    """Render a decision meeting's documents (agenda, decision bases) with progress."""
    return run_job(job_id).status


@shared_task
def send_decision_letter(document_id):
    """Queued when the decision's letter has been issued and committed."""
    return send_letter(document_id)


@shared_task
def resend_unsent_decision_letters():
    """Beat-scheduled: send again the letters a mail server that was down left unsent."""
    return resend_unsent_letters()
