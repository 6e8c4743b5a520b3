import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import Role
from api.services import create_token
from applications.models import Case, CaseCost
from applications.services import create_case
from decisions.models import Decision, DecisionKind, DecisionLine, DecisionYear
from evaluation.models import Indicator, IndicatorValue, MeasurementPlan
from funds import services as funds
from funds.enums import EntryKind
from funds.models import LedgerEntry
from municipalities.rulebook.enums import ObligationKind
from reporting.models import ObligationStatus, Report, ReportingObligation
from tests.applications.conftest import organisation, people, rulesets, shipped_documents  # noqa: F401 - shared fixtures


class Tenant:
    """One municipality's people, its rows of every kind the API serves, and an API token."""

    def __init__(self, users):
        self.users = users
        self.municipality = users["municipal_admin"].municipality
        self.fund = funds.create_fund(users["controller"], self.municipality)
        self.token, self.secret = create_token(users["municipal_admin"], self.municipality, "Power BI")
        self.cases, self.decisions, self.entries, self.obligations, self.indicators = [], [], [], [], []

    def client(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.secret}")
        return client

    def add(self, count=1):
        """Add `count` cases, each with costs, a decision, a ledger entry, a report and an indicator."""
        users = self.users
        for _ in range(count):
            case = create_case(users["applicant"], title=f"Insats {len(self.cases) + 1}")
            Case.objects.filter(pk=case.pk).update(number=f"{self.municipality.slug.upper()}-{case.pk}")
            for year in (2027, 2028):
                CaseCost.objects.update_or_create(case=case, year=year, defaults={"amount": Decimal("250000.00")})
            decision = Decision.objects.create(
                municipality=self.municipality,
                body="Kommunstyrelsen",
                meeting_date=datetime.date(2026, 10, 20),
                paragraph=len(self.decisions) + 1,
                kind=DecisionKind.GRANT,
                reason="Uppfyller kriterierna.",
                recorded_by=users["decision_body"],
            )
            line = DecisionLine.objects.create(decision=decision, case=case, total_amount=Decimal("500000.00"))
            for year in (2027, 2028):
                DecisionYear.objects.create(line=line, year=year, amount=Decimal("250000.00"))
            entry = LedgerEntry.objects.create(
                fund=self.fund,
                kind=EntryKind.COMMITMENT,
                year=2027,
                entry_date=datetime.date(2026, 10, 20),
                amount=Decimal("250000.00"),
                case=case,
                decision=decision,
                reference="Åtagande",
                recorded_by=users["controller"],
            )
            obligation = ReportingObligation.objects.create(
                case=case,
                kind=ObligationKind.YEARLY,
                name="Årsrapport 2027",
                period_start=datetime.date(2027, 1, 1),
                period_end=datetime.date(2027, 12, 31),
                due_date=datetime.date(2028, 1, 31),
                status=ObligationStatus.ACCEPTED,
            )
            Report.objects.create(
                obligation=obligation,
                submitted_by=users["applicant"],
                submitted_at=timezone.now(),
                reviewed_by=users["preparer"],
                reviewed_at=timezone.now(),
                updated_by=users["applicant"],
            )
            plan = MeasurementPlan.objects.create(
                case=case, goals="Färre placeringar", activities="Familjestöd", updated_by=users["applicant"]
            )
            indicator = Indicator.objects.create(plan=plan, name="Placeringar", kind="effect", unit="antal")
            for group in ("target", "comparison"):
                IndicatorValue.objects.create(
                    indicator=indicator,
                    period=datetime.date(2027, 12, 31),
                    group=group,
                    value=Decimal(12),
                    entered_by=users["applicant"],
                )
            self.cases.append(case)
            self.decisions.append(decision)
            self.entries.append(entry)
            self.obligations.append(obligation)
            self.indicators.append(indicator)
        return self


@pytest.fixture
def tenant(people):  # noqa: F811 - the shared fixture, by name
    def build(slug, count=1):
        return Tenant(people(slug)).add(count)

    return build


@pytest.fixture
def ystad(tenant):
    return tenant("ystad")


@pytest.fixture
def heby(tenant):
    return tenant("heby")


__all__ = ["Role"]
