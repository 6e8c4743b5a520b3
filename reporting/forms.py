"""Forms of a project's follow-up: its plan, a report and the receiver's review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, KronorField

from .selectors import economy_rows, report_headings, report_indicators


class HeadingsForm(forms.Form):
    """Texts under given headings (a project plan, a report): fields ``text_0``, ``text_1``…"""

    def __init__(self, *args, headings, **kwargs):
        super().__init__(*args, **kwargs)
        for index, heading in enumerate(headings):
            # A standard heading is translated; a rule set's own heading has no translation and
            # is shown as the rule set writes it.
            self.fields[f"text_{index}"] = forms.CharField(
                label=_(heading), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
        self.headings = headings

    def texts(self):
        return [self.cleaned_data.get(f"text_{index}", "") for index in range(len(self.headings))]

    def add_errors(self, error):
        """Put a service's ValidationError beside the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class ReportForm(HeadingsForm):
    """A report: texts under the rule set's headings, the outcome per project year, a comment."""

    economy_comment = forms.CharField(
        label=_("Kommentar till ekonomin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Förklara större avvikelser mot budgeten."),
    )

    def __init__(self, *args, headings, years, indicators=(), budgets=None, **kwargs):
        super().__init__(*args, headings=headings, **kwargs)
        self.years = years
        self.budgets = budgets or {}
        self.indicators = [indicator for indicator, _values in indicators]
        for indicator in self.indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            for group, label in (("target", _("målgruppen")), ("comparison", _("jämförelsegruppen"))):
                self.fields[f"indicator_{indicator.pk}_{group}"] = forms.DecimalField(
                    label=f"{indicator.name}{unit}: {label}",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    localize=True,
                )
        for year in years:
            self.fields[f"outcome_{year}"] = KronorField(
                label=_("Utfall %(year)s (kr)") % {"year": year}, required=False
            )
        # The economy comes after the texts, as the report reads.
        self.order_fields([*(f"text_{i}" for i in range(len(headings))), *(f"outcome_{y}" for y in years)])

    @classmethod
    def for_report(cls, obligation, data=None):
        """The form of ``obligation``'s report, with what the report holds so far, or bound to what
        the user typed."""
        report = getattr(obligation, "report", None)
        headings = report_headings(obligation)
        rows = economy_rows(obligation)
        indicators = report_indicators(obligation)
        written = {section["title"]: section["text"] for section in report.sections} if report else {}
        return cls(
            data,
            headings=headings,
            years=[year for year, _budget, _outcome in rows],
            budgets={year: budget for year, budget, _outcome in rows},
            indicators=indicators,
            initial={
                **{
                    f"indicator_{indicator.pk}_{group}": value
                    for indicator, measured in indicators
                    for group, value in measured.items()
                },
                **{f"text_{i}": written.get(title, "") for i, title in enumerate(headings)},
                **{f"outcome_{year}": outcome for year, _budget, outcome in rows},
                "economy_comment": report.economy_comment if report else "",
            },
        )

    @property
    def text_fields(self):
        return [self[f"text_{index}"] for index in range(len(self.headings))]

    @property
    def outcome_fields(self):
        """(field, budget) per year: the budget is shown under the year's outcome."""
        return [(self[f"outcome_{year}"], self.budgets.get(year)) for year in self.years]

    @property
    def indicator_fields(self):
        return [
            (indicator, self[f"indicator_{indicator.pk}_target"], self[f"indicator_{indicator.pk}_comparison"])
            for indicator in self.indicators
        ]

    def outcomes(self):
        return {year: self.cleaned_data.get(f"outcome_{year}") for year in self.years}

    def contents(self):
        """What ``reporting.services.save_report`` saves: the texts, the outcomes, the comment and the
        indicator values measured."""
        return {
            "texts": self.texts(),
            "outcomes": self.outcomes(),
            "economy_comment": self.cleaned_data["economy_comment"],
            "measured": self.measured(),
        }

    def measured(self):
        return {
            indicator.pk: {
                group: self.cleaned_data.get(f"indicator_{indicator.pk}_{group}") for group in ("target", "comparison")
            }
            for indicator in self.indicators
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när du ber om komplettering."),
    )


class ReportingDateForm(HeadingsForm):
    """One fixed reporting date for one year."""

    name = forms.ChoiceField(label=_("Rapporteringsdatum"))
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(self, *args, names, **kwargs):
        super().__init__(*args, headings=[], **kwargs)
        self.fields["name"].choices = [(name, name) for name in names]


class CompensationForm(forms.Form):
    """The budget compensation paid with an accepted report (Ystad)."""

    amount = KronorField(label=_("Belopp att betala ut (kr)"))
