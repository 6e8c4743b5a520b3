"""The project start's steps are done by recording what they ask for: Ale's evaluation plan and
payout plan by the applicants, the plan's approval by the steering group; then the project starts.
The payout plan and its approval are recorded once, in the money panel: their steps follow them,
even when they were made before the start began, and are never registered by the step form."""

import datetime

import pytest

from applications.enums import CaseState, StepStatus
from applications.models import Case
from applications.selectors import may_complete_step
from applications.services import TransitionRefusedError
from applications.services.lifecycle import run_transition
from applications.services.steps import complete_step
from audit.models import AuditEntry
from demo.walk import walk_to
from evaluation.services import save_measurement_plan
from funds import services as funds
from reporting import selectors, services

from .conftest import STOCKHOLM


def start_steps(case):
    return {step.key: step.status for step in Case.objects.get(pk=case.pk).current_steps("start")}


def start_step(case, key):
    return next(step for step in Case.objects.get(pk=case.pk).current_steps("start") if step.key == key)


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
    headings = selectors.plan_headings(case)

    services.save_project_plan(case, users["applicant"], ["Text."] * len(headings))

    assert start_steps(case)["project_plan"] == StepStatus.DONE


def test_payout_plan_approved_before_the_start_completes_its_steps_when_the_start_begins(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    case = walk_to(case, CaseState.GRANTED, users)
    applicant, preparer = users["applicant"], users["preparer"]
    funds.save_payout_plan(case, applicant, description="400 000 kr i mars varje år.")
    funds.approve_payout_plan(case, preparer)

    time_machine.move_to(datetime.datetime(2026, 10, 1, 10, tzinfo=STOCKHOLM))
    case = run_transition(Case.objects.get(pk=case.pk), "begin_start", applicant)

    assert start_steps(case) == {
        "evaluation_plan": StepStatus.PENDING,
        "payout_plan": StepStatus.DONE,
        "payout_plan_approved": StepStatus.DONE,
    }
    written, approved = start_step(case, "payout_plan"), start_step(case, "payout_plan_approved")
    assert (written.done_by, written.comment) == (applicant, "Utbetalningsplanen upprättades 2026-09-15.")
    assert (approved.done_by, approved.comment) == (preparer, "Utbetalningsplanen godkändes 2026-09-15.")
    # The history tells the start first, then the steps it found done.
    actions = list(
        AuditEntry.objects.for_object(case).filter(action__in=["case.begin_start", "case.step"]).order_by("id")
    )
    assert [entry.action for entry in actions[-3:]] == ["case.begin_start", "case.step", "case.step"]
    assert [entry.actor for entry in actions[-2:]] == [applicant, preparer]


def test_payout_plan_approval_is_not_held_back_by_the_evaluation_plan(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    case = walk_to(case, CaseState.STARTING, users)
    funds.save_payout_plan(case, users["applicant"], description="400 000 kr i mars varje år.")

    funds.approve_payout_plan(case, users["preparer"])

    assert start_steps(case) == {
        "evaluation_plan": StepStatus.PENDING,
        "payout_plan": StepStatus.DONE,
        "payout_plan_approved": StepStatus.DONE,
    }


@pytest.mark.parametrize(
    ("key", "role", "where"),
    [
        (
            "payout_plan",
            "applicant",
            "Görs när de sökande sparar utbetalningsplanen under Fondmedel och återbetalning.",
        ),
        ("payout_plan_approved", "preparer", "Görs när utbetalningsplanen godkänns under Fondmedel och återbetalning."),
    ],
)
def test_payout_plan_steps_are_not_registered_by_the_step_form(new_case, time_machine, key, role, where):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ale")
    case = walk_to(case, CaseState.STARTING, users)
    step = start_step(case, key)

    assert may_complete_step(step, users[role]) == (False, where)
    with pytest.raises(TransitionRefusedError, match=where):
        complete_step(case, step.pk, users[role], outcome="positive", comment="Godkänd.")
    assert start_step(case, key).status == StepStatus.PENDING


def test_walk_through_the_start_writes_and_approves_the_payout_plan(new_case, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 15, 10, tzinfo=STOCKHOLM))
    case, users = new_case("ale")

    case = walk_to(case, CaseState.RUNNING, users)

    assert case.payout_plan.is_approved
    assert start_steps(case) == dict.fromkeys(
        ["evaluation_plan", "payout_plan", "payout_plan_approved"], StepStatus.DONE
    )
