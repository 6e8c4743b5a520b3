from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import KronorField
from municipalities.models import OrganisationalUnit


class PlanForm(forms.Form):
    outcome_measures = forms.CharField(
        label=_("Utfallsmått som återbetalningen knyts till"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    exempt = forms.BooleanField(label=_("Undanta insatsen från återföring"), required=False)
    exemption_reason = forms.CharField(
        label=_("Skäl för undantag"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    savings_expected_after_years = forms.IntegerField(
        label=_("Besparingarna väntas om (år)"), required=False, min_value=0, max_value=60
    )
    rests_on_controlled_studies = forms.BooleanField(
        label=_("Metoden bygger på studier med försöks- och kontrollgrupper"), required=False
    )

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        if not policy.exemption:
            for name in ("exempt", "exemption_reason", "savings_expected_after_years", "rests_on_controlled_studies"):
                del self.fields[name]


class InstallmentForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Betalare"), queryset=OrganisationalUnit.objects.none())
    amount = KronorField()
    outcome_measure = forms.CharField(label=_("Utfallsmått"), max_length=300, required=False)

    def __init__(self, *args, payers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The units the rule set names as payers (repayment.services.payers), those in the case first.
        self.fields["unit"].queryset = payers if payers is not None else OrganisationalUnit.objects.none()
        self.fields["unit"].label_from_instance = lambda unit: (
            _("%(unit)s (deltar i ärendet)") % {"unit": unit.name} if getattr(unit, "takes_part", False) else unit.name
        )


def installment_formset(policy, *, data=None, payers=None, initial=None):
    """One row per year the policy lets the repayment run over (at most ten), and the rows of a
    draft being redrafted; more rows, up to one per payer and year, when the rows are posted."""
    initial = list(initial or [])
    formset_class = forms.formset_factory(
        InstallmentForm, extra=max(policy.max_years - len(initial), 1), max_num=policy.max_years * 10
    )
    return formset_class(data, prefix="rows", initial=initial or None, form_kwargs={"payers": payers})


class RepaymentForm(forms.Form):
    installment = forms.ChoiceField(label=_("Delbetalning"))
    amount = KronorField()
    realised_savings = KronorField(label=_("Realiserade besparingar (kr)"), required=False)
    entry_date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args, rows, from_savings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["installment"].choices = [
            (f"{row.installment.year}:{row.installment.unit_id}", f"{row.installment.year} {row.installment.unit.name}")
            for row in rows
            if row.remaining > 0
        ]
        if from_savings:
            self.fields["realised_savings"].required = True
        else:
            del self.fields["realised_savings"]
