"""Move a case forward along its rule set's stages, as the people its rule set names would.

Used to build the demo cases and by tests that walk every municipality's lifecycle. Every move
goes through the same services as the pages, so it obeys the same rules and leaves the same history.
"""

import datetime
from contextlib import ExitStack
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from .deadlines import add_months
from .enums import CaseState
from .models import DecisionRound
from .services import STAGE_BEGUN_BY_STATE, complete_step, run_transition, save_case, sign
from .signatures import missing_signatures

S = CaseState

# The main road from idea to implementation: the transition that leaves each state forwards.
FORWARD = {
    S.IDEA_DRAFT: "submit_idea",
    S.IDEA_SUBMITTED: "start_idea_review",
    S.IDEA_IN_REVIEW: "approve_idea",
    S.IDEA_APPROVED: "start_application",
    S.DRAFT: "submit",
    S.SUBMITTED: "start_preparation",
    S.RESUBMITTED: "start_preparation",
    S.IN_PREPARATION: "mark_ready_for_decision",
    S.READY_FOR_DECISION: "grant",
    S.GRANTED: "begin_start",
    S.STARTING: "start_project",
    S.RUNNING: "submit_final_report",
    S.EXTENDED: "submit_final_report",
    S.FINAL_REPORT: "evaluate",
    S.EVALUATED: "implement",
}
# Side roads: the state to reach first, then the transition that takes it.
BRANCHES = {
    S.IDEA_REJECTED: (S.IDEA_IN_REVIEW, "reject_idea"),
    S.RETURNED: (S.IN_PREPARATION, "return_for_completion"),
    S.REJECTED: (S.READY_FOR_DECISION, "reject"),
    S.EXTENDED: (S.RUNNING, "extend"),
    S.ABORT_PROPOSED: (S.RUNNING, "propose_abort"),
    S.ABORTED: (S.ABORT_PROPOSED, "abort"),
    S.PARTLY_IMPLEMENTED: (S.EVALUATED, "implement_partly"),
    S.NOT_IMPLEMENTED: (S.EVALUATED, "decline_implementation"),
    S.WITHDRAWN: (S.SUBMITTED, "withdraw"),
}


# Transitions a walk cannot take by a button alone: their state means content that must be
# written first (the final report, the evaluation). The app that records the content registers,
# in its AppConfig.ready, how a walk writes it: ``route(case, users, clock) -> case``, where
# ``clock`` is an ExitStack a route may enter a time travel on (a report is handed in once its
# period has ended); the travel lasts until the walk returns, so the history stays in order.
CONTENT_ROUTES = {}


def register_content_route(name, route):
    CONTENT_ROUTES[name] = route


def forward_transition(case):
    """The transition that takes the case forward from its state. A running project whose rule
    set has no final report goes straight to its evaluation (Heby: within the annual report)."""
    if case.state in (S.RUNNING, S.EXTENDED) and not case.rules.has_final_report:
        return "evaluate"
    return FORWARD[case.state]


def fill_application(case, applicant, *, today=None):
    """Complete every part the rule set asks for, with example content that passes its rules."""
    today = today or timezone.localdate()
    rules = case.rules
    allowed = rules.eligibility["applicant_unit_kinds"]
    units = list(case.municipality.units.select_related("parent").filter(kind__in=allowed))
    applicant_unit = case.applicant_unit if case.applicant_unit and case.applicant_unit.kind in allowed else units[0]
    # A partner unit where a colleague works, so every affected unit has someone to sign for it.
    staffed = set(
        case.municipality.members.filter(role_assignments__role=rules.applicant_role).values_list("unit", flat=True)
    )
    others = [unit for unit in units if unit != applicant_unit]
    partners = ([unit for unit in others if unit.pk in staffed] or others)[:1]
    actor_kinds = [
        k for k in rules.eligibility["external_actor_kinds"] if k not in rules.eligibility["excluded_actor_kinds"]
    ]
    actors = list(case.municipality.external_actors.filter(kind__in=actor_kinds)[:1])
    limits = rules.duration_months
    months = min(limits.get("max") or 36, max(limits.get("min") or 1, 24))
    start = add_months(today.replace(day=1), 2)
    end = add_months(start, months) - datetime.timedelta(days=1)
    group = rules.target_group
    low, high = group.get("min_age"), group.get("max_age")
    fields = {
        "title": case.title,
        "applicant_unit": applicant_unit,
        "period_start": start,
        "period_end": end,
        "target_min_age": max(low or 0, 6) if low is not None or high is not None else None,
        "target_max_age": min(high if high is not None else 120, 15) if low is not None or high is not None else None,
        "sections": {s["key"]: f"{s['title']}: beskrivning för {case.title}." for s in rules.sections},
        "declarations": {d["key"]: True for d in rules.declarations},
        "measurement_plan": "Mål, aktiviteter, indikatorer och mättillfällen enligt mall."
        if rules.measurement_plan_required
        else "",
    }
    if rules.decision_rounds:
        first = rules.decision_rounds[0]
        fields["decision_round"], _ = DecisionRound.objects.get_or_create(
            municipality=case.municipality,
            name=first["name"],
            defaults={
                "meeting_date": today + datetime.timedelta(days=90),
                "requires_remaining_funds": first["requires_remaining_funds"],
            },
        )
    costs = {year: Decimal("500000.00") for year in range(start.year, end.year + 1)}
    return save_case(case, applicant, fields=fields, units=partners, external_actors=actors, costs=costs)


