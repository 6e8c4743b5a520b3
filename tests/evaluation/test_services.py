import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.enums import Role
from applications.enums import CaseState
from applications.models import Case
from audit.models import AppendOnlyError, AuditEntry
from evaluation import services
from evaluation.models import Calculation, CalculationSnapshot, Evaluation, IndicatorValue, UnitCost
from tests.evaluation.conftest import calculation_fields, outcome_fields
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def history(case, action):
    return list(AuditEntry.objects.for_object(case).filter(action=action))


def test_preparer_saves_a_calculation_as_a_snapshot_with_its_history_entry(sundsvall):
    preparer = sundsvall.users["preparer"]

    snapshot = services.save_calculation(
        sundsvall.case, "forecast", preparer, **calculation_fields(sundsvall.unit_cost)
    )

    # 20 × 4 500 = 90 000 kr in 2027, 2028, 2029 at 3.5 %: 86 956.522 + 84 015.963 + 81 174.844 = 252 147.33
    assert snapshot.number == 1
    assert Decimal(snapshot.results["pv_benefits"]) == Decimal("252147.33")
    assert snapshot.npv == Decimal("152147.33")
    assert snapshot.inputs["discount_rate"] == "3.5"
    [entry] = history(sundsvall.case, "calculation.saved")
    assert entry.actor == preparer
    assert entry.data == {"kind": "forecast", "version": 1, "npv": "152147.33", "discount_rate": "3.5"}


def test_results_recomputed_from_a_snapshot_equal_those_stored_with_it(sundsvall):
    snapshot = services.save_calculation(
        sundsvall.case, "forecast", sundsvall.users["preparer"], **calculation_fields(sundsvall.unit_cost)
    )

    result = services.results_of(snapshot)

    assert result.npv == snapshot.npv
    assert str(result.monte_carlo.probability_positive) == snapshot.results["monte_carlo"]["probability_positive"]
    assert [str(v) for v in result.cumulative_discounted] == snapshot.results["cumulative_discounted"]


def test_each_save_adds_a_version_and_earlier_ones_stay_as_they_were(sundsvall):
    preparer = sundsvall.users["preparer"]
    first = services.save_calculation(sundsvall.case, "forecast", preparer, **calculation_fields(sundsvall.unit_cost))

    second = services.save_calculation(
        sundsvall.case,
        "forecast",
        preparer,
        **calculation_fields(sundsvall.unit_cost, discount_rate=Decimal(7)),
    )

    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.inputs["discount_rate"] == "3.5"
    assert second.npv < first.npv
    assert Calculation.objects.get().outcome_lines.count() == 1


def test_a_snapshot_is_never_changed_or_deleted(sundsvall):
    snapshot = services.save_calculation(
        sundsvall.case, "forecast", sundsvall.users["preparer"], **calculation_fields(sundsvall.unit_cost)
    )

    snapshot.npv = Decimal(1)
    with pytest.raises(AppendOnlyError):
        snapshot.save()
    with pytest.raises(AppendOnlyError):
        CalculationSnapshot.objects.all().delete()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadweight": Decimal(150)}, "outcomes.0.deadweight", "Ange en andel mellan 0 och 100 %."),
        ({"split": {"municipality": "60", "region": "30"}}, "outcomes.0.split", "men blir 90 %"),
        ({"baseline": None}, "outcomes.0.baseline", "Ange utgångsvärdet (basmätningen) för effekten."),
        ({"unit_cost": None}, "outcomes.0.unit_cost", "Välj en enhetskostnad för effekten."),
    ],
)
def test_invalid_outcome_is_refused_by_field_and_nothing_is_stored(sundsvall, overrides, field, message):
    fields = calculation_fields(sundsvall.unit_cost)
    fields["outcomes"] = [outcome_fields(sundsvall.unit_cost, **overrides)]

    with pytest.raises(services.EvaluationRefusedError) as refused:
        services.save_calculation(sundsvall.case, "forecast", sundsvall.users["preparer"], **fields)

    assert any(p.field == field and message in p.message for p in refused.value.problems)
    assert not Calculation.objects.exists()
    assert not CalculationSnapshot.objects.exists()
    assert history(sundsvall.case, "calculation.saved") == []


def test_horizon_over_twenty_years_is_refused(sundsvall):
    with pytest.raises(services.EvaluationRefusedError) as refused:
        services.save_calculation(
            sundsvall.case,
            "forecast",
            sundsvall.users["preparer"],
            **calculation_fields(sundsvall.unit_cost, horizon=21),
        )

    assert [(p.field, p.message) for p in refused.value.problems] == [("horizon", "Kalkylperioden ska vara 1–20 år.")]
    assert not CalculationSnapshot.objects.exists()


