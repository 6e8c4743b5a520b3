"""The error summary every crispy form shows: the count, a link to each field's control, focus."""

from django import forms
from django.template import Context, Template

from core.forms import error_summary, mark_required_to_submit


class Form(forms.Form):
    name = forms.CharField(label="Namn")
    kinds = forms.MultipleChoiceField(
        label="Slag", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="Anteckning", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Hela formuläret är fel.")


def test_summary_links_each_error_to_its_control():
    form = Form({"note": "kvar"})
    form.error_links = {"Hela formuläret är fel.": "/annan-sida/#del"}

    items = error_summary(form)

    assert items == [
        ("/annan-sida/#del", "", "Hela formuläret är fel."),
        ("#id_name", "Namn", "Det här fältet är obligatoriskt."),
        ("#id_kinds_0", "Slag", "Det här fältet är obligatoriskt."),
        ("", "", "Det här fältet är obligatoriskt."),  # hidden: nothing to reach
    ]


def test_unbound_or_valid_form_has_no_summary():
    assert error_summary(Form()) == []
    assert error_summary(None) == []


def test_crispy_form_shows_the_summary_first_and_what_the_mark_means():
    form = Form({"note": "kvar"})
    mark_required_to_submit(form, ["note"])

    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))

    assert html.index('id="error-summary"') < html.index('name="name"')
    assert '<h2 class="h5 alert-heading" id="error-summary-title">Formuläret har 4 fel</h2>' in html
    assert '<a href="#id_kinds_0" data-focus-target>Slag: Det här fältet är obligatoriskt.</a>' in html
    assert '<span class="asteriskField">*</span> = obligatoriskt</p>' in html
    note = html[html.index('id="div_id_note"') : html.index('id="id_note"')]
    assert '<span class="asteriskField" aria-hidden="true">*</span>' in note
    assert 'aria-required="true"' in note
