"""Forms built from the case's pinned rule set: its idea contents, its application sections and
declarations, and only the fields its rules ask for."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, KronorField, mark_required_to_submit
from core.uploads import upload_help_text
from municipalities.models import ExternalActor, OrganisationalUnit

from .checks import (
    declaration_field,
    goal_comment_field,
    goal_field,
    goal_list_required,
    idea_field,
    required_to_submit,
    section_field,
)
from .models import DecisionRound


def _static_html(text):
    """A paragraph of rule-set text for a crispy HTML layout object, which is rendered as a
    template: escaped, and with its braces as entities so the text is never template code."""
    return _no_template_code(format_html('<p class="form-text">{}</p>', text))


def _no_template_code(html):
    """Crispy renders layout text as a template: braces become entities so rule-set text is
    never template code."""
    return str(html).replace("{", "&#123;").replace("}", "&#125;")


def _legend(text, required=False):
    """A fieldset's legend (escaped); a required group carries the asterisk, and says it in words
    to assistive technology."""
    if not required:
        return _no_template_code(format_html("{}", text))
    return _no_template_code(
        format_html(
            '{}<span class="asteriskField" aria-hidden="true">*</span><span class="visually-hidden"> ({})</span>',
            text,
            _("obligatoriskt"),
        )
    )


class CaseCreateForm(forms.Form):
    title = forms.CharField(label=_("Namn på insatsen"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProblemsMixin:
    """Shows the rule set's problems with a case next to the fields they concern, on the idea
    form and the application form alike, and marks what the submission needs."""

    cost_field_names = ()
    # The page shows the error summary above its heading (applications/case_form.html).
    error_summary_elsewhere = True
    required_legend = _("krävs för att lämna in; ett utkast kan sparas utan")

    def add_problems(self, problems):
        """Show each rule-set problem next to the field it concerns. A problem fixed elsewhere
        (the signatures, on the case page) links there from the error summary."""
        self.error_links = {}
        for problem in problems:
            field = problem.field
            if field == "costs":
                field = self.cost_field_names[0] if self.cost_field_names else None
            elif field == "signatures":
                self.error_links[problem.message] = (
                    reverse("applications:detail", args=[self.case.pk]) + "#h-signatures"
                )
                field = None
            elif field == "__all__" or field not in self.fields:
                field = None
            self.add_error(field, problem.message)


class IdeaForm(ProblemsMixin, forms.Form):
    title = forms.CharField(
        label=_("Namn på insatsen"), max_length=200, error_messages={"required": _("Ange insatsens namn.")}
    )

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        for index, label in enumerate(case.rules.stages.idea.contents):
            self.fields[idea_field(index)] = forms.CharField(
                label=label[:1].upper() + label[1:], required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.initial.setdefault(idea_field(index), case.idea.get(str(index), ""))
        self.initial.setdefault("title", case.title)
        mark_required_to_submit(self, [idea_field(index) for index in range(len(case.rules.stages.idea.contents))])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def case_fields(self):
        data = self.cleaned_data
        idea = {key.removeprefix("idea_"): value for key, value in data.items() if key.startswith("idea_")}
        return {"title": data["title"], "idea": idea}


class ApplicationForm(ProblemsMixin, forms.Form):
    """Everything may be left empty while drafting; the rule set is checked on submission, and
    each problem is shown next to its field."""

    title = forms.CharField(
        label=_("Namn på insatsen"), max_length=200, error_messages={"required": _("Ange insatsens namn.")}
    )
    applicant_unit = forms.ModelChoiceField(
        label=_("Sökande enhet"), queryset=OrganisationalUnit.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Medverkande enheter"),
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    external_actors = forms.ModelMultipleChoiceField(
        label=_("Medverkande externa aktörer"),
        queryset=ExternalActor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("Startdatum"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput())

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        rules = case.rules
        municipality = case.municipality
        self.fields["applicant_unit"].queryset = municipality.units.filter(
            kind__in=rules.eligibility.applicant_unit_kinds
        )
        self.fields["units"].queryset = municipality.units.exclude(kind="styrelse")
        self.fields["external_actors"].queryset = municipality.external_actors.all()
        self.fields["units"].help_text = rules.eligibility.collaboration.description
        self._add_target_group_fields(rules)
        self._add_cost_fields(case)
        if rules.calendar.decision_rounds:
            self.fields["decision_round"] = forms.ModelChoiceField(
                label=_("Beslutstillfälle"),
                queryset=DecisionRound.objects.filter(
                    municipality=municipality, is_open=True, meeting_date__gte=timezone.localdate()
                ),
                required=False,
            )
        for section in rules.application.sections:
            self.fields[section_field(section.key)] = forms.CharField(
                label=section.title,
                help_text=section.help,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if rules.application.measurement_plan_required:
            self.fields["measurement_plan"] = forms.CharField(
                label=_("Mätplan"),
                help_text=_(
                    "Mål, aktiviteter, hur aktiviteter och effekter mäts, och utfallsmått för långsiktiga effekter."
                ),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self._add_goal_fields(rules)
        for declaration in rules.application.declarations:
            self.fields[declaration_field(declaration.key)] = forms.BooleanField(label=declaration.text, required=False)
        self._set_initial(case)
        self.required_names = required_to_submit(case)
        mark_required_to_submit(self, self.required_names)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self._layout(rules)

    def _add_target_group_fields(self, rules):
        group = rules.target_group
        if group.min_age is None and group.max_age is None:
            return
        for name, label in (
            ("target_min_age", _("Målgruppens lägsta ålder")),
            ("target_max_age", _("Målgruppens högsta ålder")),
        ):
            self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=120, required=False)

    def _add_goal_fields(self, rules):
        """For each goal of each goal list: a box to choose it and a comment on how the effort
        contributes to it."""
        for goal_list in rules.application.goal_lists:
            for goal in goal_list.goals:
                self.fields[goal_field(goal_list.key, goal.key)] = forms.BooleanField(label=goal.name, required=False)
                self.fields[goal_comment_field(goal_list.key, goal.key)] = forms.CharField(
                    label=_("Så bidrar insatsen till %(goal)s") % {"goal": goal.name},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def clean(self):
        cleaned = super().clean()
        for goal_list in self.case.rules.application.goal_lists:
            for goal in goal_list.goals:
                chosen = cleaned.get(goal_field(goal_list.key, goal.key))
                comment = (cleaned.get(goal_comment_field(goal_list.key, goal.key)) or "").strip()
                if comment and not chosen:
                    self.add_error(
                        goal_field(goal_list.key, goal.key),
                        _("Kryssa i målet om kommentaren ska gälla, eller ta bort kommentaren."),
                    )
        return cleaned

    def cost_years(self, case):
        if case.period_start and case.period_end:
            return list(range(case.period_start.year, case.period_end.year + 1))
        years = {cost.year for cost in case.costs.all()}
        this_year = timezone.localdate().year
        return sorted(years | set(range(this_year, this_year + 4)))

    def _add_cost_fields(self, case):
        years = self.cost_years(case)
        if self.data:
            # Years the applicant typed for a period not yet saved get fields too.
            years = sorted(set(years) | {int(k[5:]) for k in self.data if k.startswith("cost_") and k[5:].isdigit()})
        self.cost_field_names = []
        for year in years:
            name = f"cost_{year}"
            self.fields[name] = KronorField(label=_("Kostnad %(year)s (kr)") % {"year": year}, required=False)
            self.cost_field_names.append(name)

    def _set_initial(self, case):
        initial = {
            "title": case.title,
            "applicant_unit": case.applicant_unit_id,
            "units": [unit.pk for unit in case.units.all()],
            "external_actors": [actor.pk for actor in case.external_actors.all()],
            "period_start": case.period_start,
            "period_end": case.period_end,
            "target_min_age": case.target_min_age,
            "target_max_age": case.target_max_age,
            "decision_round": case.decision_round_id,
            "measurement_plan": case.measurement_plan,
        }
        initial.update({section_field(k): v for k, v in case.sections.items()})
        initial.update({declaration_field(k): v for k, v in case.declarations.items()})
        for list_key, chosen in case.goals.items():
            for goal_key, comment in chosen.items():
                initial[goal_field(list_key, goal_key)] = True
                initial[goal_comment_field(list_key, goal_key)] = comment
        initial.update({f"cost_{cost.year}": cost.amount for cost in case.costs.all()})
        for key, value in initial.items():
            self.initial.setdefault(key, value)

    def _layout(self, rules):
        names = set(self.fields)
        basics = [n for n in ("title", "applicant_unit", "units", "external_actors") if n in names]
        period = [n for n in ("period_start", "period_end", "target_min_age", "target_max_age") if n in names]
        sections = [section_field(s.key) for s in rules.application.sections]
        extra = [n for n in ("measurement_plan",) if n in names]
        declarations = [declaration_field(d.key) for d in rules.application.declarations]
        parts = [
            Fieldset(_("Insatsen och vilka som deltar"), *basics),
            Fieldset(
                _("Tid, målgrupp och kostnader"),
                *period,
                Fieldset(_legend(_("Kostnad per år"), "costs" in self.required_names), *self.cost_field_names),
                *([n for n in ("decision_round",) if n in names]),
            ),
            Fieldset(_("Ansökans innehåll"), *sections, *extra),
            *self._goal_layout(rules),
        ]
        if declarations:
            parts.append(Fieldset(_("Sökanden intygar"), *declarations))
        parts.append(HTML(""))
        return Layout(*parts)

    def _goal_layout(self, rules):
        parts = []
        for goal_list in rules.application.goal_lists:
            if goal_list.goals:
                names = []
                for goal in goal_list.goals:
                    key = (goal_list.key, goal.key)
                    names += [goal_field(*key), goal_comment_field(*key)]
                description = HTML(_static_html(goal_list.description))
                required = goal_list_required(goal_list.key) in self.required_names
                parts.append(Fieldset(_legend(goal_list.title, required), description, *names))
            else:
                parts.append(
                    HTML(
                        _static_html(
                            _("%(list)s: regelverket listar ännu inga mål. Kommunens administratör för in dem.")
                            % {"list": goal_list.title}
                        )
                    )
                )
        return parts

    def goals(self):
        data = self.cleaned_data
        return {
            goal_list.key: {
                goal.key: (data.get(goal_comment_field(goal_list.key, goal.key)) or "").strip()
                for goal in goal_list.goals
                if data.get(goal_field(goal_list.key, goal.key))
            }
            for goal_list in self.case.rules.application.goal_lists
            if goal_list.goals
        }

    def case_fields(self):
        data = self.cleaned_data
        fields = {
            "title": data["title"],
            "applicant_unit": data.get("applicant_unit"),
            "period_start": data.get("period_start"),
            "period_end": data.get("period_end"),
            "sections": {s.key: data.get(section_field(s.key), "") for s in self.case.rules.application.sections},
            "declarations": {
                d.key: bool(data.get(declaration_field(d.key))) for d in self.case.rules.application.declarations
            },
        }
        if self.case.rules.application.goal_lists:
            fields["goals"] = self.goals()
        for name in ("target_min_age", "target_max_age", "decision_round", "measurement_plan"):
            if name in self.fields:
                fields[name] = (
                    data.get(name) if data.get(name) is not None else ("" if name == "measurement_plan" else None)
                )
        return fields

    def costs(self):
        return {
            int(name[5:]): self.cleaned_data[name]
            for name in self.cost_field_names
            if self.cleaned_data.get(name) is not None
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bilaga"),
        help_text=upload_help_text(),
    )


class PaperSignatureForm(forms.Form):
    """A partner's signature given on paper, recorded by a municipal employee."""

    signatory_name = forms.CharField(label=_("Undertecknad av (namn)"), max_length=200)
    signatory_title = forms.CharField(
        label=_("Befattning hos aktören"), max_length=200, required=False, help_text=_("Till exempel ordförande.")
    )
    signed_on = forms.DateField(label=_("Undertecknad den"), widget=DateInput())
    document = forms.FileField(
        label=_("Den undertecknade ansökan (PDF)"),
        help_text=upload_help_text(pdf_only=True),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, actor_id, **kwargs):
        super().__init__(*args, prefix=f"actor-{actor_id}", **kwargs)


class TransitionForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_end = forms.DateField(label=_("Nytt slutdatum"), required=False, widget=DateInput())


class StepForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[("positive", _("Ja / tillstyrkt / klart")), ("negative", _("Nej / avstyrkt"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expertise_name = forms.CharField(label=_("Anlitad expertis (person)"), max_length=200, required=False)
    expertise_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    expertise_contribution = forms.CharField(
        label=_("Vad expertisen bidrog med"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def expertise(self):
        return {
            "name": self.cleaned_data["expertise_name"],
            "organisation": self.cleaned_data["expertise_organisation"],
            "contribution": self.cleaned_data["expertise_contribution"],
        }


class BoardNoticeForm(forms.Form):
    """That the affected nämnd has been informed: which nämnd, when and by whom."""

    board = forms.ModelChoiceField(label=_("Nämnd"), queryset=OrganisationalUnit.objects.none())
    informed_on = forms.DateField(label=_("Informerad den"), widget=DateInput())
    informed_by = forms.CharField(
        label=_("Informerad av"), max_length=200, help_text=_("Namn och befattning på den som informerade nämnden.")
    )

    def __init__(self, *args, case, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        requirement = case.rules.stages.application.board_informed
        kinds = requirement.unit_kinds if requirement else ()
        self.fields["board"].queryset = case.municipality.units.filter(kind__in=kinds)
        self.fields["board"].help_text = requirement.description if requirement else ""
        unit = case.applicant_unit
        while unit is not None and unit.kind not in kinds:
            unit = unit.parent
        self.initial.setdefault("board", unit.pk if unit else None)
        if user is not None:
            self.initial.setdefault("informed_by", user.get_full_name() or user.get_username())
        self.helper = FormHelper()
        self.helper.form_tag = False


class SavedFilterForm(forms.Form):
    """The name a user saves the case list's current filter under."""

    name = forms.CharField(
        label=_("Spara filtret som"),
        max_length=80,
        strip=True,
        error_messages={"required": _("Ge filtret ett namn.")},
    )