def test_controller_may_edit_every_calculation(sundsvall):
    snapshot = services.save_calculation(
        sundsvall.case, "final", sundsvall.users["controller"], **calculation_fields(sundsvall.unit_cost)
    )

    assert snapshot.kind == "final"


def test_applicant_edits_the_forecast_of_their_own_case_while_it_is_editable(sundsvall):
    snapshot = services.save_calculation(
        sundsvall.case, "forecast", sundsvall.users["applicant"], **calculation_fields(sundsvall.unit_cost)
    )

    assert snapshot.saved_by == sundsvall.users["applicant"]


def test_applicant_may_not_edit_the_decided_calculation(sundsvall):
    with pytest.raises(PermissionDenied, match="Bara den beredande gruppen och controllern"):
        services.save_calculation(
            sundsvall.case, "decided", sundsvall.users["applicant"], **calculation_fields(sundsvall.unit_cost)
        )
    assert not CalculationSnapshot.objects.exists()


def test_applicant_may_not_edit_the_forecast_once_the_application_is_submitted(sundsvall):
    Case.objects.filter(pk=sundsvall.case.pk).update(state=CaseState.SUBMITTED)

    with pytest.raises(PermissionDenied, match="medan ansökan kan ändras"):
        services.save_calculation(
            sundsvall.case, "forecast", sundsvall.users["applicant"], **calculation_fields(sundsvall.unit_cost)
        )


@pytest.mark.parametrize("role", ["board", "management", "decision_body", "municipal_admin"])
def test_other_roles_read_but_do_not_edit_calculations(sundsvall, role):
    with pytest.raises(PermissionDenied):
        services.save_calculation(
            sundsvall.case, "forecast", sundsvall.users[role], **calculation_fields(sundsvall.unit_cost)
        )


def test_preparer_of_another_municipality_may_not_edit(sundsvall, people):
    ystad_preparer = people("ystad")["preparer"]

    with pytest.raises(PermissionDenied):
        services.save_calculation(sundsvall.case, "forecast", ystad_preparer, **calculation_fields(sundsvall.unit_cost))


def test_a_unit_cost_of_another_municipality_is_refused(sundsvall, organisation):
    ystad = organisation("ystad")
    foreign = UnitCost.objects.create(
        municipality=ystad, name="Dygn", unit="dygn", amount=Decimal(1), price_year=2026, source="x"
    )

    with pytest.raises(services.EvaluationRefusedError, match="en annan kommun"):
        services.save_calculation(
            sundsvall.case, "forecast", sundsvall.users["preparer"], **calculation_fields(foreign)
        )


def test_payers_are_the_top_level_boards_then_the_others(sundsvall):
    keys = [label for _key, label in sundsvall.payers]

    assert keys[:2] == ["Barn- och utbildningsnämnden", "Socialnämnden"]
    assert keys[2:] == ["kommunen, övrigt", "regionen", "staten", "den enskilde", "övriga"]


def plan(sundsvall, user=None):
    return services.save_measurement_plan(
        sundsvall.case,
        user or sundsvall.users["applicant"],
        fields={"goals": "Färre placeringar", "activities": "Familjestöd", "comparison": "control_group"},
        indicators=[
            (
                None,
                {
                    "name": "Placerade barn",
                    "kind": "effect",
                    "unit": "antal",
                    "baseline_value": Decimal(12),
                    "baseline_date": datetime.date(2026, 1, 1),
                    "target_value": Decimal(6),
                    "measurement_times": "varje halvår",
                },
                False,
            )
        ],
    )


def test_applicant_makes_the_measurement_plan_with_its_history_entry(sundsvall):
    saved = plan(sundsvall)

    assert [i.name for i in saved.indicators.all()] == ["Placerade barn"]
    assert history(sundsvall.case, "measurement_plan.saved")[0].data == {"indicators": 1}


def test_board_member_may_not_make_the_measurement_plan(sundsvall):
    with pytest.raises(PermissionDenied):
        plan(sundsvall, sundsvall.users["board"])


def test_values_for_both_groups_give_the_difference_in_differences(sundsvall):
    indicator = plan(sundsvall).indicators.get()
    user = sundsvall.users["applicant"]
    for period, group, value in [
        ("2026-01-01", "comparison", 10),
        ("2027-01-01", "target", 6),
        ("2027-01-01", "comparison", 8),
    ]:
        services.enter_indicator_value(
            indicator, user, period=datetime.date.fromisoformat(period), group=group, value=Decimal(value)
        )

    effect = services.indicator_effect(indicator)

    assert effect == {"difference_in_differences": Decimal(-4), "before_after": Decimal(-6), "post_only": Decimal(-2)}
    assert len(history(sundsvall.case, "indicator_value.entered")) == 3


