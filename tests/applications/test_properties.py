"""Invariants of the lifecycle under random use: whatever anyone tries, in whatever order, a case
never reaches a stage its rule set does not use, every change is in the history, and a refused
action changes nothing."""

import datetime
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.enums import Role
from applications.deadlines import add_months
from applications.enums import CLOSED_STATES, STAGE_OF_STATE
from applications.enums import CaseState as S
from applications.models import Case
from applications.rules import acting_role
from applications.services import (
    STAGE_BEGUN_BY_STATE,
    TRANSITION_BY_NAME,
    TRANSITIONS,
    TransitionRefusedError,
    complete_step,
    create_case,
    run_transition,
)
from audit.models import AuditEntry
from demo.walk import FORWARD, fill_application, fill_idea, person_at, walk_to
from tests.conftest import SLUGS

NAMES = [info.name for info in TRANSITIONS]
ROLES = [role.value for role in Role]
# Where the random moves begin: at the start, or somewhere along the main road (walked there
# first, through the same services). Repeated entries here and below make a choice likelier.
STARTS = [
    *[None, S.SUBMITTED, S.IN_PREPARATION, S.READY_FOR_DECISION, S.STARTING],
    *[S.RUNNING, S.RUNNING, S.RUNNING, S.EVALUATED, S.EVALUATED],  # where most side roads begin
]


class Move(NamedTuple):
    """One thing someone tries. ``kind``: "forward" (the main road's next transition), "offered"
    (one the state machine has from the state, whatever the rule set says), "any" (any
    transition at all) or "step" (complete a step). The numbers pick a transition, step or
    person modulo how many there are, so a move fits whatever state the case is in."""

    kind: str
    pick: int
    right_person: bool  # the person the rule set names; otherwise anyone of the municipality
    anyone: int
    reason: str
    new_end: str  # for "extend": "later", "same" (not after the end) or "none"
    outcome: str


moves = st.builds(
    Move,
    kind=st.sampled_from(["forward", "step", "step", "offered", "offered", "offered", "offered", "any"]),
    pick=st.integers(min_value=0, max_value=50),
    right_person=st.sampled_from([True, True, True, True, True, False]),
    anyone=st.integers(min_value=0, max_value=50),
    reason=st.sampled_from(["Motivering.", "Motivering.", "Motivering.", "Motivering.", "Motivering.", ""]),
    new_end=st.sampled_from(["later", "later", "later", "later", "same", "none"]),
    outcome=st.sampled_from(["positive", "positive", "positive", "negative", "unknown"]),
)


@pytest.fixture
def municipalities(people, time_machine):
    """Everyone of every municipality, on a day inside Norrköping's application window."""
    time_machine.move_to("2026-09-15 10:00 +02:00")
    return {slug: people(slug) for slug in SLUGS}


def snapshot(case):
    """Everything a refused action must leave as it was."""
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.number,
        case.ruleset_version_id,
        case.extended_end,
        case.submitted_at,
        case.idea_submitted_at,
        list(case.steps.values_list("pk", "status", "outcome", "done_by_id").order_by("pk")),
        AuditEntry.objects.for_object(case).count(),
    )


def transition_history(case):
    return [
        (entry.action, entry.from_state, entry.to_state)
        for entry in AuditEntry.objects.for_object(case).order_by("id")
        if entry.action.removeprefix("case.") in TRANSITION_BY_NAME
    ]


def person(move, right_person, everyone):
    if move.right_person and right_person is not None:
        return right_person
    return everyone[move.anyone % len(everyone)]


def transition_name(case, move):
    offered = [t.name for t in case.get_all_state_transitions() if t.source == case.state]
    if move.kind == "forward" and case.state in FORWARD:
        return FORWARD[case.state]
    if move.kind == "offered" and offered:
        return offered[move.pick % len(offered)]
    return NAMES[move.pick % len(NAMES)]


def try_transition(case, name, move, users, everyone):
    role = acting_role(case, TRANSITION_BY_NAME[name].action)
    user = person(move, users.get(role) if role else None, everyone)
    end = case.end_date or datetime.date(2028, 12, 31)  # a draft may have no end date yet
    new_end = {"later": add_months(end, 6), "same": end, "none": None}[move.new_end]
    return run_transition(case, name, user, reason=move.reason, new_end=new_end if name == "extend" else None)


def try_step(case, move, users, everyone):
    """Complete a step: mostly the next one pending, at times any, even of a stage not in progress."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state) or ["idea", "preparation", "start"][move.pick % 3]
    steps = list(case.steps.filter(stage=stage).select_related("unit").order_by("round", "group", "id"))
    if not steps:
        return False
    pending = [step for step in steps if step.is_pending]
    step = pending[0] if pending and move.pick % 4 else steps[move.pick % len(steps)]
    user = person(move, person_at(case, step.actor_role, step.unit_id, users), everyone)
    complete_step(case, step.pk, user, outcome=move.outcome)
    return True


def begin(users, filled_in, start):
    """A new case, filled in (or not) and walked to ``start`` through the same services."""
    case = create_case(users["applicant"], title="Slumpad insats")
    if case.rules.uses_idea_stage:
        fill_idea(case, users["applicant"])
    if filled_in:
        fill_application(case, users["applicant"])
    return walk_to(case, start, users) if start else case


def steps_done(case):
    return AuditEntry.objects.for_object(case).filter(action="case.step").count()


class Track:
    """A case under random use and what its history must hold: the changes of state and the
    number of steps completed that succeeded, the walk to its start included."""

    def __init__(self, case):
        self.case = case
        self.changes = transition_history(case)
        self.steps = steps_done(case)
        self.tried_when_closed = False


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    # Shrinking a sequence of database-backed moves takes minutes; the failing example and the
    # assertion's message (which state was reached, or which refusal changed what) say enough.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    slug=st.sampled_from(SLUGS),
    filled_in=st.sampled_from([True, True, False]),
    start=st.sampled_from(STARTS),
    moves=st.lists(moves, min_size=5, max_size=30),
)
def test_random_use_keeps_to_the_rule_set_and_the_history(municipalities, slug, filled_in, start, moves):
    users = municipalities[slug]
    everyone = [users[role] for role in ROLES]
    everyone += list(
        users["applicant"].municipality.members.exclude(unit=None).exclude(pk__in=[u.pk for u in everyone])
    )
    tracks = [Track(begin(users, filled_in, start))]

    for move in moves:
        track = tracks[-1]
        case = Case.objects.get(pk=track.case.pk)
        if track.tried_when_closed and len(tracks) < 3:  # the next moves go to a new case
            track = Track(begin(users, filled_in, start))
            tracks.append(track)
            case = track.case
        before = snapshot(case)
        name = None if move.kind == "step" else transition_name(case, move)
        try:
            if name:
                after = try_transition(case, name, move, users, everyone)
            else:
                track.steps += try_step(case, move, users, everyone)
        except TransitionRefusedError as error:
            refusal = str(error)
        else:
            refusal = None
        track.tried_when_closed = before[0] in CLOSED_STATES
        if refusal is not None:
            assert refusal.strip()
            assert snapshot(case) == before, f"refused {move} changed the case: {refusal}"
        elif name:
            track.changes.append((f"case.{name}", before[0], after.state))
            stage = STAGE_OF_STATE[after.state]
            assert after.rules.uses_stage(stage), f"{slug} reached {after.state} of unused stage {stage}"
            assert Case.objects.get(pk=case.pk).state == after.state

    for track in tracks:
        assert transition_history(track.case) == track.changes
        assert steps_done(track.case) == track.steps
