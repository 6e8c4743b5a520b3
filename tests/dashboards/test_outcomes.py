"""The dashboard's outcomes: each project's latest saved calculation, and its time horizon in the
portfolio's spread."""

import datetime
from decimal import Decimal

from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from evaluation import services as evaluation
from evaluation.enums import Group, IndicatorKind
from evaluation.models import Indicator, IndicatorValue, MeasurementPlan
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


def test_dashboard_shows_indicator_effects_as_difference_in_differences(client, sundsvall):  # noqa: F811
    controller = sundsvall.users["controller"]
    plan = MeasurementPlan.objects.create(
        case=sundsvall.case, goals="Färre placeringar", activities="Stöd", updated_by=controller
    )
    indicator = Indicator.objects.create(plan=plan, name="Placerade barn", kind=IndicatorKind.EFFECT, unit="antal")
    for period, group, value in [
        (datetime.date(2026, 1, 31), Group.TARGET, 40),
        (datetime.date(2026, 12, 31), Group.TARGET, 30),
        (datetime.date(2026, 1, 31), Group.COMPARISON, 50),
        (datetime.date(2026, 12, 31), Group.COMPARISON, 48),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator, period=period, group=group, value=value, entered_by=controller
        )
    Case.objects.filter(pk=sundsvall.case.pk).update(state=S.RUNNING)
    client.force_login(controller)

    response = client.get(reverse("dashboards:dashboard"))

    [effect] = response.context["board"].effects
    assert effect.estimate["before_after"] == Decimal(-10)
    assert effect.estimate["difference_in_differences"] == Decimal(-8)
    assert 'id="effects-table"' in response.content.decode()
