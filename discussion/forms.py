from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import upload_help_text

from .enums import Visibility


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("Vem får läsa kommentaren?"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        required=False,  # applicants are not asked: their comments are shared
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(
        label=_("Bilagor"),
        required=False,
        help_text=upload_help_text(per_file=True),
    )

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or Visibility.SHARED


class EditCommentForm(forms.Form):
    text = forms.CharField(label=_("Ny text"), widget=forms.Textarea(attrs={"rows": 3}))
