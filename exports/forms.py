"""The export filters. Every value is validated; nonsense is refused with a reason by the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import CaseState

from .enums import ExportFormat, ExportKind

YEAR_MIN, YEAR_MAX = 2000, 2100


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Innehåll"), choices=[c for c in ExportKind.choices if c[0] != ExportKind.ANNUAL_REPORT]
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX)
    state = forms.ChoiceField(label=_("Ärendets status"), choices=[("", _("alla")), *CaseState.choices], required=False)
    year = forms.IntegerField(
        label=_("År"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("Ärenden: året de skapades. Beslut: sammanträdesåret. Fondposter: budgetåret."),
    )
    q = forms.CharField(label=_("Sök diarienummer eller namn"), max_length=100, required=False, strip=True)

    def filters(self):
        data = self.cleaned_data
        return {"state": data["state"], "year": data["year"], "q": data["q"]}


class AnnualReportForm(forms.Form):
    prefix = "annual"  # its fields sit on the same page as the export form's
    year = forms.IntegerField(
        label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX, initial=lambda: timezone.localdate().year
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", _("PDF")), (ExportFormat.XLSX, _("Excel (XLSX)"))], initial="pdf"
    )


class CaseListExportForm(forms.Form):
    """The format of an export of the case list; the cases are those the list's filters select."""

    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
