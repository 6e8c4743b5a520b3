"""Ystad's budget compensation is paid with an accepted report, through the fund's ledger."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.services import TransitionRefusedError
from demo.walk import walk_to
from funds.enums import EntryKind
from funds.models import LedgerEntry
from funds.services import FundRefusedError
from reporting import selectors, services
from reporting.models import ObligationStatus
from tests.funds.conftest import decide, ready, set_up_fund


@pytest.fixture
def ystad_report(new_case, time_machine):
    """A Ystad project granted 500 000 kr a year, running, with its first report accepted."""
    time_machine.move_to("2026-09-15 10:00 +02:00")
    case, users = ready(new_case, "ystad")
    set_up_fund(users, reserved=5_000_000, appropriations={2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000})
    decide(case, users)
    case = walk_to(type(case).objects.get(pk=case.pk), S.RUNNING, users)
    time_machine.move_to("2027-01-10 10:00 +01:00")
    obligation = case.reporting_obligations.order_by("due_date").first()
    years = selectors.report_years(obligation)
    texts = ["Gjort."] * len(selectors.report_headings(obligation))
    services.save_report(
        obligation, users["applicant"], texts=texts, outcomes=dict.fromkeys(years, Decimal(80000)), submit=True
    )
    services.review_report(obligation, users["decision_body"], accept=True)
    obligation.refresh_from_db()
    return case, users, obligation


def test_controller_pays_the_budget_compensation_of_an_accepted_report(client, ystad_report):
    case, users, obligation = ystad_report
    client.force_login(users["controller"])
    url = reverse("reporting:report", args=[case.pk, obligation.pk])
    assert 'value="80000"' in client.get(url).content.decode()

    response = client.post(
        reverse("reporting:compensate", args=[case.pk, obligation.pk]), {"amount": "80 000"}, follow=True
    )

    assert "Budgetkompensationen är bokförd i fonden." in response.content.decode()
    assert obligation.period_end == datetime.date(2026, 12, 31)
    entry = LedgerEntry.objects.get(kind=EntryKind.BUDGET_COMPENSATION)
    assert (entry.case_id, entry.amount, entry.year, entry.report_id) == (
        case.pk,
        Decimal("80000.00"),
        obligation.period_end.year,
        obligation.report.pk,
    )
    context = selectors.budget_compensation(obligation, users["controller"])
    assert (context["compensated"], context["suggested"]) == (Decimal("80000.00"), Decimal("0.00"))


def test_compensation_names_its_report_and_the_page_offers_no_more_once_all_is_paid(client, ystad_report):
    case, users, obligation = ystad_report
    client.force_login(users["controller"])
    services.pay_budget_compensation(obligation, users["controller"], amount=Decimal(80000))

    report_page = client.get(reverse("reporting:report", args=[case.pk, obligation.pk])).content.decode()
    fund_page = client.get(reverse("funds:detail", args=[case.municipality.slug])).content.decode()

    reference = f"{obligation.display_name} {obligation.period_start}–{obligation.period_end}"
    assert LedgerEntry.objects.get(kind=EntryKind.BUDGET_COMPENSATION).reference == reference
    assert f"rapport {reference}" in fund_page
    assert "Det rapporterade utfallet för 2026 är kompenserat i sin helhet." in report_page
    assert "Betala ut budgetkompensation" not in report_page


def test_budget_compensation_refused_before_acceptance_and_for_other_roles(ystad_report):
    _case, users, obligation = ystad_report

    type(obligation).objects.filter(pk=obligation.pk).update(status=ObligationStatus.SUBMITTED)
    obligation.refresh_from_db()
    with pytest.raises(TransitionRefusedError, match="när rapporten är godkänd"):
        services.pay_budget_compensation(obligation, users["controller"], amount=Decimal(1000))

    assert selectors.budget_compensation(obligation, users["preparer"])["may_pay"] is False
    assert not LedgerEntry.objects.filter(kind=EntryKind.BUDGET_COMPENSATION).exists()


def test_no_budget_compensation_where_the_rule_set_pays_otherwise(running):
    case, users = running("heby")
    services.generate_obligations(case)

    assert selectors.budget_compensation(case.reporting_obligations.first(), users["controller"]) is None


def test_budget_compensation_above_the_reported_cost_is_refused_by_the_amount(client, ystad_report):
    case, users, obligation = ystad_report
    client.force_login(users["controller"])

    response = client.post(reverse("reporting:compensate", args=[case.pk, obligation.pk]), {"amount": "80 001"})

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Rapporten anger kostnader på 80\xa0000\xa0kr för 2026 och 0\xa0kr är redan kompenserat; "
        "högst 80\xa0000\xa0kr kan betalas ut." in page
    )
    assert 'value="80 001"' in page  # what the user typed, shown again
    assert 'id="error_1_id_amount"' in page  # by the field
    assert not LedgerEntry.objects.filter(kind=EntryKind.BUDGET_COMPENSATION).exists()


def test_compensations_against_one_report_add_up_to_at_most_its_cost(ystad_report):
    _case, users, obligation = ystad_report
    controller = users["controller"]
    services.pay_budget_compensation(obligation, controller, amount=Decimal("50000.00"))

    with pytest.raises(FundRefusedError) as refusal:
        services.pay_budget_compensation(obligation, controller, amount=Decimal("30000.01"))

    assert refusal.value.field == "amount"
    assert str(refusal.value) == (
        "Rapporten anger kostnader på 80\xa0000\xa0kr för 2026 och 50\xa0000\xa0kr är redan kompenserat; "
        "högst 30\xa0000\xa0kr kan betalas ut."
    )
    assert list(LedgerEntry.objects.filter(kind=EntryKind.BUDGET_COMPENSATION).values_list("amount", flat=True)) == [
        Decimal("50000.00")
    ]
    services.pay_budget_compensation(obligation, controller, amount=Decimal("30000.00"))
    context = selectors.budget_compensation(obligation, controller)
    assert (context["compensated"], context["suggested"]) == (Decimal("80000.00"), Decimal("0.00"))


def test_fund_page_cannot_compensate_costs_no_accepted_report_states(client, ystad_report):
    """The fund page's own form is no way around the report: without one, or beyond it, refused."""
    case, users, obligation = ystad_report
    type(obligation).objects.filter(pk=obligation.pk).update(status=ObligationStatus.SUBMITTED)
    client.force_login(users["controller"])
    url = reverse("funds:detail", args=[case.municipality.slug])
    data = {
        "form": "payout",
        "payoutform-case": case.pk,
        "payoutform-amount": "10 000",
        "payoutform-year": "2026",
        "payoutform-entry_date": "2027-01-10",
        "payoutform-reference": "Delårsbokslut 2 2026",
    }

    response = client.post(url, data)

    assert response.status_code == 400
    assert "Ingen godkänd rapport anger kostnaderna för 2026." in response.content.decode()
    assert 'value="Delårsbokslut 2 2026"' in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.BUDGET_COMPENSATION).exists()


def test_reported_costs_read_the_named_or_latest_accepted_report(ystad_report):
    case, _users, obligation = ystad_report

    assert selectors.reported_costs(case, 2026) == Decimal("80000.00")
    assert selectors.reported_costs(case, 2026, report_id=obligation.report.pk) == Decimal("80000.00")
    assert selectors.reported_costs(case, 2026, report_id=obligation.report.pk + 1000) is None
    assert selectors.reported_costs(case, 2027) is None
    assert selectors.reported_costs(case, 2026, whole_year=True) == Decimal("80000.00")  # period ends 31 Dec
    type(obligation).objects.filter(pk=obligation.pk).update(period_end=datetime.date(2026, 12, 30))
    assert selectors.reported_costs(case, 2026, whole_year=True) is None
    assert selectors.reported_costs(case, 2026) == Decimal("80000.00")
