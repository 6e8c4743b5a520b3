from celery import shared_task

from .services import send_due_reminders


@shared_task
def send_report_reminders():
    """Beat-scheduled daily: remind about reports due soon, due today or overdue."""
    return send_due_reminders()
