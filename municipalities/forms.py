import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .rulebook.validation import RuleSetInvalidError, parse_ruleset


class RuleSetField(forms.CharField):
    """JSON text that must be a valid rule set; each problem is reported with its field path."""

    widget = forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return text
        try:
            return parse_ruleset(text)
        except RuleSetInvalidError as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from error

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value


class DraftEditForm(forms.Form):
    document = RuleSetField(label=_("Regelverket (JSON)"))
    note = forms.CharField(label=_("Vad har ändrats och varför?"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Regelverksfil (JSON)"))
    note = forms.CharField(label=_("Anteckning"), max_length=500, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("Filen är för stor: högst 1 MB."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Filen ska vara UTF-8-kodad JSON.")) from error
        try:
            return parse_ruleset(text)
        except RuleSetInvalidError as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from error


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Jämför version"), min_value=1)
    b = forms.IntegerField(label=_("med version"), min_value=1)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"


class UnitHeadForm(forms.Form):
    """The unit's head and deputies, chosen among the municipality's active members. A person
    of another municipality is refused by the field."""

    head = PersonChoiceField(
        label=_("Chef"),
        queryset=None,
        required=False,
        help_text=_("Den som skriver under ansökningar för enheten."),
        error_messages={"invalid_choice": _("Välj en person som är anställd i kommunen.")},
    )
    deputies = PeopleChoiceField(
        label=_("Ersättare"),
        queryset=None,
        required=False,
        help_text=_("De som får skriva under i chefens ställe."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": _("Välj personer som är anställda i kommunen.")},
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        people = User.objects.filter(municipality=municipality, is_active=True).order_by("full_name", "email")
        self.fields["head"].queryset = people
        self.fields["deputies"].queryset = people
