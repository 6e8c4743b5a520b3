"""Ystad's budget compensation is paid with an accepted report, through the fund's ledger."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.services import TransitionRefusedError
from applications.walk import walk_to
from funds.enums import EntryKind
from funds.models import LedgerEntry
from reporting import services
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
    years = services.report_years(obligation)
    texts = ["Gjort."] * len(services.report_headings(obligation))
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
    context = services.budget_compensation(obligation, users["controller"])
    assert (context["compensated"], context["suggested"]) == (Decimal("80000.00"), Decimal("0.00"))


def test_budget_compensation_refused_before_acceptance_and_for_other_roles(ystad_report):
    _case, users, obligation = ystad_report

    type(obligation).objects.filter(pk=obligation.pk).update(status=ObligationStatus.SUBMITTED)
    obligation.refresh_from_db()
    with pytest.raises(TransitionRefusedError, match="när rapporten är godkänd"):
        services.pay_budget_compensation(obligation, users["controller"], amount=Decimal(1000))

    assert services.budget_compensation(obligation, users["preparer"])["may_pay"] is False
    assert not LedgerEntry.objects.filter(kind=EntryKind.BUDGET_COMPENSATION).exists()


def test_no_budget_compensation_where_the_rule_set_pays_otherwise(running):
    case, users = running("heby")
    services.generate_obligations(case)

    assert services.budget_compensation(case.reporting_obligations.first(), users["controller"]) is None
