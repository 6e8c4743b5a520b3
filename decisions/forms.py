"""The form for a decision on a granted project: abort or continue, extend, change its design,
and implement (wholly, partly) or not. It offers only the decisions the user's body may take now."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import DateInput

from .models import DecisionKind


class LifecycleDecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect)
    meeting_date = forms.DateField(label=_("Sammanträdesdag"), widget=DateInput())
    paragraph = forms.IntegerField(label=_("Paragraf (§)"), min_value=1)
    new_end = forms.DateField(
        label=_("Nytt slutdatum"), required=False, widget=DateInput(), help_text=_("Vid förlängning.")
    )
    change = forms.CharField(
        label=_("Vad i upplägget ändras"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vid ändrat upplägg."),
    )
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds, **kwargs):
        kwargs.setdefault("prefix", "lifecycle")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, str(label).capitalize()) for kind, label in kinds]
        values = {kind for kind, _label in kinds}
        if DecisionKind.EXTEND not in values:
            del self.fields["new_end"]
        if DecisionKind.DESIGN_CHANGE not in values:
            del self.fields["change"]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]

    def add_refusal(self, refusal):
        """Show a refused decision's reason beside the field it concerns."""
        field = getattr(refusal, "field", None)
        self.add_error(field if field in self.fields else None, str(refusal))
