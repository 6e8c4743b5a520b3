"""The case list's search and filters (django-filter). The rows start from the user's own cases
(``selectors.cases_listed``, or for an export ``Case.objects.visible_to``); every filter narrows
them and none replaces the tenant scoping. Offered values are those of the user's municipality:
the states and stages its rule sets use, the years its cases were opened, its own units. Anything
else is refused by the field with a Swedish reason, and the list is shown without that filter.

The same filter set, given the list's query string, selects the cases an export of the filtered
list holds (``exports.tables.cases_table``), so the file has exactly the cases the list showed.
"""

import django_filters
from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.formatting import format_kronor
from municipalities.models import OrganisationalUnit
from municipalities.rulebook.presentation import STAGE_NAMES

from . import selectors
from .enums import STAGE_OF_STATE
from .models import Case

# The query-string keys of the filters, and of the list's sort, that a saved filter keeps.
SORT_KEY = "sort"
AMOUNT_MAX = 10**12  # kronor; above any fund's size, below the column's 14 digits


class CaseListForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("Beloppet ”till” ska vara minst lika stort som beloppet ”från”."))
        return cleaned


def _amount_filter(label, lookup):
    return django_filters.NumberFilter(
        label=label,
        method=f"amount_{lookup}",
        min_value=0,
        max_value=AMOUNT_MAX,
        decimal_places=2,
        error_messages={
            "invalid": _("Ange ett belopp i kronor, till exempel 250000."),
            "min_value": _("Beloppet kan inte vara negativt."),
            "max_value": _("Beloppet är för stort."),
            "max_decimal_places": _("Ange beloppet med högst två decimaler."),
        },
    )


class CaseListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=100,
        help_text=_("Diarienummer, namn på insatsen, enhet eller sökande."),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Skede"),
        method="in_stage",
        empty_label=_("Alla skeden"),
        error_messages={"invalid_choice": _("Okänt skede: %(value)s. Välj ett av skedena i listan.")},
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="state",
        empty_label=_("Alla statusar"),
        error_messages={"invalid_choice": _("Okänd status: %(value)s. Välj en av statusarna i listan.")},
    )
    year = django_filters.ChoiceFilter(
        label=_("År"),
        method="created_in",
        empty_label=_("Alla år"),
        help_text=_("Året ärendet skapades."),
        error_messages={"invalid_choice": _("Okänt år: %(value)s. Välj ett av åren i listan.")},
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Enhet"),
        method="of_unit",
        queryset=OrganisationalUnit.objects.none(),
        empty_label=_("Alla enheter"),
        help_text=_("Sökande eller medverkande, med enheterna under den."),
        error_messages={"invalid_choice": _("Okänd enhet. Välj en av kommunens enheter i listan.")},
    )
    amount = django_filters.ChoiceFilter(
        label=_("Belopp"),
        choices=[("asked", _("sökt belopp")), ("granted", _("beviljat belopp"))],
        method="which_amount",
        empty_label=None,
        error_messages={"invalid_choice": _("Välj sökt eller beviljat belopp.")},
    )
    amount_min = _amount_filter(_("Från (kr)"), "gte")
    amount_max = _amount_filter(_("Till (kr)"), "lte")
    # Last: it is computed over the rows the other filters have left (selectors.cases_waiting_on).
    waiting = django_filters.BooleanFilter(
        label=_("Bara ärenden som väntar på mig"), method="waiting_on_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Case
        fields = []
        form = CaseListForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset if queryset is not None else selectors.cases_listed(user), **kwargs)
        self.user = user
        states, stages = selectors.states_in_use(user)
        self.filters["state"].extra["choices"] = [(state.value, capfirst(state.label)) for state in states]
        self.filters["stage"].extra["choices"] = [(stage, STAGE_NAMES[stage]) for stage in stages]
        # The years from the first case to now: one MIN/MAX, not a scan that truncates every date.
        first = Case.objects.visible_to(user).aggregate(first=Min("created_at"))["first"]
        this_year = timezone.localdate().year
        years = range(this_year, (timezone.localtime(first).year if first else this_year) - 1, -1)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]
        units = OrganisationalUnit.objects.order_by("name")
        if user.municipality_id is not None:
            units = units.filter(municipality_id=user.municipality_id)
        self.filters["unit"].queryset = units

    # ---- The filters' methods: each narrows the rows it is given --------------------------------
    def search(self, queryset, name, value):
        return selectors.search_cases(queryset, value)

    def in_stage(self, queryset, name, value):
        return queryset.filter(state__in=[state for state, stage in STAGE_OF_STATE.items() if stage == value])

    def created_in(self, queryset, name, value):
        return queryset.filter(created_at__year=int(value))

    def of_unit(self, queryset, name, value):
        return selectors.cases_of_unit(queryset, value)

    def which_amount(self, queryset, name, value):
        return queryset  # says which amount the range below reads

    def _amount_field(self):
        # The annotations of selectors.with_amounts: "asked" unless the granted amount was chosen.
        return "granted" if self.form.cleaned_data.get("amount") == "granted" else "asked"

    def amount_gte(self, queryset, name, value):
        return queryset.filter(**{f"{self._amount_field()}__gte": value})

    def amount_lte(self, queryset, name, value):
        return queryset.filter(**{f"{self._amount_field()}__lte": value})

    def waiting_on_me(self, queryset, name, value):
        return selectors.cases_waiting_on(queryset, self.user) if value else queryset

    # ---- What the page and a saved filter read --------------------------------------------------
    def query(self):
        """The valid filters and the sort as a query-string dict (empty values left out), for a
        saved filter and for an export of the list."""
        kept = {name: value for name, value in self.data.items() if name in self.filters and value}
        kept = {name: value for name, value in kept.items() if name not in self.form.errors}
        if self.data.get(SORT_KEY):
            kept[SORT_KEY] = self.data[SORT_KEY]
        return kept

    def described(self):
        """(label, value as shown) of each filter in use, for a page that names them."""
        shown = []
        self.form.is_valid()  # validates once; cleaned_data then holds only the valid filters
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "", False) or name == "amount":
                continue
            if name in ("amount_min", "amount_max"):
                amount = dict(self.form.fields["amount"].choices)[self._amount_field()]
                label = _("%(amount)s, %(bound)s") % {"amount": capfirst(amount), "bound": str(field.label).lower()}
                shown.append((label, format_kronor(value)))
            elif hasattr(field, "choices") and name != "unit":
                shown.append((field.label, {str(key): text for key, text in field.choices}.get(str(value), value)))
            elif value is True:
                shown.append((field.label, _("ja")))
            else:
                shown.append((field.label, str(value)))
        return shown

    @property
    def is_filtered(self):
        return bool({name for name in self.query() if name not in (SORT_KEY, "amount")})
