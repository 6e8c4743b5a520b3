"""Forms of the reviews panel and the prioritisation page. The review answers themselves are
validated by the service (one place that names the criterion a refusal concerns)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Bedömare"), empty_label=_("Välj en person"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates


class ProposalForm(forms.Form):
    """One rank field per case shown, labelled with the case."""

    note = forms.CharField(
        label=_("Kommentar till förslaget"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.rank_names = {}
        for index, case in enumerate(cases, start=1):
            name = f"rank_{case.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Plats för %(case)s") % {"case": case},
                min_value=1,
                max_value=len(cases),
                initial=index,
            )
            self.rank_names[case.pk] = name

    def ranks(self):
        return {case_id: self.cleaned_data[name] for case_id, name in self.rank_names.items()}

    def field_for(self, case_id):
        return self[self.rank_names[case_id]]
