"""The decision form: one case on the case page, or (where the rule set allows it) several cases
decided as one whole at the meeting; and the form for a decision on a granted project: abort or
continue, extend, change its design, implement (wholly, partly) or not. Each problem is shown
next to its field, in Swedish; a refusal from the decision service is put on the field it names,
and what was typed is kept."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.formatting import format_kronor
from core.forms import KronorField
from core.refusals import show_refusal

from .models import DecisionKind
from .services import DecisionRefusedError, asked_total, parse_paragraph

DECIDABLE_KINDS = [DecisionKind.GRANT, DecisionKind.GRANT_LOWER, DecisionKind.REJECT]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def total_field(case):
    return f"total_{case.pk}"


def year_field(case, year):
    return f"year_{case.pk}_{year}"


def project_years(case):
    """The years the grant is split over: those of the project period, or those applied for."""
    if case.period_start and case.period_end:
        return list(range(case.period_start.year, case.period_end.year + 1))
    return sorted({cost.year for cost in case.costs.all()})


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MinutesFieldsMixin:
    """The minutes' signatories, printed on the extract: who kept the minutes, who checked them
    (justerare) and when. The secretary defaults to whoever records the decision."""

    def add_minutes_fields(self, user):
        self.fields["secretary"] = forms.CharField(
            label=_("Sekreterare (vid protokollet)"),
            max_length=200,
            required=False,
            initial=user.full_name if user is not None else "",
            help_text=_("Namnet som står under ”Vid protokollet” i protokollsutdraget."),
        )
        self.fields["adjusters"] = forms.CharField(
            label=_("Justerare"),
            max_length=300,
            required=False,
            help_text=_("Den eller de som justerar protokollet; skilj flera namn åt med kommatecken."),
        )
        self.fields["adjusted_on"] = forms.DateField(
            label=_("Justeringsdag"),
            required=False,
            widget=DateInput(),
            help_text=_("Dagen protokollet justerades, om det är gjort."),
            error_messages={"invalid": _("Ange justeringsdagen (ÅÅÅÅ-MM-DD).")},
        )

    def minutes(self):
        """What record_decision takes of the minutes' signatories."""
        data = self.cleaned_data
        return {
            "secretary": data.get("secretary", ""),
            "adjusters": data.get("adjusters", ""),
            "adjusted_on": data.get("adjusted_on"),
        }


