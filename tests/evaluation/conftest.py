from decimal import Decimal
from types import SimpleNamespace

import pytest

from evaluation.models import UnitCost
from evaluation.services import payer_choices
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    new_case,
    organisation,
    people,
    rulesets,
    shipped_documents,
)


@pytest.fixture
def sundsvall(new_case):  # noqa: F811 - the fixture imported above
    """A Sundsvall case (an idea draft), one person per role, and a unit cost in the catalogue."""
    case, users = new_case("sundsvall", title="Tidigt stöd till familjer")
    unit_cost = UnitCost.objects.create(
        municipality=case.municipality,
        name="Dygn i HVB",
        unit="dygn",
        amount=Decimal(4500),
        price_year=2026,
        source="Kolada",
    )
    return SimpleNamespace(case=case, users=users, unit_cost=unit_cost, payers=payer_choices(case.municipality))


def outcome_fields(unit_cost, /, **overrides):
    fields = {
        "name": "Färre dygn i HVB",
        "unit_cost": unit_cost,
        "unit_amount": Decimal(4500),
        "baseline": Decimal(400),
        "quantity": Decimal(20),
        "start_year": 2027,
        "duration": 3,
        "drop_off": Decimal(0),
        "deadweight": Decimal(0),
        "attribution": Decimal(0),
        "displacement": Decimal(0),
        "confidence": "high",
        "effect_source": "estimate",
        "cashable": True,
        "transfer": False,
        "transfer_from": "",
        "split": {"municipality": "100"},
    }
    return {**fields, **overrides}


def calculation_fields(unit_cost, *, outcomes=1, **overrides):
    """Inputs of save_calculation: 100 000 kr in 2026, 20 fewer days a year at 4 500 kr in 2027-29."""
    fields = {
        "discount_rate": Decimal("3.5"),
        "horizon": 10,
        "first_year": 2026,
        "costs": [{"year": 2026, "payer": "municipality", "description": "", "granted": Decimal(100000)}],
        "outcomes": [outcome_fields(unit_cost, name=f"Effekt {i + 1}") for i in range(outcomes)],
    }
    return {**fields, **overrides}
