from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.enums import RUNNING_STATES, CaseState
from core.models import UploadedAttachment
from municipalities.rulebook.enums import ObligationKind

from .schedule import obligation_name


class ObligationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting status", "ej inlämnad")
    SUBMITTED = "submitted", pgettext_lazy("reporting status", "inlämnad")
    RETURNED = "returned", pgettext_lazy("reporting status", "komplettering begärd")
    ACCEPTED = "accepted", pgettext_lazy("reporting status", "godkänd")


# A report still owed: not yet handed in, or sent back for completion.
WRITABLE_STATUSES = [ObligationStatus.OPEN, ObligationStatus.RETURNED]
# Cases still carrying out their project: an abort is only proposed, the work goes on.
REPORTING_STATES = [*RUNNING_STATES, CaseState.ABORT_PROPOSED]
# Reports can still be written and reviewed once the final report has been handed in.
REPORT_WRITING_STATES = [*REPORTING_STATES, CaseState.FINAL_REPORT]


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
    # A report is named by its kind when it is shown, in the reader's language ("Slutrapport",
    # "Final report"). Only a name the rule set gives a fixed reporting date ("Delårsbokslut 2")
    # is kept here, as the rule set writes it: rule-set data is not translated.
    name = models.CharField(_("rapporteringsdatumets namn"), max_length=100, blank=True)
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
        return f"{self.display_name} {self.due_date.isoformat()}"

    @property
    def display_name(self):
        """The report's name as people read it: the rule set's name for its date, or its kind,
        a lazy string translated where it is shown."""
        return obligation_name(self.kind, self.name)


class ProjectPlan(models.Model):
    """The project plan written at start, under the headings of the rule set's template."""

    case = models.OneToOneField("applications.Case", on_delete=models.CASCADE, related_name="project_plan")
    sections = models.JSONField(_("avsnitt"), default=list, help_text="[{'title': ..., 'text': ...}]")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projektplan")
        verbose_name_plural = _("projektplaner")

    def __str__(self):
        return f"{self.case}: {_('projektplan')}"


class Report(models.Model):
    """What the project wrote for one reporting obligation: its texts under the rule set's
    headings, the economy per year, attachments. Saved as a draft until submitted; a report sent
    back for completion is edited and submitted again, and the history keeps every step."""

    obligation = models.OneToOneField(ReportingObligation, on_delete=models.PROTECT, related_name="report")
    sections = models.JSONField(_("avsnitt"), default=list, help_text="[{'title': ..., 'text': ...}]")
    economy_comment = models.TextField(_("kommentar till ekonomin"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    review_comment = models.TextField(_("mottagarens kommentar"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")

    def __str__(self):
        return str(self.obligation)


class ReportCostLine(models.Model):
    """The economy of one project year as reported: the budget granted and the outcome so far."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cost_lines")
    year = models.PositiveSmallIntegerField(_("år"))
    budget = models.DecimalField(_("budget (kr)"), max_digits=14, decimal_places=2)
    outcome = models.DecimalField(_("utfall (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["report", "year"]
        constraints = [
            models.UniqueConstraint(fields=["report", "year"], name="one_cost_line_per_report_year"),
            models.CheckConstraint(condition=models.Q(outcome__gte=0), name="report_outcome_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}: {self.outcome} / {self.budget}"

    @property
    def deviation(self):
        return self.outcome - self.budget


def report_attachment_path(instance, filename):
    case = instance.report.obligation.case
    return f"reports/{case.municipality.slug}/{case.pk}/{instance.report_id}/{filename}"


class ReportAttachment(UploadedAttachment):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bilaga till rapport")
        verbose_name_plural = _("bilagor till rapporter")

    def upload_path(self, filename):
        return report_attachment_path(self, filename)


class SentReminder(models.Model):
    """A reminder that has gone out, by a key naming what it was about (e.g. one Ale case's
    feedback deadline, or one application window opening). The unique key makes sending once
    hold even for two workers at the same moment: the second insert fails and sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")

    def __str__(self):
        return self.key
