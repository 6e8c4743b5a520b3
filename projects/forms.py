"""The form of a project's organisation."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} ({person.title or person.email})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        unit = f", {person.unit.name}" if person.unit_id else ""
        return f"{person.full_name} ({person.title or person.email}{unit})"


class OrganisationForm(forms.Form):
    """The people of the project, chosen among the municipality's members."""

    manager = PersonChoiceField(queryset=None, label=_("Projektledare"))
    owners = PeopleChoiceField(
        queryset=None, required=False, label=_("Projektägare"), help_text=_("Förvaltningschefer som äger projektet.")
    )
    group = PeopleChoiceField(
        queryset=None,
        required=False,
        label=_("Projektgrupp"),
        help_text=_("En person per ingående part; personens enhet är den part hen företräder."),
    )
    steering = PeopleChoiceField(queryset=None, required=False, label=_("Projektstyrgrupp"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(municipality=municipality, is_active=True)
            .select_related("unit")
            .order_by("full_name")
        )
        for name in ("manager", "owners", "group", "steering"):
            self.fields[name].queryset = people
            self.fields[name].widget.attrs["size"] = 6 if name != "manager" else None
