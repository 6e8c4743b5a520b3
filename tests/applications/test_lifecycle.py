"""The case lifecycle as each municipality's rule set lays it out: the road from first draft to
implementation, who walks each part of it, the side roads, and every way a step is refused."""

import itertools
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from applications.deadlines import add_months
from applications.enums import CaseState as S
from applications.enums import StepStatus
from applications.models import Case, CaseStep
from applications.selectors import transition_options
from applications.services import TransitionRefusedError
from applications.services.content import create_case, save_case
from applications.services.lifecycle import next_case_number, run_transition
from applications.services.signing import sign
from applications.services.steps import complete_step
from audit.models import AuditEntry
from decisions.models import DecisionKind as K
from decisions.services import lifecycle_kinds_for
from demo.walk import complete_open_steps, decide, fill_application, sign_for, walk_to
from municipalities.models import Municipality, OrganisationalUnit
from municipalities.services import RuleSetLockedError, activate_version, create_draft, update_draft
from tests.decisions.helpers import decide as decide_on
from tests.decisions.helpers import decision_refused as lifecycle_refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Inside Norrköping's autumn application window; the other rule sets have no windows.
TODAY = "2026-09-15 10:00 +02:00"

IDEA_ROAD = [S.IDEA_DRAFT, S.IDEA_SUBMITTED, S.IDEA_IN_REVIEW, S.IDEA_APPROVED]
APPLICATION_ROAD = [
    S.DRAFT,
    S.SUBMITTED,
    S.IN_PREPARATION,
    S.READY_FOR_DECISION,
    S.GRANTED,
    S.STARTING,
    S.RUNNING,
    S.FINAL_REPORT,
    S.EVALUATED,
    S.IMPLEMENTED,
]
IDEA_TRANSITIONS = [
    ("submit_idea", "applicant"),
    ("start_idea_review", "preparer"),
    ("approve_idea", "preparer"),
    ("start_application", "applicant"),
]


# Heby has no final report: the project is evaluated within the annual report, so the case goes
# from running to evaluated when its last annual report and the evaluation are in.
ANNUAL_REPORT_ROAD = [state for state in APPLICATION_ROAD if state != S.FINAL_REPORT]


def application_transitions(implemented_by, basis_by="preparer", *, final_report=True):
    return [
        ("submit", "applicant"),
        ("start_preparation", "preparer"),
        ("mark_ready_for_decision", basis_by),
        ("grant", "decision_body"),
        ("begin_start", "applicant"),
        ("start_project", "applicant"),
        *([("submit_final_report", "applicant")] if final_report else []),
        ("evaluate", "preparer"),
        ("implement", implemented_by),
    ]


MAIN_ROAD = {
    # Heby: kommunledningsgruppen prepares the basis for KS and reports the case ready (seed 000, § 4);
    # it has no final report: the project is evaluated within the annual report.
    "heby": (ANNUAL_REPORT_ROAD, application_transitions("decision_body", basis_by="management", final_report=False)),
    # Ale: förvaltningsledningen proposes the implementation, kommunstyrelsen decides it (the
    # guideline names nobody; the rule set applies its Beslutsordning, seed 001).
    "ale": (IDEA_ROAD + APPLICATION_ROAD, IDEA_TRANSITIONS + application_transitions("decision_body")),
    # Sundsvall: ledningsgruppen proposes the scale-up, kommunfullmäktige decides it (seed 002, 7).
    "sundsvall": (IDEA_ROAD + APPLICATION_ROAD, IDEA_TRANSITIONS + application_transitions("council")),
    "ystad": (IDEA_ROAD + APPLICATION_ROAD, IDEA_TRANSITIONS + application_transitions("board")),
    "norrkoping": (APPLICATION_ROAD, application_transitions("board")),
}


@pytest.fixture
def today(time_machine):
    time_machine.move_to(TODAY)


def transitions_in_history(case, users):
    """(transition, from, to, role of the person) for each change of the case's state in the
    history (a report's own changes of status are left out). A colleague of one of ``users`` (the
    representative of another nämnd) counts by the one role they hold."""
    roles = {user.pk: role for role, user in users.items()}
    entries = [
        entry
        for entry in AuditEntry.objects.for_object(case).select_related("actor").order_by("id")
        if entry.from_state and entry.action.startswith("case.")
    ]
    for entry in entries:
        if entry.actor_id not in roles:
            (roles[entry.actor_id],) = entry.actor.role_assignments.values_list("role", flat=True)
    return [
        (entry.action.removeprefix("case."), entry.from_state, entry.to_state, roles[entry.actor_id])
        for entry in entries
    ]


def history_count(case):
    return AuditEntry.objects.for_object(case).count()


def refused(case, name, user, **kwargs):
    """Run a transition that must be refused; return the reason, having checked that nothing changed."""
    before = (case.state, history_count(case), Case.objects.filter(pk=case.pk).values().get())
    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, name, user, reason=kwargs.pop("reason", "Motivering."), **kwargs)
    case.refresh_from_db()
    assert (case.state, history_count(case), Case.objects.filter(pk=case.pk).values().get()) == before
    return str(refusal.value)


def decision_refused(case, user, *, grant=True, reason="Motivering."):
    """Decide a case where the decision must be refused; return the reason, having checked that
    nothing changed."""
    before = (case.state, history_count(case), Case.objects.filter(pk=case.pk).values().get())
    with pytest.raises(TransitionRefusedError) as refusal:
        decide(case, user, grant=grant, reason=reason)
    case.refresh_from_db()
    assert (case.state, history_count(case), Case.objects.filter(pk=case.pk).values().get()) == before
    assert not case.decision_lines.exists()
    return str(refusal.value)


