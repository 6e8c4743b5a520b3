from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import CaseState

# A case may be sent on consultation while it is prepared; once decided, answers are closed.
OPEN_FOR_CONSULTATION = [
    CaseState.IDEA_IN_REVIEW,
    CaseState.SUBMITTED,
    CaseState.RESUBMITTED,
    CaseState.IN_PREPARATION,
    CaseState.READY_FOR_DECISION,
]


class Position(models.TextChoices):
    SUPPORT = "support", _("tillstyrker")
    SUPPORT_WITH_CONDITIONS = "conditions", _("tillstyrker med villkor")
    OBJECT = "object", _("avstyrker")


class Consultation(models.Model):
    """A request to a nämnd or förvaltningsledning for its view on a case (remiss), with a
    deadline, and its answer. Sundsvall lets a facknämnd delegate its position to a named official."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("remissinstans")
    )
    question = models.TextField(_("fråga"))
    deadline = models.DateField(_("svar senast"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegerad till"),
    )
    position = models.CharField(_("ställningstagande"), max_length=20, choices=Position.choices, blank=True)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the deadline reminder was sent.")

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")

    def __str__(self):
        return f"{self.unit.name}: {self.case}"

    @property
    def is_answered(self):
        return self.answered_at is not None
