"""An export run off the request, with progress, and the file it produced."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob

from .enums import ExportFormat, ExportKind


class ExportJob(BackgroundJob):
    """One export of one table (or an annual report) for a user's municipality. The file is kept
    on the row; only users of ``municipality`` may download it."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("innehåll"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    content = models.BinaryField(_("fil"), blank=True, default=b"")
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exporter")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()}): {self.done}/{self.total}"