def step_refused(case, case_step, user, outcome="positive"):
    """Complete a step where it must be refused; return the reason, having checked that nothing changed."""
    before = (history_count(case), CaseStep.objects.filter(pk=case_step.pk).values().get())
    with pytest.raises(TransitionRefusedError) as refusal:
        complete_step(case, case_step.pk, user, outcome=outcome)
    assert (history_count(case), CaseStep.objects.filter(pk=case_step.pk).values().get()) == before
    return str(refusal.value)


def steps_of(case, stage):
    return [
        (step.group, step.key, step.actor_role, step.unit.name if step.unit else None, step.status)
        for step in Case.objects.get(pk=case.pk).current_steps(stage)
    ]


def step(case, stage, key, unit=None):
    return next(
        s
        for s in Case.objects.get(pk=case.pk).current_steps(stage)
        if s.key == key and (unit is None or s.unit.name == unit)
    )


def complete(case, stage, key, user, outcome="positive", unit=None):
    return complete_step(case, step(case, stage, key, unit).pk, user, outcome=outcome)


# ---- The main road ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(MAIN_ROAD))
def test_walk_to_implementation_by_the_roles_the_rule_set_names(new_case, today, slug):
    case, users = new_case(slug)
    visited = [case.state]

    case = walk_to(case, S.IMPLEMENTED, users, visited=visited)

    states, transitions = MAIN_ROAD[slug]
    assert visited == states
    assert case.state == S.IMPLEMENTED
    expected = [
        (name, from_state, to_state, role)
        for (name, role), (from_state, to_state) in zip(transitions, itertools.pairwise(states), strict=True)
    ]
    assert transitions_in_history(case, users) == expected


@pytest.mark.parametrize("slug", ["heby", "norrkoping"])
def test_create_case_without_idea_stage_starts_as_draft(new_case, slug):
    case, users = new_case(slug)

    assert (case.state, case.number, case.ruleset_version.status) == (S.DRAFT, "", "active")
    assert transitions_in_history(case, users) == []


@pytest.mark.parametrize("slug", ["ale", "sundsvall", "ystad"])
def test_create_case_with_idea_stage_starts_as_idea_draft(new_case, slug):
    case, _ = new_case(slug)

    assert (case.state, case.number) == (S.IDEA_DRAFT, "")


# ---- Stages a rule set does not use ---------------------------------------------------------------


@pytest.mark.parametrize("slug", ["heby", "norrkoping"])
def test_submit_idea_without_idea_stage_refused(new_case, slug):
    case, users = new_case(slug)

    reason = refused(case, "submit_idea", users["applicant"])

    assert reason == "Åtgärden ”Lämna in idén” går inte när ansökan är ett utkast."
    assert case.state == S.DRAFT


@pytest.mark.parametrize("slug", ["heby", "ale", "norrkoping"])
def test_propose_abort_without_abort_stage_refused(new_case, today, slug):
    case, users = new_case(slug)
    case = walk_to(case, S.RUNNING, users)

    reasons = {role: refused(case, "propose_abort", user) for role, user in users.items()}

    assert set(reasons.values()) == {"Regelverket har inget steg för avbrott."}
    assert case.state == S.RUNNING


def test_propose_abort_by_project_owners_in_ystad_granted(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.RUNNING, users)

    case = run_transition(case, "propose_abort", users["applicant"], reason="Metoden går inte att genomföra.")

    assert case.state == S.ABORT_PROPOSED
    assert transitions_in_history(case, users)[-1] == ("propose_abort", S.RUNNING, S.ABORT_PROPOSED, "applicant")


def test_propose_abort_in_sundsvall_refused_as_ledningsgruppen_decides_directly(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    reasons = {role: refused(case, "propose_abort", user) for role, user in users.items()}

    assert set(reasons.values()) == {"Regelverket använder inte det här steget."}
    assert case.state == S.RUNNING


@pytest.mark.parametrize("slug", ["heby", "ystad", "norrkoping"])
def test_extend_without_extension_stage_refused(new_case, today, slug):
    case, users = new_case(slug)
    case = walk_to(case, S.RUNNING, users)
    new_end = add_months(case.period_end, 6)

    reasons = {role: str(lifecycle_refused(case, K.EXTEND, user, new_end=new_end)) for role, user in users.items()}

    assert set(reasons.values()) == {"Regelverket medger inte förlängning."}
    assert (case.state, case.extended_end) == (S.RUNNING, None)


@pytest.mark.parametrize("slug", ["ale", "sundsvall"])
def test_extend_with_extension_stage_by_decision_body_granted(new_case, today, slug):
    case, users = new_case(slug)
    case = walk_to(case, S.RUNNING, users)
    new_end = add_months(case.period_end, 6)

    case, _decision = decide_on(case, K.EXTEND, users["decision_body"], reason="Omprövad.", new_end=new_end)

    assert (case.state, case.extended_end, case.end_date) == (S.EXTENDED, new_end, new_end)


def test_extend_by_bare_transition_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    reason = refused(case, "extend", users["decision_body"], new_end=add_months(case.period_end, 6))

    assert reason == (
        "”Förläng projektet” sker genom ett protokollfört beslut med sammanträdesdag, paragraf och motivering."
    )


@pytest.mark.parametrize(
    ("slug", "implementer"), [("heby", "decision_body"), ("ale", "decision_body"), ("norrkoping", "board")]
)
def test_implement_partly_not_allowed_refused(new_case, today, slug, implementer):
    case, users = new_case(slug)
    case = walk_to(case, S.EVALUATED, users)

    refusal = lifecycle_refused(case, K.IMPLEMENT_PARTLY, users[implementer])

    assert (str(refusal), refusal.field) == ("Regelverket medger inte delvis implementering.", "kind")
    assert case.state == S.EVALUATED


@pytest.mark.parametrize(("slug", "implementer"), [("sundsvall", "council"), ("ystad", "board")])
def test_implement_partly_allowed_granted(new_case, today, slug, implementer):
    case, users = new_case(slug)
    case = complete_open_steps(walk_to(case, S.EVALUATED, users), users)

    case, _decision = decide_on(case, K.IMPLEMENT_PARTLY, users[implementer], reason="De lyckade delarna permanentas.")

    assert case.state == S.PARTLY_IMPLEMENTED
    assert transitions_in_history(case, users)[-1] == (
        "implement_partly",
        S.EVALUATED,
        S.PARTLY_IMPLEMENTED,
        implementer,
    )


# ---- Refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["grant", "reject"])
def test_grant_or_reject_without_a_decision_refused_even_for_the_decision_body(new_case, name):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)

    reason = refused(case, name, users["decision_body"])

    assert reason == "Ärendet beviljas eller avslås bara genom beslutsorganets protokollförda beslut."
    assert not case.decision_lines.exists()


