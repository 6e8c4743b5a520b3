"""Move a case forward along its rule set's stages, as the people its rule set names would.

Used to build the demo cases and by tests that walk every municipality's lifecycle. Every move
goes through the same services as the pages, so it obeys the same rules and leaves the same history:
a grant or a rejection is the decision body's recorded decision (meeting, §, amounts, commitment),
and so are an abort, an extension and the decision on implementation (demo.decisions_walk).
This module stands on the roof with the demo: it knows the apps whose records a walk must make
(the reports and evaluations, the payout plan, the decisions); none of them knows the walk.
"""

import datetime
from contextlib import ExitStack
from decimal import Decimal

from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from applications.deadlines import add_months
from applications.enums import STAGE_BEGUN_BY_STATE, CaseState
from applications.models import Case, DecisionRound
from applications.rules import acting_role
from applications.selectors import recorded_step, responsible_board
from applications.services.board_notice import record_board_notice
from applications.services.content import save_case
from applications.services.lifecycle import run_transition
from applications.services.signing import record_paper_signature, sign
from applications.services.steps import complete_step
from applications.signatures import missing_signatures
from decisions.models import Decision, DecisionKind
from decisions.services import asked_total, record_decision
from municipalities.rulebook import PAYOUT_PLAN_APPROVED_STEP, PAYOUT_PLAN_STEP
from municipalities.rulebook.enums import SignatureWhen

from . import funds_walk, reporting_walk
from .decisions_walk import DEMO_ADJUSTERS
from .decisions_walk import decide as decide_on_project

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
# written first (the final report, the evaluation). Each route writes it as the project would:
# ``route(case, users, clock) -> case``, where ``clock`` is an ExitStack a route may enter a time
# travel on (a report is handed in once its period has ended); the travel lasts until the walk
# returns, so the history stays in order.
CONTENT_ROUTES = {
    "submit_final_report": reporting_walk.hand_in_final_report,
    "evaluate": reporting_walk.evaluate,
}

# Steps that stand for a record another app keeps (applications.selectors.RECORDED_STEPS): how a
# walk makes that record, ``make(case, users)``, keyed like the registry by (stage, step key).
RECORD_MAKERS = {
    ("start", PAYOUT_PLAN_STEP): funds_walk.write_payout_plan,
    ("start", PAYOUT_PLAN_APPROVED_STEP): funds_walk.approve_payout_plan,
}


def forward_transition(case):
    """The transition that takes the case forward from its state. A running project whose rule
    set has no final report goes straight to its evaluation (Heby: within the annual report)."""
    if case.state in (S.RUNNING, S.EXTENDED) and not case.rules.reporting.has_final_report:
        return "evaluate"
    return FORWARD[case.state]


