"""Ystad's rule set requires a measurement plan for a complete application; a structured plan with
an indicator satisfies it as well as the free text does."""

import pytest

from applications.checks import application_problems
from evaluation.services import save_measurement_plan

pytestmark = pytest.mark.django_db

FIELDS = {"goals": "Halverad frånvaro", "activities": "Närvaroteam", "comparison": "control_group"}
INDICATOR = {"name": "Frånvaro över 15 %", "kind": "effect", "baseline_value": 40}


def plan_problems(case):
    return [p for p in application_problems(case) if p.field == "measurement_plan"]


def test_ystad_application_without_any_plan_lacks_the_measurement_plan(new_case):
    case, _users = new_case("ystad")

    assert [p.message for p in plan_problems(case)] == [
        "Regelverket kräver en mätplan för att ansökan ska vara komplett."
    ]


def test_ystad_structured_plan_with_an_indicator_makes_it_complete(new_case):
    case, users = new_case("ystad")

    save_measurement_plan(case, users["applicant"], fields=FIELDS, indicators=[(None, INDICATOR, False)])

    assert plan_problems(case) == []


def test_ystad_structured_plan_without_indicators_is_not_enough(new_case):
    case, users = new_case("ystad")

    save_measurement_plan(case, users["applicant"], fields=FIELDS, indicators=[])

    assert len(plan_problems(case)) == 1


def test_heby_does_not_require_a_measurement_plan(new_case):
    case, _users = new_case("heby")

    assert plan_problems(case) == []