def test_grant_by_applicant_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)

    reason = decision_refused(case, users["applicant"])

    assert reason == "Bara Kommunstyrelsen kan fatta beslutet."
    assert case.state == S.READY_FOR_DECISION


def test_grant_by_every_other_role_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    others = ["applicant", "preparer", "management", "board", "controller", "municipal_admin"]

    reasons = {role: decision_refused(case, users[role]) for role in others}

    assert reasons == dict.fromkeys(others, "Bara Kommunstyrelsen kan fatta beslutet.")


def test_grant_by_decision_body_of_another_municipality_refused(new_case, people):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    other = people("ale")

    reason = decision_refused(case, other["decision_body"])

    assert reason == "Bara Kommunstyrelsen kan fatta beslutet."
    assert case.state == S.READY_FOR_DECISION


def test_submit_by_applicant_of_another_municipality_refused(new_case, people):
    case, users = new_case("heby")
    fill_application(case, users["applicant"])
    other = people("sundsvall")

    reason = refused(case, "submit", other["applicant"])

    assert reason == "Bara sökande som deltar i ärendet kan göra detta."
    assert (case.state, case.number) == (S.DRAFT, "")


def test_submit_by_applicant_not_taking_part_refused(new_case):
    case, users = new_case("heby")
    fill_application(case, users["applicant"])
    outsider = UserFactory(municipality=case.municipality, roles=["applicant"])

    reason = refused(case, "submit", outsider)

    assert reason == "Bara sökande som deltar i ärendet kan göra detta."


def test_decision_on_a_draft_refused(new_case):
    case, users = new_case("heby")

    reason = decision_refused(case, users["decision_body"], grant=False)

    assert reason == "Åtgärden ”Avslå” går inte när ansökan är ett utkast."


def test_mark_ready_for_decision_from_submitted_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)

    reason = refused(case, "mark_ready_for_decision", users["preparer"])

    assert reason == "Åtgärden ”Klar för beslut” går inte när ansökan är inlämnad."


def test_unknown_transition_refused(new_case):
    case, users = new_case("heby")

    reason = refused(case, "publish", users["applicant"])

    assert reason == "Okänd åtgärd."


def test_grant_without_reason_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)

    reason = decision_refused(case, users["decision_body"], reason="  ")

    assert reason == "Skriv beslutets motivering."


def test_return_without_reason_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)

    reason = refused(case, "return_for_completion", users["preparer"], reason="  ")

    assert reason == "Skriv en motivering."


def test_transition_when_state_changed_since_seen_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)

    reason = refused(case, "return_for_completion", users["preparer"], expected_state=S.IN_PREPARATION)

    assert reason == (
        "Ärendet har ändrats av någon annan (status nu: ”klar för beslut”). Ladda om sidan och försök igen."
    )


def test_submit_with_missing_sections_refused(new_case):
    case, users = new_case("heby")
    case = fill_application(case, users["applicant"])
    sections = {**case.sections, "metod": "", "malgrupp": "  "}
    save_case(case, users["applicant"], fields={"sections": sections})

    reason = refused(case, "submit", users["applicant"])

    assert reason == (
        "Det saknas eller är fel i 2 fält: Metod och referenser till forskning eller evidensbaserad praktik – "
        "avsnittet måste fyllas i; Målgrupp för investeringen – avsnittet måste fyllas i."
    )
    assert (case.state, case.number, case.submitted_at) == (S.DRAFT, "", None)


def test_submit_with_nothing_filled_in_refused(new_case):
    case, users = new_case("heby")

    reason = refused(case, "submit", users["applicant"])

    assert reason == (
        "Det saknas eller är fel i 18 fält: Ange när insatsen startar; Ange när insatsen slutar; "
        "Beskrivning av investeringens innehåll – avsnittet måste fyllas i (och 15 till)."
    )


def test_submit_outside_application_window_refused(new_case, time_machine):
    time_machine.move_to("2026-08-15 10:00 +02:00")
    case, users = new_case("norrkoping")
    fill_application(case, users["applicant"])
    sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")

    reason = refused(case, "submit", users["applicant"])

    assert reason == (
        "Det saknas eller är fel i 1 fält: Ansökan kan bara lämnas in under ansökningsperioderna: "
        "Vårens ansökningsperiod (02-01–03-31), Höstens ansökningsperiod (09-01–10-31)."
    )


