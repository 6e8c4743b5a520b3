import datetime
from decimal import Decimal

import pytest

from applications.enums import CaseState as S
from decisions.models import DecisionKind
from decisions.services import asked_total, record_decision
from demo.walk import walk_to
from funds import services as funds
from tests.applications.conftest import new_case, organisation, people  # noqa: F401 - shared fixtures

MEETING = datetime.date(2026, 9, 15)


@pytest.fixture
def today(time_machine):
    """Cases filled in now run November 2026 – October 2028: 500 000 kr a year for 2026–2028."""
    time_machine.move_to("2026-09-15 10:00 +02:00")


def split_of(case):
    return {cost.year: cost.amount for cost in case.costs.all()}


def ready(make_case, slug, title="Tidiga insatser"):
    case, users = make_case(slug, title=title)
    return walk_to(case, S.READY_FOR_DECISION, users), users


def decide(case, users, *, paragraph="1", years=None):
    """Record the decision body's grant of what the case asks, split per year as asked."""
    years = years if years is not None else split_of(case)
    return record_decision(
        users["decision_body"],
        cases=[case],
        kind=DecisionKind.GRANT,
        meeting_date=MEETING,
        paragraph=paragraph,
        reason="Uppfyller kriterierna.",
        amounts={case.pk: (sum(years.values(), Decimal(0)) or asked_total(case), years)},
    )


def kr(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def set_up_fund(users, *, reserved=None, appropriations=None):
    """The fund of the users' municipality, with a reservation and yearly appropriations (where
    the rule set has them)."""
    controller = users["controller"]
    fund = funds.create_fund(controller, controller.municipality)
    if reserved:
        funds.record_reservation(fund, controller, amount=kr(reserved), year=2026, basis="KF 2025-11-24 § 183")
    for year, amount in (appropriations or {}).items():
        funds.record_appropriation(fund, controller, amount=kr(amount), year=year, basis=f"KF MRP {year}")
    return fund


def accepted_report(case, outcomes, *, user=None, period_end=None):
    """An accepted report of the case stating the outcome ``outcomes`` ({year: kr}) for its years,
    its period running to the end of the last (or to ``period_end``), stored as reporting stores
    it: what caps a budget compensation or a freeze."""
    from django.utils import timezone

    from municipalities.rulebook.enums import ObligationKind
    from reporting.models import ObligationStatus, Report, ReportCostLine, ReportingObligation

    last = max(outcomes)
    obligation = ReportingObligation.objects.create(
        case=case,
        kind=ObligationKind.YEARLY,
        name=f"Årsrapport {last}",
        period_start=datetime.date(min(outcomes), 1, 1),
        period_end=period_end or datetime.date(last, 12, 31),
        due_date=datetime.date(last + 1, 1, 31),
        status=ObligationStatus.ACCEPTED,
    )
    report = Report.objects.create(
        obligation=obligation, updated_by=user or case.created_by, submitted_at=timezone.now()
    )
    for year, outcome in outcomes.items():
        ReportCostLine.objects.create(report=report, year=year, budget=kr(0), outcome=kr(outcome))
    return report
