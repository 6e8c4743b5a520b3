"""Tell someone that something needs them: an in-app notification, and an e-mail sent after the
surrounding transaction commits (so nothing is mailed about a change that was rolled back).

E-mail is sent in a task. A mail server that is down leaves the notification unsent (it is never
marked sent), and the beat-scheduled ``resend_unsent_emails`` tries again later.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)
# An e-mail that could not be sent is tried again for this long, then left to the in-app notice.
RESEND_WITHIN = datetime.timedelta(days=3)


def notify(recipient, kind, text, *, case=None, url=""):
    """Create the notification and queue its e-mail. Returns the notification. ``text`` should be
    a finished sentence in the recipient's language (see ``notify_each``)."""
    notification = Notification.objects.create(recipient=recipient, kind=kind, case=case, text=str(text), url=url)
    transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notify_each(recipients, kind, message, values=None, *, case=None, url=""):
    """Notify each person once, with ``message`` (a lazily translated text, with ``values`` for
    its placeholders) in that person's language. Returns the notifications."""
    notifications = []
    for person in dict.fromkeys(recipients):  # once each, in the order given
        with translation.override(person.language or settings.LANGUAGE_CODE):
            text = str(message) % values if values else str(message)
            notifications.append(notify(person, kind, text, case=case, url=url))
    return notifications


def _queue_email(notification_id):
    from .tasks import email_notification

    email_notification.delay(notification_id)


def send_notification_email(notification_id):
    """Send one notification's e-mail, once: a notification already mailed is not mailed again.
    Returns True if it was sent now. A failure to reach the mail server is recorded on the
    notification, which stays unsent for ``resend_unsent_emails`` to try again."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "case")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        notification.email_attempts += 1
        try:
            with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
                subject = f"Fonden: {notification.get_kind_display()}"
                case_line = f"{notification.case}\n\n" if notification.case else ""
                send_mail(subject, f"{notification.text}\n\n{case_line}{link}\n", None, [notification.recipient.email])
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("E-mail for notification %s not sent: %s", notification_id, error)
            notification.email_error = str(error)[:300]
            notification.save(update_fields=["email_attempts", "email_error"])
            return False
        notification.emailed_at = timezone.now()
        notification.email_error = ""
        notification.save(update_fields=["emailed_at", "email_attempts", "email_error"])
        return True


def resend_unsent_emails(now=None):
    """Try again every e-mail of the last ``RESEND_WITHIN`` that has not gone out (the mail server
    was down). Returns how many were sent now."""
    now = now or timezone.now()
    unsent = Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=now - RESEND_WITHIN, recipient__email__gt=""
    ).values_list("pk", flat=True)
    return sum(send_notification_email(pk) for pk in unsent)
