from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REVIEWER_ASSIGNED = "reviewer_assigned", _("tilldelad som bedömare")
    MENTIONED = "mentioned", _("omnämnd i en kommentar")
    CONSULTATION_REQUESTED = "consultation_requested", _("ombedd att yttra sig")
    CASE_RETURNED = "case_returned", _("ärende åter för komplettering")
    SIGNATURE_REQUESTED = "signature_requested", _("ombedd att skriva under")
    DEADLINE_NEAR = "deadline_near", _("tidsfrist närmar sig")
    REPORT_SUBMITTED = "report_submitted", _("rapport inlämnad")
    REPORT_REVIEWED = "report_reviewed", _("rapport granskad")
    APPLICATION_WINDOW = "application_window", _("ansökningsperiod")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person, shown in the app (with an unread count) and sent by e-mail."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("typ"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("länk"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("försök att skicka e-post"), default=0)
    email_error = models.CharField(_("senaste fel vid e-post"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")

    def __str__(self):
        return self.text
