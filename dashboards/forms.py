from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100


class DashboardFilterForm(forms.Form):
    """The dashboard's filter: the year whose appropriation and commitments the key figures show."""

    ar = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Året ska anges med fyra siffror, till exempel 2026.")},
    )
    kommun = forms.SlugField(
        label=_("Kommun"),
        required=False,
        error_messages={"invalid": _("Kommunen anges med sin kortform i adressen, till exempel sundsvall.")},
    )
