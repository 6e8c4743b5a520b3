from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-postadress"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen."),
        "inactive": _("Kontot är avstängt."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()
