"""The repayment plan on the case page and its own page: drafted, approved and followed through
the forms, seen by the case's applicants, hidden from other tenants."""

import pytest
from django.urls import reverse

from applications.models import Case
from funds import services as funds
from repayment.models import PlanStatus, RepaymentPlan
from tests.funds.conftest import decide, kr, ready, set_up_fund

pytestmark = pytest.mark.django_db


def sundsvall_case(new_case):
    case, users = ready(new_case, "sundsvall")
    set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    case = Case.objects.get(pk=case.pk)
    funds.record_payout(case, users["controller"], amount=kr(300_000), year=2026, project_number="11-7")
    return case, users


def test_plan_is_drafted_approved_and_repaid_through_the_page(client, new_case, today):
    case, users = sundsvall_case(new_case)
    social = case.municipality.units.get(name="Socialnämnden")
    page = reverse("repayment:plan", args=[case.pk])
    client.force_login(users["preparer"])

    too_much = client.post(
        page,
        {
            "form": "draft",
            "outcome_measures": "Placeringsdygn",
            "rows-TOTAL_FORMS": "3",
            "rows-INITIAL_FORMS": "0",
            "rows-0-year": "2029",
            "rows-0-unit": str(social.pk),
            "rows-0-amount": "400 000",
            "rows-0-outcome_measure": "Placeringsdygn",
        },
    )
    drafted = client.post(
        page,
        {
            "form": "draft",
            "outcome_measures": "Placeringsdygn",
            "rows-TOTAL_FORMS": "3",
            "rows-INITIAL_FORMS": "0",
            "rows-0-year": "2029",
            "rows-0-unit": str(social.pk),
            "rows-0-amount": "300 000",
            "rows-0-outcome_measure": "Placeringsdygn",
        },
    )
    client.force_login(users["decision_body"])
    approved = client.post(page, {"form": "approve"})
    client.force_login(users["controller"])
    repaid = client.post(
        page, {"form": "repay", "installment": f"2029:{social.pk}", "amount": "50 000", "realised_savings": "80 000"}
    )

    assert too_much.status_code == 400
    assert "Planen ska räknas på förbrukat belopp" in too_much.content.decode()
    assert (drafted.status_code, approved.status_code, repaid.status_code) == (302, 302, 302)
    plan = RepaymentPlan.objects.get(case=case)
    assert plan.status == PlanStatus.APPROVED
    assert funds.fund_balances(case.municipality.fund).repaid == kr(50_000)
    detail = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Fondmedel och återbetalning" in detail


def test_applicant_sees_the_plan_of_their_case_but_cannot_draft(client, new_case, today):
    case, users = sundsvall_case(new_case)
    client.force_login(users["applicant"])

    response = client.get(reverse("repayment:plan", args=[case.pk]))

    assert response.status_code == 200
    assert response.context["plan_form"] is None
    assert response.context["repay_form"] is None


def test_another_municipality_cannot_see_the_plan(client, new_case, people, today):
    case, _users = sundsvall_case(new_case)
    other = people("heby")
    client.force_login(other["controller"])

    assert client.get(reverse("repayment:plan", args=[case.pk])).status_code == 404


def test_heby_case_page_says_there_is_no_repayment(client, new_case, today):
    case, users = ready(new_case, "heby")
    decide(case, users)
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Regelverket har ingen återbetalning till fonden." in html
    assert "ramjustering" in html
