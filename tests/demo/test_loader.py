"""The demo decides its cases as a user does: each decided case has its recorded decision (meeting,
§, total and split per year, commitment), so the decisions API and export have rows."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.enums import Role
from accounts.models import User
from api.services import create_token
from applications.enums import CaseState
from applications.models import Case
from decisions.models import Decision, DecisionLine, IssuedDocument
from demo.loader import DEMO_GRANTED_STATES, demo_targets
from exports.tables import decisions_table
from funds.enums import EntryKind
from funds.models import LedgerEntry
from municipalities.models import Municipality

pytestmark = pytest.mark.django_db

NO_FILTERS = {"state": "", "year": None, "q": ""}


@pytest.mark.slow
def test_demo_decides_every_decided_case_through_a_recorded_decision(time_machine):
    time_machine.move_to("2026-12-01 10:00 +01:00")
    from io import StringIO

    call_command("load_demo", stdout=StringIO())

    granted = Case.objects.filter(state__in=DEMO_GRANTED_STATES)
    rejected = Case.objects.filter(state=CaseState.REJECTED)
    # One demo case per granted state each rule set uses (demo.loader.demo_targets).
    assert granted.count() == sum(
        state in DEMO_GRANTED_STATES
        for municipality in Municipality.objects.all()
        for state in demo_targets(municipality.active_ruleset.rules)
    )
    assert rejected.count() == 5
    for case in granted:
        line = DecisionLine.objects.grants().get(case=case)
        years = {year.year: year.amount for year in line.years.all()}
        commitments = {e.year: e.amount for e in LedgerEntry.objects.filter(case=case, kind=EntryKind.COMMITMENT)}
        assert (line.total_amount, years, commitments) == (
            sum(years.values(), Decimal(0)),
            {cost.year: cost.amount for cost in case.costs.all()},
            years,
        )
        assert LedgerEntry.objects.get(case=case, kind=EntryKind.COMMITMENT, year=min(years)).decision_id == (
            line.decision_id
        )
        assert line.decision.meeting_date >= case.submitted_at.date()
    for case in rejected:
        assert case.decision_lines.get().decision.kind == "reject"
    decisions = Decision.objects.all()
    on_applications = decisions.filter(kind__in=["grant", "grant_lower", "reject"])
    assert on_applications.count() == granted.count() + rejected.count()
    # Extensions and implementations are recorded decisions too, each with its minutes extract.
    assert set(decisions.exclude(pk__in=on_applications).values_list("kind", flat=True)) == {
        "extend",
        "implement",
        "implement_partly",
    }
    assert IssuedDocument.objects.filter(kind="decision").count() == decisions.count()
    paragraphs = list(decisions.values_list("municipality", "meeting_date__year", "paragraph"))
    assert len(paragraphs) == len(set(paragraphs))

    admin = User.objects.get(email="admin.heby@demo.fonden.se")
    assert admin.has_role(Role.MUNICIPAL_ADMIN)
    _token, secret = create_token(admin, admin.municipality, "Power BI")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = client.get("/api/v1/decisions/").json()
    heby_decisions = decisions.filter(municipality=admin.municipality).count()
    assert rows["count"] == heby_decisions > 0
    assert all(row["paragraph_label"] == f"§ {row['paragraph']}" for row in rows["results"])
    export = decisions_table(admin, NO_FILTERS)
    assert len(list(export.rows)) == heby_decisions
