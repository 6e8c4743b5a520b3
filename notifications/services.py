"""Tell someone that something needs them: an in-app notification, and an e-mail sent after the
surrounding transaction commits (so nothing is mailed about a change that was rolled back)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification


def notify(recipient, kind, text, *, case=None, url=""):
    """Create the notification and queue its e-mail. Returns the notification. ``text`` should be
    a finished sentence in Swedish (the recipient's language is applied to the e-mail frame)."""
    notification = Notification.objects.create(recipient=recipient, kind=kind, case=case, text=str(text), url=url)
    transaction.on_commit(lambda: send_notification_email(notification.pk))
    return notification


def send_notification_email(notification_id):
    """Send one notification's e-mail, once: a notification already mailed is not mailed again."""
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
        with translation.override(settings.LANGUAGE_CODE):
            subject = f"Fonden: {notification.get_kind_display()}"
            case_line = f"{notification.case}\n\n" if notification.case else ""
            send_mail(subject, f"{notification.text}\n\n{case_line}{link}\n", None, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True