class DecisionForm(MinutesFieldsMixin, forms.Form):
    """The decision on ``cases``: the same meeting, § and reason for all; for each case its total
    and split per year (used when the decision grants). With ``choose_cases`` the decision body
    ticks which of the cases the decision covers."""

    kind = forms.ChoiceField(
        label=_("Beslut"),
        choices=[(kind.value, capfirst(kind.label)) for kind in DECIDABLE_KINDS],
        initial=DecisionKind.GRANT,
        widget=forms.RadioSelect,
    )
    meeting_date = forms.DateField(
        label=_("Sammanträdesdag"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Ange sammanträdesdagen."), "invalid": _("Ange sammanträdesdagen (ÅÅÅÅ-MM-DD).")},
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        max_length=20,
        help_text=_("Ett nummer, till exempel 212."),
        error_messages={"required": _("Ange paragrafnummer (§).")},
    )
    conditions = forms.CharField(label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv beslutets motivering.")},
    )

    def __init__(self, *args, cases, choose_cases=False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_minutes_fields(user)
        self.case_list = list(cases)
        self.choose_cases = choose_cases
        if choose_cases:
            self.fields["cases"] = forms.TypedMultipleChoiceField(
                label=_("Ärenden som beslutas som en helhet"),
                choices=[(case.pk, f"{case.number} {case.title}") for case in self.case_list],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )
        for case in self.case_list:
            costs = {cost.year: cost.amount for cost in case.costs.all()}
            self.fields[total_field(case)] = KronorField(
                label=_("Beviljat totalbelopp för %(case)s (kr)") % {"case": case.number},
                required=False,
                initial=asked_total(case),
                help_text=_("Sökt: %(asked)s") % {"asked": format_kronor(asked_total(case))},
            )
            for year in project_years(case):
                self.fields[year_field(case, year)] = KronorField(
                    label=_("%(case)s: belopp %(year)s (kr)") % {"case": case.number, "year": year},
                    required=False,
                    initial=costs.get(year),
                )

    def clean_paragraph(self):
        try:
            return parse_paragraph(self.cleaned_data["paragraph"])
        except DecisionRefusedError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def case_rows(self):
        """For the template: each case with its bound total and year fields."""
        return [
            {
                "case": case,
                "total": self[total_field(case)],
                "years": [self[year_field(case, year)] for year in project_years(case)],
            }
            for case in self.case_list
        ]

    def chosen_cases(self):
        if not self.choose_cases:
            return self.case_list
        chosen = set(self.cleaned_data.get("cases") or [])
        return [case for case in self.case_list if case.pk in chosen]

    def amounts(self):
        """What record_decision takes: case id → (total, {year: amount}) for each chosen case."""
        data = self.cleaned_data
        return {
            case.pk: (
                data.get(total_field(case)),
                {
                    year: data[year_field(case, year)]
                    for year in project_years(case)
                    if data.get(year_field(case, year)) is not None
                },
            )
            for case in self.chosen_cases()
        }

    def add_refusal(self, refusal):
        """Put the service's refusal next to the field it names (a case's split, "year_<case>",
        goes to its first year), or above the form when it names none."""
        case = next((c for c in self.case_list if refusal.field == f"year_{c.pk}"), None)
        if case is not None and project_years(case):
            show_refusal(self, refusal, field=year_field(case, project_years(case)[0]))
        else:
            show_refusal(self, refusal)


class LifecycleDecisionForm(MinutesFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect)
    meeting_date = forms.DateField(
        label=_("Sammanträdesdag"),
        widget=DateInput(),
        error_messages={"required": _("Ange sammanträdesdagen."), "invalid": _("Ange sammanträdesdagen (ÅÅÅÅ-MM-DD).")},
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"),
        max_length=20,
        help_text=_("Ett nummer, till exempel 212."),
        error_messages={"required": _("Ange paragrafnummer (§).")},
    )
    new_end = forms.DateField(
        label=_("Nytt slutdatum"), required=False, widget=DateInput(), help_text=_("Vid förlängning.")
    )
    change = forms.CharField(
        label=_("Vad i upplägget ändras"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vid ändrat upplägg."),
    )
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv beslutets motivering.")},
    )

    def __init__(self, *args, kinds, user=None, **kwargs):
        kwargs.setdefault("prefix", "lifecycle")
        super().__init__(*args, **kwargs)
        self.add_minutes_fields(user)
        self.fields["kind"].choices = [(kind, str(label).capitalize()) for kind, label in kinds]
        values = {kind for kind, _label in kinds}
        if DecisionKind.EXTEND not in values:
            del self.fields["new_end"]
        if DecisionKind.DESIGN_CHANGE not in values:
            del self.fields["change"]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]

    def clean_paragraph(self):
        try:
            return parse_paragraph(self.cleaned_data["paragraph"])
        except DecisionRefusedError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def add_refusal(self, refusal):
        """Show a refused decision's reason beside the field it concerns."""
        show_refusal(self, refusal)


class MeetingForm(forms.Form):
    """The decision meeting the agenda is for: its day, and the time and place the agenda prints."""

    meeting_date = forms.DateField(
        label=_("Sammanträdesdag"),
        widget=DateInput(),
        error_messages={"required": _("Ange sammanträdesdagen."), "invalid": _("Ange sammanträdesdagen (ÅÅÅÅ-MM-DD).")},
    )
    meeting_time = forms.TimeField(
        label=_("Klockslag"),
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": _("Ange klockslaget (TT:MM).")},
    )
    place = forms.CharField(
        label=_("Plats"), max_length=200, required=False, help_text=_("Till exempel Sammanträdesrummet, stadshuset.")
    )


class ProposalForm(forms.Form):
    """The preparation's proposal to the decision body, as the tjänsteskrivelse prints it."""

    proposal = forms.CharField(
        label=_("Förslag till beslut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Står först i tjänsteskrivelsen. Förifyllt från beredningen; skriv om det vid behov."),
        error_messages={"required": _("Skriv förslaget till beslut.")},
    )
