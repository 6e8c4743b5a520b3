"""The repayment plan on the case page and its own page: drafted, approved and followed through
the forms, seen by the case's applicants, hidden from other tenants."""

import pytest
from django.urls import reverse

from applications.models import Case
from funds import selectors as fund_selectors
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
    assert fund_selectors.fund_balances(case.municipality.fund).repaid == kr(50_000)
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


def ale_case(new_case):
    case, users = ready(new_case, "ale")
    set_up_fund(users, reserved=5e6)
    decide(case, users)
    return Case.objects.get(pk=case.pk), users


def rows(*installments, total=10):
    data = {"rows-TOTAL_FORMS": str(total), "rows-INITIAL_FORMS": "0"}
    for index, (year, unit, amount) in enumerate(installments):
        data.update(
            {f"rows-{index}-year": str(year), f"rows-{index}-unit": str(unit.pk), f"rows-{index}-amount": amount}
        )
    return data


def test_ale_applicant_drafts_a_ten_year_plan_on_the_page_and_the_steering_group_approves(client, new_case, today):
    case, users = ale_case(new_case)
    work = case.municipality.units.get(name="Sektor arbete och omsorg")
    page = reverse("repayment:plan", args=[case.pk])
    client.force_login(users["applicant"])

    form = client.get(page)
    drafted = client.post(
        page, {"form": "draft", **rows(*[(2029 + n, work, "15 000,05") for n in range(10)])}, follow=True
    )
    client.force_login(users["preparer"])
    approved = client.post(page, {"form": "approve"}, follow=True)

    formset = form.context["formset"]
    assert len(formset.forms) == 10  # as many years as the policy allows
    assert [u.name for u in formset.forms[0].fields["unit"].queryset] == [
        "Sektor arbete och omsorg",
        "Sektor utbildning",
    ]
    assert "Planen upprättas av Sektorer och civilsamhällesaktörer och godkänns av Styrgruppen" in (
        form.content.decode()
    )
    assert "Återbetalningsplanen är sparad." in drafted.content.decode()
    assert "Återbetalningsplanen är godkänd." in approved.content.decode()
    plan = RepaymentPlan.objects.get(case=case)
    assert (plan.status, plan.created_by, plan.approved_by) == (
        PlanStatus.APPROVED,
        users["applicant"],
        users["preparer"],
    )
    assert plan.owed == kr("150000.50")
    assert [i.year for i in plan.installments.all()] == list(range(2029, 2039))


def test_ale_refused_row_keeps_what_was_typed_with_the_reason_by_the_field(client, new_case, today):
    case, users = ale_case(new_case)
    work = case.municipality.units.get(name="Sektor arbete och omsorg")
    page = reverse("repayment:plan", args=[case.pk])
    client.force_login(users["applicant"])

    response = client.post(page, {"form": "draft", **rows((2029, work, "100 000"), (2027, work, "12 345,67"))})

    html = response.content.decode()
    assert response.status_code == 400
    assert "2027 ligger utanför återbetalningstiden 2029–." in html
    assert 'id="error_1_id_rows-1-year"' in html
    assert 'value="12 345,67"' in html
    assert not RepaymentPlan.objects.exists()


@pytest.mark.parametrize("role", ["preparer", "controller"])
def test_ale_plan_drafted_by_another_role_is_refused_on_the_page(client, new_case, today, role):
    case, users = ale_case(new_case)
    work = case.municipality.units.get(name="Sektor arbete och omsorg")
    page = reverse("repayment:plan", args=[case.pk])
    client.force_login(users[role])

    shown = client.get(page)
    response = client.post(page, {"form": "draft", **rows((2029, work, "100 000"))}, follow=True)

    assert shown.context["plan_form"] is None
    assert "Bara Sektorer och civilsamhällesaktörer upprättar återbetalningsplanen." in response.content.decode()
    assert not RepaymentPlan.objects.exists()


def test_ale_approved_plan_cannot_be_edited_or_approved_again_on_the_page(client, new_case, today):
    case, users = ale_case(new_case)
    work = case.municipality.units.get(name="Sektor arbete och omsorg")
    page = reverse("repayment:plan", args=[case.pk])
    client.force_login(users["applicant"])
    client.post(page, {"form": "draft", **rows((2029, work, "100 000"))})
    client.force_login(users["preparer"])
    client.post(page, {"form": "approve"})

    again = client.post(page, {"form": "approve"}, follow=True)
    client.force_login(users["applicant"])
    edited = client.post(page, {"form": "draft", **rows((2029, work, "1"))}, follow=True)

    assert "Planen är redan godkänd." in again.content.decode()
    assert "Planen är redan godkänd och kan inte ändras." in edited.content.decode()
    plan = RepaymentPlan.objects.get(case=case)
    assert [(i.year, i.amount) for i in plan.installments.all()] == [(2029, kr(100_000))]