def test_entering_a_value_again_corrects_it(sundsvall):
    indicator = plan(sundsvall).indicators.get()
    user = sundsvall.users["preparer"]
    services.enter_indicator_value(indicator, user, period=datetime.date(2027, 1, 1), group="target", value=Decimal(7))

    services.enter_indicator_value(
        indicator, user, period=datetime.date(2027, 1, 1), group="target", value=Decimal(6), report_id=42
    )

    assert list(IndicatorValue.objects.values_list("value", "report_id")) == [(Decimal(6), 42)]
    assert history(sundsvall.case, "indicator_value.corrected")[0].data["value"] == "6"


def test_board_member_may_not_enter_values(sundsvall):
    indicator = plan(sundsvall).indicators.get()

    with pytest.raises(PermissionDenied):
        services.enter_indicator_value(
            indicator, sundsvall.users["board"], period=datetime.date(2027, 1, 1), group="target", value=Decimal(1)
        )


def test_final_evaluation_is_saved_with_its_recommendation(sundsvall):
    fields = {
        "effects": "Färre placeringar",
        "process": "Familjestöd i 40 familjer",
        "costs": "Inom budget",
        "conclusion": "Implementera",
        "recommendation": "implement",
        "frame_adjustment": Decimal(500000),
    }

    evaluation = services.save_evaluation(sundsvall.case, "final", sundsvall.users["preparer"], fields=fields)

    assert Evaluation.objects.get().frame_adjustment == Decimal(500000)
    assert history(sundsvall.case, "evaluation.saved")[0].data == {
        "kind": "final",
        "recommendation": "implement",
        "submission_withdrawn": False,
    }
    assert evaluation.kind == "final"


# Ale's kommunstyrelsen and Norrköping's ansvarig nämnd decide whether the effort is implemented, in
# whole: the evaluation cannot propose a partial implementation.
@pytest.mark.parametrize("slug", ["ale", "norrkoping"])
def test_partial_implementation_proposal_refused_where_the_rule_set_has_none(new_case, slug):
    case, users = new_case(slug)
    fields = {"effects": "E", "process": "P", "costs": "K", "conclusion": "S", "recommendation": "implement_partly"}

    with pytest.raises(services.EvaluationRefusedError) as refusal:
        services.save_evaluation(case, "final", users["applicant"], fields=fields)

    assert (str(refusal.value), refusal.value.field) == (
        "Regelverket medger inte delvis implementering: föreslå att implementera eller att inte implementera.",
        "recommendation",
    )
    assert not Evaluation.objects.exists()
    assert history(case, "evaluation.saved") == []


def test_unit_cost_change_is_recorded_and_refused_for_others(sundsvall):
    controller = sundsvall.users["controller"]
    fields = {"name": "Dygn i HVB", "unit": "dygn", "amount": Decimal(4800), "price_year": 2027, "source": "Kolada"}

    services.save_unit_cost(sundsvall.case.municipality, controller, fields=fields, unit_cost=sundsvall.unit_cost)

    entry = AuditEntry.objects.for_object(sundsvall.case.municipality).get(action="unit_cost.saved")
    assert (entry.data["from"], entry.data["to"]) == ("4500", "4800")
    with pytest.raises(PermissionDenied):
        services.save_unit_cost(sundsvall.case.municipality, sundsvall.users["applicant"], fields=fields)


def test_unit_cost_of_another_municipality_cannot_be_changed(sundsvall, people):
    ystad_controller = people("ystad")["controller"]

    with pytest.raises(PermissionDenied):
        services.save_unit_cost(
            ystad_controller.municipality,
            ystad_controller,
            fields={"amount": Decimal(1)},
            unit_cost=sundsvall.unit_cost,
        )


def test_seeding_unit_costs_is_idempotent(sundsvall):
    municipality = sundsvall.case.municipality
    UnitCost.objects.all().delete()

    created = services.seed_unit_costs(municipality, year=2026)
    again = services.seed_unit_costs(municipality, year=2026)

    assert len(created) == len(services.SEED_UNIT_COSTS)
    assert again == []


def test_a_system_admin_counts_as_fund_staff(sundsvall):
    admin = UserFactory(municipality=None, is_superuser=True, roles=[Role.PREPARER])

    assert (
        services.save_calculation(sundsvall.case, "decided", admin, **calculation_fields(sundsvall.unit_cost)).number
        == 1
    )