def test_refused_transition_returns_case_unchanged_for_retry(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    decision_refused(case, users["applicant"])

    decide(case, users["decision_body"], reason="Enligt beredningen.")

    case.refresh_from_db()
    assert case.state == S.GRANTED
    assert transitions_in_history(case, users)[-1] == ("grant", S.READY_FOR_DECISION, S.GRANTED, "decision_body")


# ---- What each person is offered ----------------------------------------------------------------------


def options(case, user):
    return [(option.details.name, option.allowed, option.reason) for option in transition_options(case, user)]


def test_options_for_preparer_with_steps_left_say_which(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)

    assert options(case, users["preparer"]) == [("return_for_completion", True, "")]
    assert options(case, users["management"]) == [
        (
            "mark_ready_for_decision",
            False,
            "Steg som återstår: Styrgruppen för barn och unga bereder (Styrgruppen för barn och unga); "
            "Kommunledningsgruppen bereder underlag till kommunstyrelsen (Kommunledningsgruppen).",
        ),
    ]


def test_options_for_applicant_of_incomplete_draft(new_case):
    case, users = new_case("heby")
    case = save_case(case, users["applicant"], fields={"sections": {"innehall": "Tidiga insatser"}})

    assert options(case, users["applicant"]) == [
        (
            "submit",
            False,
            "Det saknas eller är fel i 17 fält: Ange när insatsen startar; Ange när insatsen slutar; "
            "Metod och referenser till forskning eller evidensbaserad praktik – avsnittet måste fyllas i "
            "(och 14 till).",
        ),
        ("withdraw", True, ""),
    ]


def test_options_for_decision_body_leave_out_stages_the_rule_set_lacks(new_case, today):
    heby_case, heby = new_case("heby")
    sundsvall_case, sundsvall = new_case("sundsvall")

    running = (walk_to(heby_case, S.RUNNING, heby), walk_to(sundsvall_case, S.RUNNING, sundsvall))

    assert (options(running[0], heby["decision_body"]), options(running[1], sundsvall["decision_body"])) == ([], [])
    assert (
        lifecycle_kinds_for(running[0], heby["decision_body"]),
        [kind for kind, _label in lifecycle_kinds_for(running[1], sundsvall["decision_body"])],
    ) == ([], [K.ABORT, K.EXTEND, K.DESIGN_CHANGE])


def test_options_at_ready_for_decision_offer_no_bare_grant_or_reject(new_case):
    # The decision body decides through the decision form (meeting, §, amounts), not a button.
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)

    assert (options(case, users["decision_body"]), options(case, users["preparer"])) == ([], [])


# ---- Side roads ---------------------------------------------------------------------------------------


def test_return_for_completion_then_resubmit_then_prepare_again(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    number = case.number

    case = run_transition(case, "return_for_completion", users["preparer"], reason="Kalkylen saknas.")
    returned = case.state
    case = run_transition(case, "resubmit", users["applicant"])
    resubmitted = case.state
    case = run_transition(case, "start_preparation", users["preparer"])

    assert (returned, resubmitted, case.state) == (S.RETURNED, S.RESUBMITTED, S.IN_PREPARATION)
    assert case.number == number
    assert transitions_in_history(case, users)[-3:] == [
        ("return_for_completion", S.IN_PREPARATION, S.RETURNED, "preparer"),
        ("resubmit", S.RETURNED, S.RESUBMITTED, "applicant"),
        ("start_preparation", S.RESUBMITTED, S.IN_PREPARATION, "preparer"),
    ]
    entry = AuditEntry.objects.for_object(case).get(action="case.return_for_completion")
    assert entry.reason == "Kalkylen saknas."


def test_returned_application_is_editable_and_resubmit_checks_it_again(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.RETURNED, users)
    save_case(case, users["applicant"], fields={"sections": {**case.sections, "malgrupp": ""}})

    reason = refused(case, "resubmit", users["applicant"])

    assert reason == "Det saknas eller är fel i 1 fält: Målgrupp för investeringen – avsnittet måste fyllas i."
    assert case.state == S.RETURNED


def test_return_for_completion_by_applicant_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)

    reason = refused(case, "return_for_completion", users["applicant"])

    assert reason == "Bara Styrgruppen för barn och unga kan göra detta."


def test_reject_by_decision_body_closes_case(new_case):
    case, users = new_case("heby")

    case = walk_to(case, S.REJECTED, users)

    assert case.state == S.REJECTED
    assert transitions_in_history(case, users)[-1] == ("reject", S.READY_FOR_DECISION, S.REJECTED, "decision_body")
    assert refused(case, "begin_start", users["applicant"]) == (
        "Åtgärden ”Påbörja projektstart” går inte när ärendet är avslaget."
    )


def test_reject_idea_by_preparer_closes_case(new_case):
    case, users = new_case("ale")

    case = walk_to(case, S.IDEA_REJECTED, users)

    assert transitions_in_history(case, users)[-1] == ("reject_idea", S.IDEA_IN_REVIEW, S.IDEA_REJECTED, "preparer")
    assert refused(case, "start_application", users["applicant"]) == (
        "Åtgärden ”Skriv ansökan” går inte när idén är avslagen."
    )


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.IN_PREPARATION, S.READY_FOR_DECISION])
def test_withdraw_by_applicant_from_open_state(new_case, state):
    case, users = new_case("heby")
    case = walk_to(case, state, users)

    case = run_transition(case, "withdraw", users["applicant"], reason="Vi söker andra medel.")

    assert case.state == S.WITHDRAWN
    assert transitions_in_history(case, users)[-1] == ("withdraw", state, S.WITHDRAWN, "applicant")


def test_withdraw_idea_by_applicant(new_case):
    case, users = new_case("ystad")

    case = run_transition(case, "withdraw", users["applicant"], reason="Idén drivs inte vidare.")

    assert transitions_in_history(case, users) == [("withdraw", S.IDEA_DRAFT, S.WITHDRAWN, "applicant")]


def test_withdraw_by_preparer_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)

    reason = refused(case, "withdraw", users["preparer"])

    assert reason == "Bara Förvaltningarna kan göra detta."


def test_withdraw_after_grant_refused(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.GRANTED, users)

    reason = refused(case, "withdraw", users["applicant"])

    assert reason == "Åtgärden ”Återta ärendet” går inte när ärendet är beviljat."


def test_extend_moves_end_date_and_records_it(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)
    planned_end = case.period_end
    new_end = add_months(planned_end, 6)

    case, decision = decide_on(case, K.EXTEND, users["decision_body"], reason="Fler deltagare.", new_end=new_end)

    assert (case.state, case.period_end, case.extended_end, case.end_date) == (
        S.EXTENDED,
        planned_end,
        new_end,
        new_end,
    )
    entry = AuditEntry.objects.for_object(case).get(action="case.extend")
    assert (entry.from_state, entry.to_state, entry.data, entry.reason) == (
        S.RUNNING,
        S.EXTENDED,
        {"new_end": new_end.isoformat(), "decision": str(decision)},
        f"{decision}: Fler deltagare.",
    )
    assert decision.new_end == new_end


