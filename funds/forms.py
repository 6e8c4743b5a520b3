"""Forms of the fund page. Each says what is wrong next to its field, in Swedish; a refusal from
the service is put on the field it names."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Case
from core.forms import KronorField

from .enums import PAYABLE_STATES
from .models import LedgerEntry


def year_field(label=None):
    return forms.IntegerField(label=label or _("År"), min_value=2000, max_value=2100)


class MoneyForm(forms.Form):
    amount = KronorField()
    year = year_field()
    entry_date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=datetime.date.today
    )


class ReservationForm(MoneyForm):
    basis = forms.CharField(label=_("Beslut"), max_length=300, help_text=_("Till exempel KF 2025-11-24 § 183."))
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppropriationForm(ReservationForm):
    pass


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}".strip()


def payable_cases(municipality):
    return Case.objects.filter(municipality=municipality, state__in=PAYABLE_STATES).order_by("number")


class PayoutForm(MoneyForm):
    case = CaseChoiceField(label=_("Ärende"), queryset=Case.objects.none())
    report_id = forms.IntegerField(label=_("Rapport (nummer)"), required=False, min_value=1)
    reference = forms.CharField(
        label=_("Rapport eller underlag"),
        max_length=200,
        required=False,
        help_text=_("Till exempel Delårsbokslut 2 2027."),
    )
    project_number = forms.CharField(label=_("Projektnummer"), max_length=40, required=False)
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["case", "amount", "year", "entry_date", "report_id", "reference", "project_number", "note"]

    def __init__(self, *args, municipality, payouts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = payable_cases(municipality)
        if not payouts.is_budget_compensation:
            del self.fields["report_id"]
            del self.fields["reference"]
        if payouts.is_internal_grant:
            self.fields["project_number"].required = True
            self.fields["project_number"].help_text = _("Bokförs på konto %(account)s, summeringskod %(code)s.") % {
                "account": payouts.account,
                "code": payouts.project_summary_code,
            }
        else:
            del self.fields["project_number"]


class CarryOverForm(forms.Form):
    case = CaseChoiceField(label=_("Ärende"), queryset=Case.objects.none())
    amount = KronorField()
    from_year = year_field(_("Från år"))
    basis = forms.CharField(label=_("Beslut"), max_length=300, help_text=_("Till exempel KS 2027-02-10 § 12."))
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = payable_cases(municipality)


class FreezeForm(MoneyForm):
    case = CaseChoiceField(label=_("Ärende"), queryset=Case.objects.none())
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["case", "amount", "year", "entry_date", "note"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = payable_cases(municipality)


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from core.formatting import format_kronor

        return f"#{obj.pk} {obj.entry_date:%Y-%m-%d} {obj.get_kind_display()} {format_kronor(obj.amount)}"


class CorrectionForm(forms.Form):
    entry = EntryChoiceField(label=_("Post att rätta"), queryset=LedgerEntry.objects.none())
    reason = forms.CharField(label=_("Varför rättas posten?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (
            fund.entries.filter(reverses__isnull=True, reversed_by__isnull=True).select_related(None).order_by("-id")
        )


class CloseYearForm(forms.Form):
    year = year_field(_("Stäng år"))


class FundCreateForm(forms.Form):
    name = forms.CharField(label=_("Fondens namn"), max_length=200, required=False)


class PayoutPlanForm(forms.Form):
    description = forms.CharField(
        label=_("Utbetalningsplan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("När och hur mycket som ska betalas ut."),
    )


class ReconciliationForm(forms.Form):
    ar = year_field()
    resultat = KronorField(label=_("Årets resultat enligt bokslutet (kr)"), min_value=None)
