"""The one kronor field: amounts as Swedish users type them, errors in Swedish."""

from decimal import Decimal

import pytest
from django import forms

from core.forms import KronorField


class AmountForm(forms.Form):
    amount = KronorField()
    result = KronorField(label="Resultat (kr)", min_value=None, required=False)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1 250 000", "1250000"), ("1250000,50", "1250000.50"), ("1\xa0250\xa0000 kr", "1250000"), ("0,2", "0.20")],
)
def test_amount_as_people_type_it(typed, amount):
    form = AmountForm({"amount": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("tolv kronor", "Skriv beloppet i kronor, till exempel 1 250 000."),
        ("−500", "Beloppet kan inte vara negativt."),
        ("10,005", "Ange beloppet i kronor och öre: högst två decimaler."),
        ("1 000 000 000 000", "Beloppet är för stort."),
    ],
)
def test_bad_amount_is_refused_in_swedish(typed, message):
    form = AmountForm({"amount": typed})

    assert not form.is_valid()
    assert form.errors["amount"] == [message]


def test_a_result_may_be_negative():
    form = AmountForm({"amount": "1", "result": "−12 500,75"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["result"] == Decimal("-12500.75")


def test_amount_is_shown_back_as_typed():
    field = AmountForm().fields["amount"]

    assert (field.prepare_value(Decimal("1250000.00")), field.prepare_value(Decimal("0.50"))) == ("1250000", "0,5")
