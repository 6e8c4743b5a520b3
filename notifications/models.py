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
    # What a case waits for (applications.services.notices): one notice per wait and person.
    CASE_SUBMITTED = "case_submitted", _("idé eller ansökan inlämnad")
    STEP_ASSIGNED = "step_assigned", _("steg att göra")
    READY_FOR_DECISION = "ready_for_decision", _("ärende klart för beslut")
    REPORT_DUE = "report_due", _("rapport att lämna")
    CASE_WAITING = "case_waiting", _("ärende väntar på dig")
    # What happened to a case: its outcome for those who take part, its events for those who follow.
    CASE_DECIDED = "case_decided", _("beslut i ärende")
    CASE_EVALUATED = "case_evaluated", _("ärende utvärderat")
    CASE_FOLLOWED = "case_followed", _("händelse i ärende du följer")


class Delivery(models.TextChoices):
    """How a person gets the notifications of one kind: each by e-mail at once, all of a day in
    one e-mail the next morning, or only in Fonden."""

    NOW = "now", _("e-post direkt")
    DIGEST = "digest", _("en sammanfattning per dag")
    APP = "app", _("bara i Fonden")


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
    # How it reaches the person, fixed when it is made from their choice for its kind.
    delivery = models.CharField(_("leverans"), max_length=10, choices=Delivery.choices, default=Delivery.NOW)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")

    def __str__(self):
        return self.text


class NotificationPreferenceQuerySet(models.QuerySet):
    def choices_of(self, user):
        """{kind: delivery} of the kinds the user has chosen for; the others are sent at once."""
        return dict(self.filter(user=user).values_list("kind", "delivery"))


class NotificationPreference(models.Model):
    """One person's choice of delivery for one kind of notification. Without a row the kind is
    e-mailed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("typ"), max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(_("leverans"), max_length=10, choices=Delivery.choices, default=Delivery.NOW)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("val för aviseringar")
        verbose_name_plural = _("val för aviseringar")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_user_and_kind")]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} – {self.get_delivery_display()}"
