"""Tell someone that something needs them: an in-app notification, and an e-mail sent after the
surrounding transaction commits (so nothing is mailed about a change that was rolled back).

E-mail is sent in a task. A mail server that is down leaves the notification unsent (it is never
marked sent), and the beat-scheduled ``resend_unsent_emails`` tries again later.

Each person chooses per kind how notifications reach them (``NotificationPreference``): each by
e-mail at once, all of a day in one e-mail (``send_digests``, beat-scheduled every morning), or
only in Fonden. The choice is fixed on the notification when it is made (``delivery``).
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)
# An e-mail that could not be sent is tried again for this long, then left to the in-app notice.
RESEND_WITHIN = datetime.timedelta(days=3)


def delivery_for(recipient, kind):
    """How notifications of ``kind`` reach ``recipient``: their choice, or at once by e-mail."""
    chosen = NotificationPreference.objects.filter(user=recipient, kind=kind).values_list("delivery", flat=True)
    return next(iter(chosen), Delivery.NOW)


def notify(recipient, kind, text, *, case=None, url="", email=True):
    """Create the notification and, as its recipient chose for its kind, queue its e-mail (sent
    once the surrounding transaction commits) or keep it for the day's digest. ``email=False``
    keeps it in Fonden only (the person gets the same news by another e-mail, such as the
    decision letter). Returns the notification. ``text`` should be a finished sentence in the
    recipient's language (see ``notify_each``)."""
    delivery = delivery_for(recipient, kind) if email else Delivery.APP
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, case=case, text=str(text), url=url, delivery=delivery
    )
    if delivery == Delivery.NOW:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notify_each(recipients, kind, message, values=None, *, case=None, url="", email=True):
    """Notify each person once, with ``message`` (a lazily translated text, with ``values`` for
    its placeholders) in that person's language. Returns the notifications."""
    notifications = []
    for person in dict.fromkeys(recipients):  # once each, in the order given
        with translation.override(person.language or settings.LANGUAGE_CODE):
            text = str(message) % values if values else str(message)
            notifications.append(notify(person, kind, text, case=case, url=url, email=email))
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
        if (
            notification is None
            or notification.delivery != Delivery.NOW
            or notification.emailed_at is not None
            or not notification.recipient.email
        ):
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
        delivery=Delivery.NOW, emailed_at__isnull=True, created_at__gte=now - RESEND_WITHIN, recipient__email__gt=""
    ).values_list("pk", flat=True)
    return sum(send_notification_email(pk) for pk in unsent)


def send_digests(now=None):
    """Send each person who chose a daily digest for some kinds one e-mail listing what has come
    of those kinds since their last digest, in their language. Each person's notifications are
    locked while their e-mail is sent and marked sent with it, so a second run, or a second
    worker, sends nothing twice; a mail server that is down leaves them for the next run.
    Returns the number of e-mails sent."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, recipient__email__gt="")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(_send_digest(recipient_id, now) for recipient_id in sorted(set(waiting)))


def _send_digest(recipient_id, now):
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient", "case")
            .filter(recipient_id=recipient_id, delivery=Delivery.DIGEST, emailed_at__isnull=True)
            .order_by("created_at", "id")
        )
        if not notifications:
            return False
        recipient = notifications[0].recipient
        try:
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                subject = _("Fonden: dina aviseringar %(date)s") % {"date": timezone.localdate(now).isoformat()}
                body = render_to_string(
                    "notifications/email/digest.txt",
                    {"recipient": recipient, "notifications": notifications, "site_url": settings.SITE_URL},
                )
                send_mail(subject, body, None, [recipient.email])
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Digest for user %s not sent: %s", recipient_id, error)
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(email_error=str(error)[:300])
            return False
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now, email_error="")
        return True
