"""What can be exported, and in which formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    CASES = "cases", _("ärenden med belopp")
    DECISIONS = "decisions", _("beslut")
    LEDGER = "ledger", _("fondens poster")
    PAYOUTS = "payouts", _("utbetalningar")
    REPAYMENTS = "repayments", _("återbetalningsplaner")
    REPORTS = "reports", _("rapporter")
    INDICATOR_VALUES = "indicator_values", _("indikatorvärden")
    CALCULATIONS = "calculations", _("kalkyler")
    ANNUAL_REPORT = "annual_report", _("årsredovisning")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV (UTF-8, komma)")
    CSV_SV = "csv_sv", _("CSV för svenskt Excel (semikolon, decimalkomma)")


# The Swedish word an export's file name begins with: "arenden-ystad-2026-05-01.xlsx".
FILE_STEMS = {
    ExportKind.CASES: "arenden",
    ExportKind.DECISIONS: "beslut",
    ExportKind.LEDGER: "fondens-poster",
    ExportKind.PAYOUTS: "utbetalningar",
    ExportKind.REPAYMENTS: "aterbetalningsplaner",
    ExportKind.REPORTS: "rapporter",
    ExportKind.INDICATOR_VALUES: "indikatorvarden",
    ExportKind.CALCULATIONS: "kalkyler",
    ExportKind.ANNUAL_REPORT: "arsredovisning",
}