def test_extend_to_a_date_not_after_the_end_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = lifecycle_refused(case, K.EXTEND, users["decision_body"], new_end=case.period_end)

    assert (str(refusal), refusal.field) == (
        f"Det nya slutdatumet måste vara efter {case.period_end.isoformat()}.",
        "new_end",
    )
    assert case.extended_end is None


def test_extend_without_new_end_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = lifecycle_refused(case, K.EXTEND, users["decision_body"])

    assert (str(refusal), refusal.field) == ("Ange det nya slutdatumet.", "new_end")


def test_extend_twice_second_must_be_after_first_extension(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)
    first = add_months(case.period_end, 6)
    case, _first = decide_on(case, K.EXTEND, users["decision_body"], reason="Första.", new_end=first)

    reason = str(lifecycle_refused(case, K.EXTEND, users["decision_body"], new_end=add_months(case.period_end, 3)))
    case, _second = decide_on(case, K.EXTEND, users["decision_body"], reason="Andra.", new_end=add_months(first, 6))

    assert reason == f"Det nya slutdatumet måste vara efter {first.isoformat()}."
    assert (case.state, case.extended_end) == (S.EXTENDED, add_months(first, 6))


def test_extend_by_applicant_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    reason = str(lifecycle_refused(case, K.EXTEND, users["applicant"], new_end=add_months(case.period_end, 6)))

    assert reason == "Bara Ledningsgruppen kan fatta beslutet."


def test_abort_in_ystad_assessed_by_management_then_decided_by_decision_body(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.RUNNING, users)
    case = run_transition(case, "propose_abort", users["applicant"], reason="Målgruppen har förändrats.")
    assessment = step(case, "abort", "abort_assessment")

    early = lifecycle_refused(case, K.ABORT, users["decision_body"])
    complete_step(case, assessment.pk, users["management"], outcome="positive", comment="Avbryt.")
    case, _decision = decide_on(case, K.ABORT, users["decision_body"], reason="Enligt bedömningen.")

    assert (str(early), early.field) == (
        "Steg som återstår: Bedömning av förslaget om avbrott (Kommunledningsgruppen (KLG)).",
        "kind",
    )
    assert case.state == S.ABORTED
    assert steps_of(case, "abort") == [(1, "abort_assessment", "management", None, StepStatus.DONE)]
    assert transitions_in_history(case, users)[-2:] == [
        ("propose_abort", S.RUNNING, S.ABORT_PROPOSED, "applicant"),
        ("abort", S.ABORT_PROPOSED, S.ABORTED, "decision_body"),
    ]


