"""Every refusal of the domain is one kind of thing, shown by its field in one way."""

import pytest
from django import forms

from applications.services.board_notice import BoardNoticeRefusedError
from applications.services.signing import SignatureRefusedError
from applications.services.steps import StepRefusedError
from core.refusals import DomainRefusedError, show_refusal
from decisions.services import DecisionRefusedError
from evaluation.services import EvaluationRefusedError
from funds.services import FundRefusedError
from municipalities.services import RuleSetLockedError, UnitHeadRefusedError
from repayment.services import RepaymentRefusedError
from reviews.services import ReviewRefusedError


@pytest.mark.parametrize(
    "refusal",
    [
        BoardNoticeRefusedError,
        SignatureRefusedError,
        StepRefusedError,
        DecisionRefusedError,
        EvaluationRefusedError,
        FundRefusedError,
        RepaymentRefusedError,
        ReviewRefusedError,
        RuleSetLockedError,
        UnitHeadRefusedError,
    ],
)
def test_every_refusal_is_a_domain_refusal(refusal):
    assert issubclass(refusal, DomainRefusedError)
    assert str(refusal("Skälet.")) == "Skälet."


class AmountForm(forms.Form):
    amount = forms.CharField()


def test_refusal_is_shown_by_its_field_or_above_the_form():
    by_field, above = AmountForm({"amount": "1"}), AmountForm({"amount": "1"})
    by_field.is_valid()
    above.is_valid()

    show_refusal(by_field, FundRefusedError("För mycket.", field="amount"))
    show_refusal(above, FundRefusedError("Året är stängt.", field="year"))

    assert by_field.errors == {"amount": ["För mycket."]}
    assert above.non_field_errors() == ["Året är stängt."]
