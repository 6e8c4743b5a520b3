from celery import shared_task

from .calendar import send_application_window_reminders, send_feedback_reminders
from .services import send_due_reminders


@shared_task
def send_report_reminders():
    """Beat-scheduled daily: remind about reports due soon, due today or overdue."""
    return send_due_reminders()


@shared_task
def send_calendar_reminders():
    """Beat-scheduled daily: feedback deadlines and application windows opening or closing."""
    return send_feedback_reminders() + send_application_window_reminders()