def test_abort_assessment_by_decision_body_refused(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    assessment = step(case, "abort", "abort_assessment")

    reason = step_refused(case, assessment, users["decision_body"])

    assert reason == "Bara Kommunledningsgruppen (KLG) kan göra detta steg."


def test_abort_by_management_refused(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    complete(case, "abort", "abort_assessment", users["management"], "positive")

    reason = str(lifecycle_refused(case, K.ABORT, users["management"]))

    assert reason == "Bara Kommunstyrelsen kan fatta beslutet."


def test_continue_project_after_abort_proposal_returns_to_running(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    complete(case, "abort", "abort_assessment", users["management"], "negative")

    case, _decision = decide_on(case, K.CONTINUE, users["decision_body"], reason="Satsningen fortsätter.")

    assert case.state == S.RUNNING
    assert transitions_in_history(case, users)[-1] == (
        "continue_project",
        S.ABORT_PROPOSED,
        S.RUNNING,
        "decision_body",
    )


def test_abort_in_sundsvall_decided_by_ledningsgruppen_while_running(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    case, _decision = decide_on(case, K.ABORT, users["decision_body"], reason="Inte enligt plan.")

    assert case.state == S.ABORTED
    assert steps_of(case, "abort") == []
    assert transitions_in_history(case, users)[-1] == ("abort", S.RUNNING, S.ABORTED, "decision_body")


def test_abort_in_ystad_while_running_without_proposal_refused(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.RUNNING, users)

    refusal = lifecycle_refused(case, K.ABORT, users["decision_body"])

    assert (str(refusal), refusal.field) == (
        "Först ett förslag om avbrott från Sökande verksamheter och projektägare (berörda förvaltningschefer).",
        "kind",
    )


# ---- Steps --------------------------------------------------------------------------------------------


def test_idea_review_creates_the_rule_sets_idea_steps(new_case):
    case, users = new_case("ystad")

    case = walk_to(case, S.IDEA_IN_REVIEW, users)

    assert steps_of(case, "idea") == [
        (1, "processgruppen_bedomer", "preparer", None, StepStatus.PENDING),
        (2, "klg_tar_stallning", "management", None, StepStatus.PENDING),
        (3, "namnder_informeras", "board", "Barn- och utbildningsnämnden", StepStatus.PENDING),
    ]


def test_idea_steps_not_created_before_review_begins(new_case):
    case, users = new_case("ystad")

    case = walk_to(case, S.IDEA_SUBMITTED, users)

    assert list(case.steps.all()) == []


def ystad_application_of_two_namnder(new_case, *, also_list_applicant_unit=False):
    """A Ystad case applied for by Elevhälsan (under Barn- och utbildningsnämnden) together with
    Individ- och familjeomsorgen (under Socialnämnden), submitted and in preparation."""
    case, users = new_case("ystad")
    case = walk_to(case, S.DRAFT, users)
    fill_application(case, users["applicant"])
    elevhalsan = OrganisationalUnit.objects.get(municipality=case.municipality, name="Elevhälsan")
    ifo = OrganisationalUnit.objects.get(municipality=case.municipality, name="Individ- och familjeomsorgen")
    units = [elevhalsan, ifo] if also_list_applicant_unit else [ifo]
    save_case(case, users["applicant"], fields={"applicant_unit": elevhalsan}, units=units)
    case = run_transition(case, "submit", users["applicant"])
    case = run_transition(case, "start_preparation", users["preparer"])
    return case, users


@pytest.mark.parametrize("also_list_applicant_unit", [False, True])
def test_ystad_preparation_creates_steps_per_namnd_and_per_unit(new_case, today, also_list_applicant_unit):
    case, _ = ystad_application_of_two_namnder(new_case, also_list_applicant_unit=also_list_applicant_unit)

    assert steps_of(case, "preparation") == [
        (1, "processgruppen_kontrollerar", "preparer", None, StepStatus.PENDING),
        (2, "klg_hanterar", "management", None, StepStatus.PENDING),
        (3, "namnder_synpunkter", "board", "Barn- och utbildningsnämnden", StepStatus.PENDING),
        (3, "namnder_synpunkter", "board", "Socialnämnden", StepStatus.PENDING),
        # Ystad (seed 003, Steg 3): the förvaltningschefer of the affected förvaltningar sign,
        # one step per förvaltning, not per verksamhet or nämnd.
        (4, "underskrift", "applicant", "Barn- och utbildningsförvaltningen", StepStatus.PENDING),
        (4, "underskrift", "applicant", "Socialförvaltningen", StepStatus.PENDING),
        (5, "klg_godkanner", "management", None, StepStatus.PENDING),
    ]


def test_step_of_later_group_before_earlier_refused(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)

    reason = step_refused(case, step(case, "preparation", "klg_hanterar"), users["management"])

    assert reason == "Först: Processgruppen kontrollerar att ansökan är komplett."


def test_step_of_later_group_after_earlier_done(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)
    complete(case, "preparation", "processgruppen_kontrollerar", users["preparer"], "positive")

    done = complete_step(
        case, step(case, "preparation", "klg_hanterar").pk, users["management"], outcome="positive", comment="Ok."
    )

    assert (done.status, done.outcome, done.done_by, done.comment) == (
        StepStatus.DONE,
        "positive",
        users["management"],
        "Ok.",
    )
    entry = AuditEntry.objects.for_object(case).filter(action="case.step").order_by("id").last()
    assert (entry.actor, entry.data) == (
        users["management"],
        {
            "step": "Kommunledningsgruppen hanterar ansökan",
            "outcome": "positive",
            "stage": "preparation",
            "kind": "outcome",
        },
    )


def test_step_by_wrong_role_refused(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)

    reason = step_refused(case, step(case, "preparation", "processgruppen_kontrollerar"), users["management"])

    assert reason == "Bara Processgruppen kan göra detta steg."


def test_step_by_user_of_another_municipality_refused(new_case, people, today):
    case, _ = ystad_application_of_two_namnder(new_case)
    other = people("heby")

    reason = step_refused(case, step(case, "preparation", "processgruppen_kontrollerar"), other["preparer"])

    assert reason == "Bara Processgruppen kan göra detta steg."


def test_step_done_twice_refused(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)
    first = step(case, "preparation", "processgruppen_kontrollerar")
    complete_step(case, first.pk, users["preparer"], outcome="positive")

    reason = step_refused(case, first, users["preparer"])

    assert reason == "Steget är redan gjort."


def test_step_without_outcome_refused(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)

    reason = step_refused(case, step(case, "preparation", "processgruppen_kontrollerar"), users["preparer"], "maybe")

    assert reason == "Välj ett utfall."


def test_unit_step_signed_by_head_of_another_unit_refused(new_case, today):
    case, users = ystad_application_of_two_namnder(new_case)
    for key, role in [("processgruppen_kontrollerar", "preparer"), ("klg_hanterar", "management")]:
        complete_step(case, step(case, "preparation", key).pk, users[role], outcome="positive")
    for namnd in ["Barn- och utbildningsnämnden", "Socialnämnden"]:
        representative = case.municipality.members.get(role_assignments__role="board", unit__name=namnd)
        complete(case, "preparation", "namnder_synpunkter", representative, "positive", unit=namnd)
    social = OrganisationalUnit.objects.get(municipality=case.municipality, name="Socialförvaltningen")
    ifo_colleague = case.municipality.members.get(unit__name="Individ- och familjeomsorgen")

    reason = step_refused(
        case, step(case, "preparation", "underskrift", "Barn- och utbildningsförvaltningen"), social.head
    )
    colleague_reason = step_refused(
        case, step(case, "preparation", "underskrift", "Socialförvaltningen"), ifo_colleague
    )
    sign(case, f"unit:{social.pk}", social.head)
    signed = step(case, "preparation", "underskrift", "Socialförvaltningen")

    assert reason == "Steget görs av den utsedda chefen för Barn- och utbildningsförvaltningen eller en ersättare."
    assert colleague_reason == "Steget görs av den utsedda chefen för Socialförvaltningen eller en ersättare."
    assert signed.status == StepStatus.DONE


def test_step_of_stage_not_in_progress_refused(new_case, today):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    pending = step(case, "preparation", "styrgruppen_bereder")
    case = run_transition(case, "return_for_completion", users["preparer"], reason="Komplettera.")

    reason = step_refused(case, pending, users["preparer"])

    assert reason == "Steget kan inte göras när ansökan är åter för komplettering."


def test_mark_ready_for_decision_with_steps_pending_refused(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.IN_PREPARATION, users)

    reason = refused(case, "mark_ready_for_decision", users["preparer"])

    assert reason == (
        "Steg som återstår: Kontroll av grundläggande kriterier och komplettering "
        "(Tjänstepersonsgruppen på kommunstyrelsens kontor); Kommunövergripande perspektiv i tjänsteskrivelsen "
        "(Tjänstepersonsgruppen på kommunstyrelsens kontor)."
    )


def test_declined_gate_blocks_approve_idea(new_case):
    case, users = new_case("ale")
    case = walk_to(case, S.IDEA_IN_REVIEW, users)
    gate = step(case, "idea", "styrgruppen_granskar_iden")
    complete_step(case, gate.pk, users["preparer"], outcome="negative", comment="Passar inte kriterierna.")

    reason = refused(case, "approve_idea", users["preparer"])
    case = run_transition(case, "reject_idea", users["preparer"], reason="Passar inte kriterierna.")

    assert reason == "Ett steg som måste sluta positivt blev nej: Styrgruppen för TSI granskar idéprövningen."
    assert case.state == S.IDEA_REJECTED


def test_declined_gate_blocks_mark_ready_for_decision(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.IN_PREPARATION, users)
    complete(case, "preparation", "kontroll_av_grundkriterier", users["preparer"], "negative")
    complete(case, "preparation", "kommunovergripande_perspektiv", users["preparer"], "positive")

    reason = refused(case, "mark_ready_for_decision", users["preparer"])

    assert reason == (
        "Ett steg som måste sluta positivt blev nej: Kontroll av grundläggande kriterier och komplettering."
    )
    assert case.state == S.IN_PREPARATION


def test_declined_step_that_is_no_gate_does_not_block(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.IN_PREPARATION, users)
    complete(case, "preparation", "kontroll_av_grundkriterier", users["preparer"], "positive")
    complete(case, "preparation", "kommunovergripande_perspektiv", users["preparer"], "negative")

    case = run_transition(case, "mark_ready_for_decision", users["preparer"])

    assert case.state == S.READY_FOR_DECISION


def test_returned_and_resubmitted_application_prepared_in_a_new_round(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.IN_PREPARATION, users)
    first_round = step(case, "preparation", "kontroll_av_grundkriterier")
    complete_step(case, first_round.pk, users["preparer"], outcome="negative", comment="Kalkyl saknas.")
    case = run_transition(case, "return_for_completion", users["preparer"], reason="Kalkyl saknas.")
    case = run_transition(case, "resubmit", users["applicant"])

    case = run_transition(case, "start_preparation", users["preparer"])

    assert [(s.round, s.key, s.status) for s in case.steps.filter(stage="preparation").order_by("round", "id")] == [
        (1, "kontroll_av_grundkriterier", StepStatus.DECLINED),
        (1, "kommunovergripande_perspektiv", StepStatus.PENDING),
        (2, "kontroll_av_grundkriterier", StepStatus.PENDING),
        (2, "kommunovergripande_perspektiv", StepStatus.PENDING),
    ]
    assert steps_of(case, "preparation") == [
        (1, "kontroll_av_grundkriterier", "preparer", None, StepStatus.PENDING),
        (2, "kommunovergripande_perspektiv", "preparer", None, StepStatus.PENDING),
    ]


def test_step_of_an_earlier_round_refused(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.IN_PREPARATION, users)
    complete(case, "preparation", "kontroll_av_grundkriterier", users["preparer"], "positive")
    stale = step(case, "preparation", "kommunovergripande_perspektiv")
    case = run_transition(case, "return_for_completion", users["preparer"], reason="Komplettera.")
    case = run_transition(case, "resubmit", users["applicant"])
    case = run_transition(case, "start_preparation", users["preparer"])

    reason = step_refused(case, stale, users["preparer"])

    assert reason == "Steget hör till en tidigare omgång och behöver inte göras."


def test_start_steps_must_be_done_before_the_project_starts(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.STARTING, users)

    reason = refused(case, "start_project", users["applicant"])

    assert steps_of(case, "start") == [
        (1, "project_plan", "applicant", None, StepStatus.PENDING),
        (1, "evaluation_plan", "applicant", None, StepStatus.PENDING),
    ]
    assert reason == (
        "Steg som återstår: Projektplan upprättad (Kontor); Plan för uppföljning och utvärdering upprättad (Kontor)."
    )


# ---- Case numbers and the pinned rule set ----------------------------------------------------------


def test_first_submission_gives_case_number(new_case, today):
    case, users = new_case("heby")

    case = walk_to(case, S.SUBMITTED, users)

    assert case.number == "KS 2026/0001"
    assert Case.objects.get(pk=case.pk).number == "KS 2026/0001"


def test_case_numbers_sequential_per_municipality(new_case, people, today):
    heby_first, heby_users = new_case("heby")
    heby_second = create_case(heby_users["applicant"], title="Föräldrastöd")
    ale_first, ale_users = new_case("ale")

    numbers = [
        walk_to(heby_first, S.SUBMITTED, heby_users).number,
        walk_to(ale_first, S.IDEA_SUBMITTED, ale_users).number,
        walk_to(heby_second, S.SUBMITTED, heby_users).number,
    ]

    assert numbers == ["KS 2026/0001", "KS 2026/0001", "KS 2026/0002"]


def test_case_number_given_at_idea_submission_kept_at_application(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.IDEA_SUBMITTED, users)
    idea_number = case.number

    case = walk_to(case, S.SUBMITTED, users)

    assert (idea_number, case.number) == ("KS 2026/0001", "KS 2026/0001")


def test_case_number_sequence_restarts_each_year(new_case, time_machine):
    time_machine.move_to("2026-12-31 12:00 +01:00")
    first, users = new_case("heby")
    second = create_case(users["applicant"], title="Läxhjälp")
    first = walk_to(first, S.SUBMITTED, users)

    time_machine.move_to("2027-01-02 09:00 +01:00")
    second = walk_to(second, S.SUBMITTED, users)

    assert (first.number, second.number) == ("KS 2026/0001", "KS 2027/0001")


def test_next_case_number_unique_and_sequential(rulesets):
    heby = Municipality.objects.get(slug="heby")

    numbers = [next_case_number(heby, "KS", year=2026) for _ in range(3)]

    assert numbers == ["KS 2026/0001", "KS 2026/0002", "KS 2026/0003"]


def test_refused_submission_takes_no_case_number(new_case, today):
    case, users = new_case("heby")
    refused(case, "submit", users["applicant"])

    case = walk_to(case, S.SUBMITTED, users)

    assert case.number == "KS 2026/0001"


def test_case_number_unique_per_municipality_in_the_database(new_case, today):
    from django.db import IntegrityError, transaction

    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    other = create_case(users["applicant"], title="Annan insats")

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=other.pk).update(number=case.number)


def new_version(version, change):
    """A new version of the rule set, edited by ``change`` and put in force."""
    draft = create_draft(version, note="Ny version")
    document = draft.document
    change(document)
    return activate_version(update_draft(draft, document))


def add_required_section(document):
    document["application"]["sections"].append(
        {"key": "ny_punkt", "title": "Ny punkt", "help": "Beskriv.", "required": True, "cite": "§ 4"}
    )


def test_submitted_case_keeps_its_rule_set_version_when_a_new_one_is_activated(new_case, today):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    pinned = case.ruleset_version

    newer = new_version(pinned, add_required_section)
    case = walk_to(Case.objects.get(pk=case.pk), S.READY_FOR_DECISION, users)

    pinned.refresh_from_db()
    assert (case.state, case.ruleset_version, pinned.status, newer.status) == (
        S.READY_FOR_DECISION,
        pinned,
        "retired",
        "active",
    )
    assert case.rules == pinned.rules
    assert "ny_punkt" not in [section.key for section in case.rules.application.sections]


def test_pinned_version_is_in_use_and_cannot_be_edited(new_case, today):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    version = case.ruleset_version

    with pytest.raises(RuleSetLockedError):
        update_draft(version, version.document)

    assert version.is_in_use is True
    assert version.is_editable is False


def test_draft_takes_the_version_in_force_at_submission(new_case, today):
    case, users = new_case("heby")
    fill_application(case, users["applicant"])
    created_under = case.ruleset_version
    newer = new_version(created_under, lambda document: document["target_group"].update(description="Unga."))

    case = run_transition(case, "submit", users["applicant"])

    assert (case.ruleset_version, Case.objects.get(pk=case.pk).ruleset_version) == (newer, newer)


def test_draft_submitted_is_checked_against_the_version_in_force(new_case, today):
    case, users = new_case("heby")
    fill_application(case, users["applicant"])
    created_under = case.ruleset_version
    new_version(created_under, add_required_section)

    reason = refused(case, "submit", users["applicant"])

    assert reason == "Det saknas eller är fel i 1 fält: Ny punkt – avsnittet måste fyllas i."
    assert case.ruleset_version == created_under


# ---- Concurrency (PostgreSQL row locks) ----------------------------------------------------------------


def concurrent(test):
    """A test of row locks: on PostgreSQL, outside a test transaction, so threads see the data."""
    test = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")(test)
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.postgres(test)


def run_at_once(*calls):
    """Run each call in its own thread with its own connection, released together; return
    ("ok", result) or ("refused", reason) per call."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except TransitionRefusedError as refusal:
            results[index] = ("refused", str(refusal))
        except Exception as error:  # noqa: BLE001 - reported to the test, not lost in the thread
            results[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize(
    ("first", "second"), [("grant", "reject"), ("grant", "grant")], ids=["grant-vs-reject", "grant-twice"]
)
@concurrent
def test_concurrent_decisions_exactly_one_wins(new_case, first, second):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    decider = users["decision_body"]

    def decision(name, paragraph):
        decide(Case.objects.get(pk=case.pk), decider, grant=name == "grant", reason="Beslut.", paragraph=paragraph)
        return Case.objects.get(pk=case.pk).state

    results = run_at_once(lambda: decision(first, 1), lambda: decision(second, 2))

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    (won,) = [state for kind, state in results if kind == "ok"]
    (reason,) = [reason for kind, reason in results if kind == "refused"]
    case.refresh_from_db()
    assert case.state == won
    assert re.fullmatch(r"Åtgärden ”(Bevilja|Avslå)” går inte när ärendet är (beviljat|avslaget)\.", reason)
    decisions = AuditEntry.objects.for_object(case).filter(action__in=["case.grant", "case.reject"])
    assert [(e.from_state, e.to_state) for e in decisions] == [(S.READY_FOR_DECISION, won)]


@concurrent
def test_concurrent_start_preparation_exactly_one_wins(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    preparer = users["preparer"]

    results = run_at_once(
        lambda: run_transition(Case.objects.get(pk=case.pk), "start_preparation", preparer).state,
        lambda: run_transition(Case.objects.get(pk=case.pk), "start_preparation", preparer).state,
    )

    assert sorted(results) == [
        ("ok", S.IN_PREPARATION),
        ("refused", "Åtgärden ”Börja bereda” går inte när ärendet bereds."),
    ]
    assert AuditEntry.objects.for_object(case).filter(action="case.start_preparation").count() == 1
    assert case.steps.filter(stage="preparation").count() == 2


@concurrent
def test_concurrent_submissions_get_distinct_case_numbers(new_case):
    first, users = new_case("heby")
    applicant = users["applicant"]
    second = create_case(applicant, title="Föräldrastöd")
    third = create_case(applicant, title="Läxhjälp")
    for case in (first, second, third):
        fill_application(case, applicant)

    results = run_at_once(
        *[
            (lambda pk=case.pk: run_transition(Case.objects.get(pk=pk), "submit", applicant).number)
            for case in (first, second, third)
        ]
    )

    year = timezone.localdate().year
    assert sorted(results) == [("ok", f"KS {year}/000{n}") for n in (1, 2, 3)]
    assert sorted(Case.objects.values_list("number", flat=True)) == [f"KS {year}/000{n}" for n in (1, 2, 3)]
