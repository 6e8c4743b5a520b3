"""Forms of the evaluation pages. Field checks here give the message next to the field; the
calculation's own rules (evaluation.calculation.validate) are checked again by the service and
its problems are put back on the fields they name."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formatting import format_kronor
from core.forms import DateInput, KronorField

from .enums import MAX_HORIZON, Comparison, Confidence, EffectSource, Group, IndicatorKind, Recommendation
from .models import UnitCost

PERCENT_MESSAGE = _("Ange en andel mellan 0 och 100 %.")
# Django formats min/max messages with their limit, so a literal per cent sign is written twice.
PERCENT_LIMIT_MESSAGE = _("Ange en andel mellan 0 och 100 %%.")


class NumberField(forms.DecimalField):
    """A number as people type it in Swedish: '12,5' or '12,5 %'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace("\xa0", "").replace(" ", "").replace(",", ".").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",") if value % 1 else f"{int(value)}"
        return value


class PercentField(NumberField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        super().__init__(
            max_digits=5,
            decimal_places=2,
            error_messages={
                "min_value": PERCENT_LIMIT_MESSAGE,
                "max_value": PERCENT_LIMIT_MESSAGE,
                "invalid": PERCENT_MESSAGE,
            },
            min_value=Decimal(0),
            max_value=Decimal(100),
            **kwargs,
        )


def _payer_field_name(key):
    return "split_" + key.replace(":", "_")


class CalculationForm(forms.Form):
    discount_rate = PercentField(label=_("Diskonteringsränta, real (%)"))
    horizon = forms.IntegerField(
        label=_("Kalkylperiod (år)"),
        min_value=1,
        max_value=MAX_HORIZON,
        error_messages={
            "max_value": _("Kalkylperioden får vara högst 20 år."),
            "min_value": _("Kalkylperioden ska vara minst ett år."),
        },
    )
    first_year = forms.IntegerField(label=_("Första år"), min_value=2000, max_value=2100)


class CostLineForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    payer = forms.ChoiceField(label=_("Finansiär"))
    description = forms.CharField(label=_("Kostnad"), max_length=200, required=False)
    granted = KronorField(label=_("Beviljat (kr)"))
    consumed = KronorField(label=_("Förbrukat (kr)"), required=False)

    def __init__(self, *args, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].choices = payers
        self.fields["payer"].initial = payers[0][0]  # so an untouched extra row counts as unchanged


class OutcomeLineForm(forms.Form):
    name = forms.CharField(label=_("Effekt"), max_length=200)
    unit_cost = forms.TypedChoiceField(
        label=_("Enhetskostnad"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Välj en enhetskostnad ur kommunens katalog.")},
    )
    unit_amount = KronorField(label=_("À-pris (kr)"), required=False, help_text=_("Tomt: katalogens belopp."))
    baseline = NumberField(label=_("Utgångsvärde per år"), required=False)
    quantity = NumberField(label=_("Förändring per år"))
    start_year = forms.IntegerField(label=_("Första år med effekt"), min_value=2000, max_value=2100)
    duration = forms.IntegerField(label=_("Varaktighet (år)"), min_value=1, max_value=MAX_HORIZON)
    drop_off = PercentField(label=_("Avtagande per år (%)"), initial=0)
    deadweight = PercentField(label=_("Dödvikt (%)"), initial=0)
    attribution = PercentField(label=_("Andel som beror på andra (%)"), initial=0)
    displacement = PercentField(label=_("Undanträngning (%)"), initial=0)
    confidence = forms.ChoiceField(label=_("Tillförlitlighet"), choices=Confidence.choices, initial=Confidence.MEDIUM)
    effect_source = forms.ChoiceField(
        label=_("Effekten skattas från"), choices=EffectSource.choices, initial=EffectSource.ESTIMATE
    )
    cashable = forms.BooleanField(label=_("Frigörbar (kan tas ur en budget)"), required=False)
    transfer = forms.BooleanField(label=_("Transferering mellan betalare"), required=False)
    transfer_from = forms.ChoiceField(label=_("Transfereringen går från"), required=False)

    def __init__(self, *args, payers, unit_costs, **kwargs):
        """``unit_costs`` is the municipality's catalogue as a list, read once for every row."""
        super().__init__(*args, **kwargs)
        self.payers = payers
        self.unit_costs = {unit_cost.pk: unit_cost for unit_cost in unit_costs}
        self.fields["unit_cost"].choices = [("", "–")] + [
            (unit_cost.pk, f"{unit_cost} – {format_kronor(unit_cost.amount)}") for unit_cost in unit_costs
        ]
        self.fields["transfer_from"].choices = [("", "–"), *payers]
        for key, label in payers:
            self.fields[_payer_field_name(key)] = PercentField(label=label, required=False)

    def split_fields(self):
        return [self[_payer_field_name(key)] for key, _label in self.payers]

    def line_fields(self):
        names = {_payer_field_name(key) for key, _label in self.payers}
        return [self[name] for name in self.fields if name not in names]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("unit_cost") is None:
            self.add_error("unit_cost", _("Välj en enhetskostnad för effekten."))
        if not self.errors and cleaned.get("baseline") is None:
            self.add_error("baseline", _("Ange utgångsvärdet (basmätningen) för effekten."))
        shares = [cleaned.get(_payer_field_name(key)) for key, _label in self.payers]
        if not any(self.has_error(_payer_field_name(key)) for key, _label in self.payers):
            total = sum((share for share in shares if share), Decimal(0))
            if total != Decimal(100):
                self.add_error(
                    None,
                    _("Fördelningen mellan betalare ska bli 100 %%, men blir %(sum)s %%.")
                    % {"sum": format(total.normalize(), "f").replace(".", ",")},
                )
        return cleaned

    def line(self):
        data = {
            name: self.cleaned_data[name] for name in self.fields if not name.startswith("split_") and name != "DELETE"
        }
        data["unit_cost"] = self.unit_costs[data["unit_cost"]]
        data["split"] = {
            key: str(self.cleaned_data[_payer_field_name(key)])
            for key, _label in self.payers
            if self.cleaned_data.get(_payer_field_name(key))
        }
        return data

    def add_problem(self, field, message):
        if field in self.fields:
            self.add_error(field, message)
        else:
            self.add_error(None, message)

    @staticmethod
    def initial_of(line):
        initial = {
            name: getattr(line, name)
            for name in (
                "name",
                "unit_amount",
                "baseline",
                "quantity",
                "start_year",
                "duration",
                "drop_off",
                "deadweight",
                "attribution",
                "displacement",
                "confidence",
                "effect_source",
                "cashable",
                "transfer",
                "transfer_from",
            )
        }
        initial["unit_cost"] = line.unit_cost_id
        for key, share in line.split.items():
            initial[_payer_field_name(key)] = Decimal(str(share))
        return initial


class BaseLineFormSet(forms.BaseFormSet):
    """Rows of a table the user adds to; an untouched extra row and a deleted row are skipped."""

    def lines(self):
        return [
            form.line() if hasattr(form, "line") else {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.live_forms()
        ]

    def live_forms(self):
        return [
            form
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


CostLineFormSet = forms.formset_factory(CostLineForm, formset=BaseLineFormSet, extra=1, can_delete=True)
OutcomeLineFormSet = forms.formset_factory(OutcomeLineForm, formset=BaseLineFormSet, extra=1, can_delete=True)


class MeasurementPlanForm(forms.Form):
    goals = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(label=_("Aktiviteter"), widget=forms.Textarea(attrs={"rows": 3}))
    comparison = forms.ChoiceField(label=_("Jämförelse"), choices=Comparison.choices, widget=forms.RadioSelect)
    comparison_description = forms.CharField(
        label=_("Jämförelsegruppen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vilka ingår, och varför är de jämförbara med målgruppen?"),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indikator"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Typ av mått"),
        choices=IndicatorKind.choices,
        initial=IndicatorKind.PROCESS,  # the first option, so an untouched extra row counts as unchanged
    )
    unit = forms.CharField(label=_("Enhet"), max_length=60, required=False)
    baseline_value = NumberField(label=_("Basvärde"), required=False)
    baseline_date = forms.DateField(label=_("Basmätningens datum"), required=False, widget=DateInput())
    target_value = NumberField(label=_("Målvärde"), required=False)
    measurement_times = forms.CharField(label=_("Mättillfällen"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "effect" and cleaned.get("baseline_value") is None and not self.errors:
            self.add_error("baseline_value", _("Ett effektmått behöver ett basvärde att jämföra med."))
        return cleaned


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=BaseLineFormSet, extra=1, can_delete=True)


class IndicatorValueForm(forms.Form):
    period = forms.DateField(label=_("Mätdatum"), widget=DateInput())
    group = forms.ChoiceField(label=_("Grupp"), choices=Group.choices, widget=forms.RadioSelect)
    value = NumberField(label=_("Värde"))


class EvaluationForm(forms.Form):
    effects = forms.CharField(label=_("Effekter"), widget=forms.Textarea(attrs={"rows": 4}))
    process = forms.CharField(label=_("Process: vad har gjorts"), widget=forms.Textarea(attrs={"rows": 4}))
    costs = forms.CharField(label=_("Kostnader"), widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label=_("Slutsats"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.ChoiceField(
        label=_("Förslag till beslut om implementering"),
        choices=[("", "–"), *Recommendation.choices],
        required=False,
    )
    frame_adjustment = KronorField(label=_("Föreslagen ramjustering i nästa budget (kr)"), required=False)

    def __init__(self, *args, show_frame_adjustment=False, partial_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_frame_adjustment:
            del self.fields["frame_adjustment"]
        if not partial_allowed:  # propose only what the deciding body may decide
            self.fields["recommendation"].choices = [
                choice
                for choice in self.fields["recommendation"].choices
                if choice[0] != Recommendation.IMPLEMENT_PARTLY
            ]


class UnitCostForm(forms.ModelForm):
    amount = KronorField(label=_("Belopp (kr)"))

    class Meta:
        model = UnitCost
        fields = ["name", "unit", "amount", "price_year", "source"]
