from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .schedule import KIND_LABELS


class ObligationKind(models.TextChoices):
    PROGRESS = "progress", KIND_LABELS["progress"]
    HALF_TIME = "half_time", KIND_LABELS["half_time"]
    YEARLY = "yearly", KIND_LABELS["yearly"]
    FINAL = "final", KIND_LABELS["final"]


class ObligationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting status", "ej inlämnad")
    SUBMITTED = "submitted", pgettext_lazy("reporting status", "inlämnad")
    ACCEPTED = "accepted", pgettext_lazy("reporting status", "godkänd")


class ReportingDate(models.Model):
    """A fixed reporting date the admin sets for one year (Ystad: the year's delårsbokslut 2 and
    årsbokslut). Without one, the rule set's default "MM-DD" applies."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="reporting_dates"
    )
    name = models.CharField(_("namn"), max_length=100)
    year = models.PositiveSmallIntegerField(_("år"))
    date = models.DateField(_("datum"))

    class Meta:
        ordering = ["municipality", "year", "date"]
        verbose_name = _("rapporteringsdatum")
        verbose_name_plural = _("rapporteringsdatum")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name", "year"], name="unique_reporting_date_per_year")
        ]

    def __str__(self):
        return f"{self.name} {self.date.isoformat()}"

    def clean(self):
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": _("Datumet måste ligga inom det angivna året.")})


class ReportingObligation(models.Model):
    """One report a running project owes: what, for which period, to whom and by when. The
    reminder markers are set in the same transaction as the notification they record."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="reporting_obligations")
    kind = models.CharField(_("typ"), max_length=20, choices=ObligationKind.choices)
    name = models.CharField(_("namn"), max_length=100)
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    due_date = models.DateField(_("ska lämnas senast"))
    receiver_role = models.CharField(_("mottagare"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    reminded_before_at = models.DateTimeField(_("påmint före"), null=True, blank=True)
    reminded_due_at = models.DateTimeField(_("påmint på förfallodagen"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("eskalerad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["case", "due_date", "id"]
        verbose_name = _("rapporteringsskyldighet")
        verbose_name_plural = _("rapporteringsskyldigheter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="reporting_period_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("period_start")), name="reporting_due_after_period_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.name} {self.due_date.isoformat()}"
