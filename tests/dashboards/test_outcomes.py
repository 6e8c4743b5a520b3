"""The dashboard's outcomes: each project's latest saved calculation, and its time horizon in the
portfolio's spread."""

from decimal import Decimal

from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from evaluation import services as evaluation
from tests.evaluation.conftest import (  # noqa: F401 - shared fixtures
    calculation_fields,
    new_case,
    organisation,
    people,
    rulesets,
    shipped_documents,
    sundsvall,
)


def test_dashboard_shows_each_projects_latest_calculation(client, sundsvall):  # noqa: F811 - fixture above
    preparer = sundsvall.users["preparer"]
    evaluation.save_calculation(sundsvall.case, "forecast", preparer, **calculation_fields(sundsvall.unit_cost))
    evaluation.save_calculation(
        sundsvall.case, "forecast", preparer, **calculation_fields(sundsvall.unit_cost, horizon=12)
    )
    Case.objects.filter(pk=sundsvall.case.pk).update(state=S.RUNNING)
    client.force_login(sundsvall.users["controller"])

    response = client.get(reverse("dashboards:dashboard"))

    board = response.context["board"]
    [outcome] = board.outcomes
    assert outcome.snapshot.number == 2
    assert outcome.npv == Decimal("152147.33")
    assert outcome.benefit_cost_ratio.quantize(Decimal("0.01")) == Decimal("2.52")
    assert outcome.horizon == 12
    assert [count for _label, count in board.horizons] == [0, 0, 1]
    assert board.without_calculation == 0
    page = response.content.decode()
    assert 'id="outcomes-table"' in page
    assert 'id="horizons-chart"' in page