def fill_application(case, applicant, *, today=None):
    """Complete every part the rule set asks for, with example content that passes its rules."""
    today = today or timezone.localdate()
    rules = case.rules
    allowed = rules.eligibility.applicant_unit_kinds
    units = list(case.municipality.units.select_related("parent").filter(kind__in=allowed))
    applicant_unit = case.applicant_unit if case.applicant_unit and case.applicant_unit.kind in allowed else units[0]
    # A partner unit where a colleague works, so every affected unit has someone to sign for it.
    staffed = set(
        case.municipality.members.filter(role_assignments__role=rules.applicant_role).values_list("unit", flat=True)
    )
    others = [unit for unit in units if unit != applicant_unit]
    partners = ([unit for unit in others if unit.pk in staffed] or others)[:1]
    actor_kinds = rules.eligibility.partner_actor_kinds
    actors = list(case.municipality.external_actors.filter(kind__in=actor_kinds)[:1])
    limits = rules.application.duration_months
    low_months, high_months = (limits.min, limits.max) if limits else (None, None)
    months = min(high_months or 36, max(low_months or 1, 24))
    start = add_months(today.replace(day=1), 2)
    end = add_months(start, months) - datetime.timedelta(days=1)
    group = rules.target_group
    low, high = group.min_age, group.max_age
    fields = {
        "title": case.title,
        "applicant_unit": applicant_unit,
        "period_start": start,
        "period_end": end,
        "target_min_age": max(low or 0, 6) if low is not None or high is not None else None,
        "target_max_age": min(high if high is not None else 120, 15) if low is not None or high is not None else None,
        "sections": {s.key: f"{s.title}: beskrivning för {case.title}." for s in rules.application.sections},
        "declarations": {d.key: True for d in rules.application.declarations},
        "measurement_plan": "Mål, aktiviteter, indikatorer och mättillfällen enligt mall."
        if rules.application.measurement_plan_required
        else "",
        "goals": {
            goal_list.key: {goal_list.goals[0].key: f"{case.title} bidrar till målet."}
            for goal_list in rules.application.goal_lists
            if goal_list.goals
        },
    }
    if rules.calendar.decision_rounds:
        first = rules.calendar.decision_rounds[0]
        fields["decision_round"], _ = DecisionRound.objects.get_or_create(
            municipality=case.municipality,
            name=first.name,
            defaults={
                "meeting_date": today + datetime.timedelta(days=90),
                "requires_remaining_funds": first.requires_remaining_funds,
            },
        )
    costs = {year: Decimal("500000.00") for year in range(start.year, end.year + 1)}
    return save_case(case, applicant, fields=fields, units=partners, external_actors=actors, costs=costs)


def fill_idea(case, applicant):
    contents = case.rules.stages.idea.contents
    idea = {str(index): f"{label}: beskrivning för {case.title}." for index, label in enumerate(contents)}
    return save_case(case, applicant, fields={"idea": idea})


def inform_board(case, users, *, today=None):
    """Where the rule set asks it, record that the nämnd above the applicant unit (or the first
    nämnd of the municipality) has been informed, as the rule set's recorder."""
    requirement = case.rules.stages.application.board_informed
    if not requirement or case.board_notices.exists():
        return None
    kinds = requirement.unit_kinds
    board = case.applicant_unit
    while board is not None and board.kind not in kinds:
        board = board.parent
    board = board or case.municipality.units.filter(kind__in=kinds).first()
    recorder = users[requirement.recorded_by]
    return record_board_notice(
        case,
        recorder,
        board=board,
        informed_on=today or timezone.localdate(),
        informed_by=recorder.get_full_name() or recorder.get_username(),
    )


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


def decider(case, role, users):
    """Who records the body's decision: where nämnd representatives decide, one of the case's
    responsible nämnd (its decision is that nämnd's); otherwise the role's usual person."""
    if role == Role.BOARD:
        board = responsible_board(case)
        return person_at(case, role, board.pk if board else None, users)
    return users[role]


