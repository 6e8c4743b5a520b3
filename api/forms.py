from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"), max_length=100, help_text=_("Vilket system som använder nyckeln, t.ex. Power BI.")
    )
