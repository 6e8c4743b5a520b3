"""The project start's steps are done by recording what they ask for: Ale's evaluation plan and
payout plan by the applicants, the plan's approval by the steering group; then the project starts."""

import datetime

from applications.enums import CaseState, StepStatus
from applications.models import Case
from applications.services import run_transition
from applications.walk import walk_to
from evaluation.services import save_measurement_plan
from funds import services as funds
from reporting import services

from .conftest import STOCKHOLM


def start_steps(case):
    return {step.key: step.status for step in Case.objects.get(pk=case.pk).current_steps("start")}


def test_ale_start_steps_follow_the_plans_and_the_approval(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    case = walk_to(case, CaseState.STARTING, users)
    applicant, preparer = users["applicant"], users["preparer"]
    assert set(start_steps(case).values()) == {StepStatus.PENDING}

    save_measurement_plan(
        case,
        applicant,
        fields={"goals": "Fler i arbete", "activities": "Coachning", "comparison": "control_group"},
        indicators=[(None, {"name": "Andel i arbete", "kind": "effect", "unit": "%"}, False)],
    )
    funds.save_payout_plan(case, applicant, description="Halva beloppet i juni, resten i oktober.")
    assert start_steps(case) == {
        "evaluation_plan": StepStatus.DONE,
        "payout_plan": StepStatus.DONE,
        "payout_plan_approved": StepStatus.PENDING,
    }

    funds.approve_payout_plan(case, preparer)

    assert start_steps(case)["payout_plan_approved"] == StepStatus.DONE
    case = run_transition(Case.objects.get(pk=case.pk), "start_project", applicant)
    assert case.state == CaseState.RUNNING
    assert case.reporting_obligations.exists()


def test_project_plan_saved_at_start_completes_its_step(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("sundsvall")
    case = walk_to(case, CaseState.STARTING, users)
    headings = services.plan_headings(case)

    services.save_project_plan(case, users["applicant"], ["Text."] * len(headings))

    assert start_steps(case)["project_plan"] == StepStatus.DONE