def signed_paper(name="undertecknad-ansokan.pdf"):
    """A small PDF standing for an application a partner signed on paper and the municipality scanned."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% undertecknad ansokan\n%%EOF\n", content_type="application/pdf")


def head_of(unit_id):
    """The designated head of the unit (who signs for it), or None."""
    from municipalities.models import OrganisationalUnit

    return OrganisationalUnit.objects.select_related("head").get(pk=unit_id).head


def sign_for(case, users, *, when):
    """Have each unit's designated head sign where still needed; record each partner's signature
    as given on paper, registered by the applicant."""
    for requirement in missing_signatures(case, when=when):
        if requirement.unit_id:
            sign(case, requirement.key, head_of(requirement.unit_id))
        else:
            record_paper_signature(
                case,
                requirement.key,
                users[case.rules.applicant_role],
                signatory_name="Eva Ek",
                signatory_title="ordförande",
                signed_on=timezone.localdate(),
                document=signed_paper(),
            )


WALK_EXPERTISE = {"name": "Forskare vid universitetet", "organisation": "Universitetet", "contribution": "Granskning."}


def complete_open_steps(case, users):
    """Complete, positively, every pending step of the stage the case is in, in order."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return case
    for step in case.current_steps(stage):
        step.refresh_from_db(fields=["status"])  # a signature or a record may have done it meanwhile
        if not step.is_pending:
            continue
        if recorded_step(step) is not None:
            RECORD_MAKERS[(step.stage, step.key)](type(case).objects.get(pk=case.pk), users)
            continue
        if step.action == "sign" and step.unit_id:
            # The heads sign; each signature is the unit's approval and does its step.
            sign_for(case, users, when=SignatureWhen.IN_PREPARATION)
            continue
        actor = person_at(case, step.actor_role, step.unit_id, users)
        expertise = WALK_EXPERTISE if step.expertise_rule == "required" else None
        complete_step(case, step.pk, actor, outcome="positive", comment="Klart.", expertise=expertise)
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
        sign_for(type(case).objects.get(pk=case.pk), users, when=SignatureWhen.BEFORE_SUBMISSION)
    if name == "start_preparation":
        inform_board(type(case).objects.get(pk=case.pk), users)
    case = complete_open_steps(type(case).objects.get(pk=case.pk), users)
    # Where the rule set names nobody (a stage it does not use), the applicant tries and is refused.
    details = Case.transition_details(name)
    role = acting_role(case, details.action) or case.rules.applicant_role
    kwargs = {}
    if "new_end" in details.asks:
        kwargs["new_end"] = add_months(case.end_date, 6)
    reason = "Enligt regelverket." if details.needs_reason else ""
    if details.taken_by == "decision" and case.state == S.READY_FOR_DECISION:
        decide(case, users[role], grant=name == "grant", reason=reason)
        return type(case).objects.get(pk=case.pk)
    if details.taken_by == "decision":  # abort, extension, implementation: the body's decision
        return decide_on_project(case, name, decider(case, role, users), reason=reason, **kwargs)
    return run_transition(case, name, users[role], reason=reason, **kwargs)


def demo_minutes(secretary, meeting_date):
    """The minutes' signatories of a demo decision: the one who records it keeps the minutes, two
    members check them the same day (omedelbar justering)."""
    return {"secretary": secretary.full_name, "adjusters": DEMO_ADJUSTERS, "adjusted_on": meeting_date}


def decide(case, decision_maker, *, grant=True, reason="Enligt regelverket.", meeting_date=None, paragraph=None):
    """The decision body's decision on one case at a meeting today (or ``meeting_date``), with the
    next § of the year's minutes: the sum asked for, split per year as applied for."""
    meeting_date = meeting_date or timezone.localdate()
    if paragraph is None:
        taken = Decision.objects.filter(municipality_id=case.municipality_id, meeting_date__year=meeting_date.year)
        paragraph = max(taken.values_list("paragraph", flat=True), default=0) + 1
    amounts = {}
    if grant:
        amounts[case.pk] = (asked_total(case), {cost.year: cost.amount for cost in case.costs.all()})
    return record_decision(
        decision_maker,
        cases=[case],
        kind=DecisionKind.GRANT if grant else DecisionKind.REJECT,
        meeting_date=meeting_date,
        paragraph=paragraph,
        reason=reason,
        amounts=amounts,
        **demo_minutes(decision_maker, meeting_date),
    )


def walk_to(case, target, users, *, visited=None, clock=None):
    """Walk the case to ``target`` along the main road and at most one side road. Returns the
    case; ``visited`` collects each state passed. Where content must wait for a date (a final
    report for the end of the project) the clock moves there until the walk returns."""
    if clock is None:
        with ExitStack() as walk_clock:
            return walk_to(case, target, users, visited=visited, clock=walk_clock)
    visited = visited if visited is not None else [case.state]
    branch = BRANCHES.get(target)
    if target == S.ABORTED and not case.rules.abort_proposer_role:
        branch = (S.RUNNING, "abort")  # the body decides an abort without a proposal first
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