def fill_idea(case, applicant):
    contents = case.rules.stages["idea"].get("contents", [])
    idea = {str(index): f"{label}: beskrivning för {case.title}." for index, label in enumerate(contents)}
    return save_case(case, applicant, fields={"idea": idea})


def person_at(case, role, unit_id, users):
    """Whoever of ``role`` works at the unit (its head, who signs and acts for it), or the
    role's usual person."""
    if unit_id:
        local = User.objects.filter(
            municipality=case.municipality, role_assignments__role=role, unit=unit_id, is_active=True
        ).first()
        if local:
            return local
    return users[role]


def sign_for(case, users, *, when):
    """Have each unit's head (or a participant, for an external actor) sign where still needed."""
    for requirement in missing_signatures(case, when=when):
        sign(case, requirement.key, person_at(case, case.rules.applicant_role, requirement.unit_id, users))


def complete_open_steps(case, users):
    """Complete, positively, every pending step of the stage the case is in, in order."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return case
    for step in case.current_steps(stage):
        if step.is_pending:
            actor = person_at(case, step.actor_role, step.unit_id, users)
            if step.action == "sign" and step.unit_id:
                sign_for(case, users, when="in_preparation")
            complete_step(case, step.pk, actor, outcome="positive", comment="Klart.")
    return type(case).objects.get(pk=case.pk)


def step_forward(case, users, name=None, *, clock=None):
    """Take one transition (the forward one unless named), doing what must be done first."""
    name = name or forward_transition(case)
    if name in CONTENT_ROUTES:
        if clock is None:
            with ExitStack() as own_clock:
                return CONTENT_ROUTES[name](case, users, own_clock)
        return CONTENT_ROUTES[name](case, users, clock)
    applicant = users[case.rules.applicant_role]
    if case.state == S.IDEA_DRAFT:
        fill_idea(case, applicant)
    if case.state in (S.DRAFT, S.RETURNED) and name in ("submit", "resubmit"):
        fill_application(case, applicant)
        sign_for(type(case).objects.get(pk=case.pk), users, when="before_submission")
    case = complete_open_steps(type(case).objects.get(pk=case.pk), users)
    # Where the rule set names nobody (a stage it does not use), the applicant tries and is refused.
    role = _role_for(case, name) or case.rules.applicant_role
    kwargs = {}
    if name == "extend":
        kwargs["new_end"] = add_months(case.end_date, 6)
    reason = "Enligt regelverket." if name in _NEEDS_REASON else ""
    return run_transition(case, name, users[role], reason=reason, **kwargs)


_NEEDS_REASON = {
    "reject_idea",
    "return_for_completion",
    "grant",
    "reject",
    "extend",
    "propose_abort",
    "abort",
    "continue_project",
    "implement",
    "implement_partly",
    "decline_implementation",
    "withdraw",
}


def _role_for(case, name):
    from .conditions import acting_role
    from .services import TRANSITION_BY_NAME

    return acting_role(case, TRANSITION_BY_NAME[name].action)


def walk_to(case, target, users, *, visited=None, clock=None):
    """Walk the case to ``target`` along the main road and at most one side road. Returns the
    case; ``visited`` collects each state passed. Where content must wait for a date (a final
    report for the end of the project) the clock moves there until the walk returns."""
    if clock is None:
        with ExitStack() as walk_clock:
            return walk_to(case, target, users, visited=visited, clock=walk_clock)
    visited = visited if visited is not None else [case.state]
    branch = BRANCHES.get(target)
    road_end = branch[0] if branch else target
    if road_end in BRANCHES:  # a side road off a side road (aborted: after the proposal)
        case = walk_to(case, road_end, users, visited=visited, clock=clock)
    while case.state != road_end:
        case = step_forward(case, users, clock=clock)
        visited.append(case.state)
    if branch:
        case = step_forward(case, users, branch[1], clock=clock)
        visited.append(case.state)
    return case
