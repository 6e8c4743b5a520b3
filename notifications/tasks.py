from celery import shared_task

from .services import resend_unsent_emails, send_digests, send_notification_email


@shared_task
def email_notification(notification_id):
    """Queued when a notification's transaction commits."""
    return send_notification_email(notification_id)


@shared_task
def resend_unsent_notification_emails():
    """Beat-scheduled: send again what a mail server that was down left unsent."""
    return resend_unsent_emails()


@shared_task
def send_daily_digests():
    """Beat-scheduled every morning: one e-mail per person of the day's digest notifications."""
    return send_digests()
