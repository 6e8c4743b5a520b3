from django import forms
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Delivery, NotificationKind, NotificationPreference


class NotificationSettingsForm(forms.Form):
    """One choice per kind of notification: e-mail at once, a daily digest or only in Fonden."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = NotificationPreference.objects.choices_of(user)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=capfirst(kind.label),
                choices=Delivery.choices,
                initial=chosen.get(kind.value, Delivery.NOW),
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj hur aviseringarna ska nå dig.")},
            )

    @transaction.atomic
    def save(self):
        """Store the choices; a kind left at e-mail at once needs no row."""
        NotificationPreference.objects.filter(user=self.user).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=self.user, kind=kind, delivery=delivery)
            for kind, delivery in self.cleaned_data.items()
            if delivery != Delivery.NOW
        )
