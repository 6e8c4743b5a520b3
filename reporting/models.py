from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipalities.rulebook.enums import ObligationKind


class ObligationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting status", "ej inlämnad")
    SUBMITTED = "submitted", pgettext_lazy("reporting status", "inlämnad")
    RETURNED = "returned", pgettext_lazy("reporting status", "komplettering begärd")
    ACCEPTED = "accepted", pgettext_lazy("reporting status", "godkänd")


# A report still owed: not yet handed in, or sent back for completion.
WRITABLE_STATUSES = [ObligationStatus.OPEN, ObligationStatus.RETURNED]


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


class ProjectRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("project role", "projektägare")
    MANAGER = "manager", pgettext_lazy("project role", "projektledare")
    GROUP = "group", pgettext_lazy("project role", "projektgrupp")
    STEERING = "steering", pgettext_lazy("project role", "projektstyrgrupp")


# Who may write and submit the project's reports: the project manager, and the owner who answers
# for the project (Ystad: "projektledaren ser till att redovisningen kommer in till projektägaren").
REPORTING_ROLES = [ProjectRole.MANAGER, ProjectRole.OWNER]


class ProjectMember(models.Model):
    """One person in a granted project's organisation, in one role; a project group member
    represents one participating party (a unit or an external actor)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="project_members")
    role = models.CharField(_("roll"), max_length=20, choices=ProjectRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_roles")
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("företräder enhet"),
    )
    external_actor = models.ForeignKey(
        "municipalities.ExternalActor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("företräder extern aktör"),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("projektmedlem")
        verbose_name_plural = _("projektorganisation")
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "user"], name="one_role_per_person_and_project"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(role="manager"), name="one_project_manager_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"


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


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=report_attachment_path)
    original_name = models.CharField(_("filnamn"), max_length=255)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bilaga till rapport")
        verbose_name_plural = _("bilagor till rapporter")

    def __str__(self):
        return self.original_name


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
