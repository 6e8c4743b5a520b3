"""What the case pages and lists read: what a user may do on a case and why not, who the case
waits for, the lists of cases and the history. Nothing here writes; the operations are in
``applications.services``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.models import AuditEntry
from municipalities.enums import UnitKind
from municipalities.models import OrganisationalUnit
from municipalities.rulebook.presentation import STAGE_ORDER
from municipalities.units import is_within, upwards

from .conditions import missing_evaluation_names
from .enums import CLOSED_STATES, RUNNING_STATES, STAGE_BEGUN_BY_STATE, STATE_OF_STEP_STAGE, CaseState
from .models import BoardNotice, Case, TransitionDetails
from .rules import acting_role, is_case_participant
from .signatures import signing_unit

S = CaseState


# ---- What a user may do on the case, and why not ----------------------------------------------
@dataclass(frozen=True)
class TransitionOption:
    details: TransitionDetails
    allowed: bool
    reason: str


def transitions_from_state(case):
    # get_available_state_transitions filters by conditions; the page also shows blocked ones.
    return [t for t in case.get_all_state_transitions() if t.source in (case.state, "*")]


def transition_options(case, user):
    """What this user may do now, and, for what they may not, why. Transitions taken only by a
    decision or a record, and transitions of stages the rule set does not use, are not offered."""
    options = []
    transitions = {t.name: t for t in transitions_from_state(case)}
    for details in Case.lifecycle():
        transition = transitions.get(details.name)
        if transition is None or not details.is_button or not case.rules.uses_stage(details.stage):
            continue
        reason = transition_refusal(case, transition, details, user)
        if reason is None or _shown_to(case, details, user):
            options.append(TransitionOption(details, reason is None, reason or ""))
    return options


def _shown_to(case, details, user):
    """A refused action is explained to the people who could take part in it, not to everyone."""
    role = acting_role(case, details.action)
    return bool(role) and user.has_role(role)


def transition_refusal(case, transition, details, user, *, content_checked=False):
    """Why ``user`` cannot run the transition now, or None if they can. Where the service that
    records the transition's content has checked who may write it, the role is not asked again."""
    # Only the permission here: django-fsm's has_transition_perm also checks the conditions, and
    # a failed condition must be told by its own reason, not as "only X can do this".
    if not content_checked and not transition.has_perm(case, user):
        role = acting_role(case, details.action)
        if role is None:
            return _("Regelverket använder inte det här steget.")
        if role == "applicant" and user.has_role(role) and not is_case_participant(user, case):
            return _("Bara sökande som deltar i ärendet kan göra detta.")
        return _("Bara %(body)s kan göra detta.") % {"body": case.rules.body_name(role)}
    for condition in transition.conditions:
        if not condition(case):
            return condition.explain(case)
    return None


# ---- Steps: who may do them, and the records that do them -------------------------------------
def may_complete_step(step, user):
    """(allowed, reason) for the user completing the step now. A step that stands for a record
    kept elsewhere (RECORDED_STEPS) is done by making that record, never by the step form."""
    recorded = recorded_step(step)
    if recorded is not None:
        return False, str(recorded.where)
    return _may_do_step(step, user)


def _may_do_step(step, user):  # noqa: PLR0911 - one early return per reason, each told to the user
    case = step.case
    signer_unit = signing_unit_of_step(case, step) if step.action == "sign" and step.unit_id else None
    if signer_unit is not None:
        # The unit's signing step is its designated head's (or a named deputy's), whatever their role.
        if user.municipality_id != case.municipality_id or not signer_unit.may_sign(user):
            return False, _("Steget görs av den utsedda chefen för %(unit)s eller en ersättare.") % {
                "unit": signer_unit.name
            }
    elif user.municipality_id != case.municipality_id or not user.has_role(step.actor_role):
        return False, _("Bara %(body)s kan göra detta steg.") % {"body": case.rules.body_name(step.actor_role)}
    elif step.actor_role == "applicant" and not is_case_participant(user, case):
        return False, _("Bara sökande som deltar i ärendet kan göra detta steg.")
    elif step.unit_id and step.actor_role == "board":
        # A nämnd representative belongs to one nämnd and speaks only for it.
        if not (user.unit_id and is_within(user.unit, step.unit)):
            return False, _("Steget görs av %(unit)s: bara den nämndens representanter kan göra det.") % {
                "unit": step.unit.name
            }
    elif step.unit_id and user.unit_id and user.unit_id not in (step.unit_id, step.unit.parent_id):
        return False, _("Steget görs av %(unit)s.") % {"unit": step.unit.name}
    if STATE_OF_STEP_STAGE.get(step.stage) != case.state:
        return False, _("Steget kan inte göras när ärendet är %(state)s.") % {"state": case.get_state_display()}
    if not step.is_pending:
        return False, _("Steget är redan gjort.")
    if step.pk not in {s.pk for s in case.current_steps(step.stage)}:
        return False, _("Steget hör till en tidigare omgång och behöver inte göras.")
    earlier = [s for s in case.current_steps(step.stage) if s.group < step.group and s.blocks]
    if earlier:
        return False, _("Först: %(steps)s.") % {"steps": "; ".join(str(s) for s in earlier)}
    return True, ""


def signing_unit_of_step(case, step):
    """The unit whose head does a signing step: the step's own unit, or, for a step made before
    the rule set named whose head signs (one per verksamhet), the unit whose head signs for it."""
    kinds = [rule.head_unit_kind for rule in case.rules.application.signatures if rule.signs_for_units]
    return signing_unit(step.unit, kinds[0] if kinds else None)


def unit_position_step(case, unit):
    """The nämnd's own step in the stage the case is in (its position or its comments), done or
    not; None if the stage has none for it. A nämnd takes one position per stage."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return None
    return next(
        (
            s
            for s in case.current_steps(stage)
            if s.actor_role == "board" and s.unit_id == unit.pk and not s.is_information
        ),
        None,
    )


def takes_part_in_case(case, user, *, by_unit=True, by_signature=True):
    """Whether ``user`` has a stake in the case (jäv) and so may not speak for a nämnd on it:
    its creator, anyone who signed it and, ``by_unit``, anyone of the applicant unit or a
    participating unit (or a unit beneath them). A nämnd that itself takes part still gives its
    own view through its representatives (Ystad), so for them only ``by_unit=False`` applies.
    ``by_signature=False`` leaves out the signers, for a caller that has excluded them in bulk."""
    if case.created_by_id == user.pk:
        return True
    if by_unit and user.unit_id:
        units = [u for u in [case.applicant_unit, *case.units.all()] if u is not None]
        if any(is_within(user.unit, unit) for unit in units):
            return True
    return by_signature and case.signatures.filter(signer=user).exists()


@dataclass(frozen=True)
class RecordedStep:
    """A step that stands for a record another app keeps (Ale's payout plan and its approval, in
    the fund). ``record(case)`` returns (who made the record, a comment saying when) once it
    exists, else None; ``where`` tells the user where the record is made. (How a walk makes the
    record, for the demo and the lifecycle tests, is the demo's business: demo.walk.RECORD_MAKERS.)"""

    record: Callable
    where: str


# (stage, step key) -> RecordedStep, registered by the app that keeps the record.
RECORDED_STEPS = {}


def register_recorded_step(stage, key, *, record, where):
    RECORDED_STEPS[(stage, key)] = RecordedStep(record, where)


def recorded_step(step):
    return RECORDED_STEPS.get((step.stage, step.key))


# ---- Who the case waits for -------------------------------------------------------------------
@dataclass(frozen=True)
class Waiting:
    role: str
    reason: str
    unit_id: int | None = None
    # A unit's signing step waits for the unit's designated head or deputies, whatever their role.
    signs_for_unit: bool = field(default=False, compare=False)
    # Waiting for named people rather than everyone of the role (a project's report: its manager
    # and owners), shown as ``who``.
    people: frozenset = field(default=frozenset(), compare=False)
    who: str = field(default="", compare=False)
    # Where the people waited on act, when it is not the case page (a report's page); the
    # notification of the wait links there (applications.services.notices).
    url: str = field(default="", compare=False)


# What a running project waits for is kept by the apps above this one (the reporting app: its
# reports). Each registers a reader, case -> [Waiting], and the lookups it reads, which the lists
# prefetch so that they stay at a fixed number of queries.
PROJECT_WAITS = []


PROJECT_WAIT_PREFETCHES = []


def register_project_waits(reader, *, prefetch=()):
    PROJECT_WAITS.append(reader)
    PROJECT_WAIT_PREFETCHES.extend(prefetch)


def waiting_for(case):
    """Who must act next on the case, and why. Reads only prefetched data."""
    rules = case.rules
    state = case.state
    applicant = rules.applicant_role
    simple = {
        S.IDEA_DRAFT: (applicant, _("Idén är inte inlämnad.")),
        S.IDEA_SUBMITTED: (rules.idea_review_role, _("Ny idé att pröva.")),
        S.IDEA_APPROVED: (applicant, _("Idén är godkänd: ansökan kan skrivas.")),
        S.DRAFT: (applicant, _("Ansökan är inte inlämnad.")),
        S.RETURNED: (applicant, _("Ansökan behöver kompletteras.")),
        S.SUBMITTED: (rules.preparation_role, _("Ny ansökan att bereda.")),
        S.RESUBMITTED: (rules.preparation_role, _("Kompletterad ansökan att bereda.")),
        S.READY_FOR_DECISION: (rules.decision_role, _("Ansökan väntar på beslut.")),
        S.GRANTED: (applicant, _("Beviljad: projektstarten kan påbörjas.")),
    }
    if (
        state in (S.SUBMITTED, S.RESUBMITTED)
        and rules.stages.application.board_informed
        and not _has_board_notice(case)
    ):
        return [
            Waiting(
                rules.stages.application.board_informed.recorded_by, _("Registrera att berörd nämnd har informerats.")
            )
        ]
    if state in simple:
        role, reason = simple[state]
        return [Waiting(role, reason)]
    if state in RUNNING_STATES or state == S.FINAL_REPORT:
        # After the final report the receiver still reviews it while the project writes the
        # evaluations the rule set requires.
        waits = [waiting for reader in PROJECT_WAITS for waiting in reader(case)]
        return [*waits, _waiting_for_evaluation(case)] if state == S.FINAL_REPORT else waits
    stage = STAGE_BEGUN_BY_STATE.get(state)
    if stage is None:
        return []
    return _waiting_in_stage(case, stage)


def _waiting_in_stage(case, stage):
    """Whom a stage with steps waits for: its first pending steps, then whoever ends the stage."""
    rules = case.rules
    steps = case.current_steps(stage)
    pending = [s for s in steps if s.blocks]
    if pending:
        first_group = min(s.group for s in pending)
        return [
            Waiting(s.actor_role, _("Steg: %(step)s.") % {"step": s}, s.unit_id, signs_for_unit=s.action == "sign")
            for s in pending
            if s.group == first_group
        ]
    owners = {
        "idea": (rules.idea_review_role, _("Idéprövningens steg är klara: godkänn eller avslå idén.")),
        "preparation": (rules.decision_basis_role, _("Beredningens steg är klara: markera klar för beslut.")),
        "start": (rules.applicant_role, _("Startkraven är uppfyllda: projektet kan startas.")),
        "abort": (rules.abort_decision_role, _("Förslag om avbrott väntar på beslut.")),
        "implementation": (rules.implementation_role, _("Beslut om implementering saknas.")),
    }
    role, reason = owners[stage]
    board = responsible_board(case) if stage == "implementation" and role == Role.BOARD else None
    if board is not None:
        return [Waiting(role, _("%(board)s har inte beslutat om implementering.") % {"board": board.name}, board.pk)]
    return [Waiting(role, reason)]


def _waiting_for_evaluation(case):
    """After the final report the project writes and hands in the evaluations the rule set
    requires (the applicant answers for the follow-up and evaluation); then the preparing group
    takes them in and marks the case evaluated."""
    missing = missing_evaluation_names(case)
    if missing:
        return Waiting(
            case.rules.applicant_role,
            _("Slutrapporten är inlämnad: %(evaluations)s ska skrivas och lämnas in.") % {"evaluations": missing},
        )
    return Waiting(
        case.rules.preparation_role, _("Utvärderingen är inlämnad: ta emot den och markera utvärdering klar.")
    )


def responsible_board(case):
    """The nämnd responsible for the unit that applied and runs the effort: the first nämnd at or
    above the applicant unit, or None where there is none. Where nämnd representatives decide
    (Norrköping's ansvarig nämnd decides on implementation), the decision is this nämnd's."""
    return next((unit for unit in upwards(case.applicant_unit) if unit.kind == UnitKind.NAMND), None)


def speaks_for_responsible_board(case, user):
    """Whether ``user`` may act for the case's responsible nämnd: a representative of that nämnd,
    or, where the applicant unit lies under no nämnd, any representative."""
    board = responsible_board(case)
    if board is None:
        return True
    return user.unit_id is not None and is_within(user.unit, board)


def units_signed_for_by(user):
    """The ids of the units ``user`` heads or deputises for, read once per user object."""
    if not hasattr(user, "_units_signed_for"):
        user._units_signed_for = (
            set(OrganisationalUnit.objects.filter(Q(head=user) | Q(deputies=user)).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
    return user._units_signed_for


def _has_board_notice(case):
    """Whether the nämnd has been informed; lists read it from cases_for_list's annotation."""
    known = getattr(case, "has_board_notice", None)
    return case.board_notices.exists() if known is None else known


def waiting_on_user(case, user):
    """The reasons the case waits for this user (empty if it does not)."""
    reasons = []
    for waiting in waiting_for(case):
        if waiting.people:
            if user.pk in waiting.people:
                reasons.append(waiting.reason)
            continue
        if waiting.signs_for_unit and waiting.unit_id:
            if waiting.unit_id in units_signed_for_by(user):
                reasons.append(waiting.reason)
            continue
        if not waiting.role or not user.has_role(waiting.role):
            continue
        if waiting.role == "applicant" and not is_case_participant(user, case):
            continue
        if waiting.unit_id and waiting.role == "board" and waiting.unit_id != user.unit_id:
            continue  # a nämnd representative is waited on for their own nämnd only
        if waiting.unit_id and user.unit_id and waiting.unit_id != user.unit_id:
            continue
        reasons.append(waiting.reason)
    return reasons


# ---- Lists of cases and the history -----------------------------------------------------------
def cases_for_list(user):
    """The user's cases with what every list needs, in a fixed number of queries."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant_unit__parent__parent", "municipality", "created_by")
        .prefetch_related("ruleset_version", "units", "steps__unit", "evaluations")
        .annotate(has_board_notice=Exists(BoardNotice.objects.filter(case=OuterRef("pk"))))
    )


def cases_with_waits(user):
    """cases_for_list with what a running project's waits read, for the lists that show them."""
    return cases_for_list(user).prefetch_related(*PROJECT_WAIT_PREFETCHES)


def cases_waiting_for(user):
    """(case, reasons) for every open case that waits for this user, oldest change first."""
    cases = cases_with_waits(user).exclude(state__in=CLOSED_STATES).order_by("updated_at")
    result = []
    for case in cases:
        reasons = waiting_on_user(case, user)
        if reasons:
            result.append((case, reasons))
    return result


def cases_listed(user, *, state=""):
    """(case, the reasons it waits for this user) for every case the user sees, or those in
    ``state``, latest change first."""
    cases = cases_with_waits(user).order_by("-updated_at")
    if state:
        cases = cases.filter(state=state)
    return [(case, waiting_on_user(case, user)) for case in cases]


def case_history(case):
    return AuditEntry.objects.for_object(case).order_by("at", "id")


@dataclass(frozen=True)
class CaseOverview:
    """What the case page shows of where the case stands, as seen by one user."""

    options: list  # [TransitionOption]
    waiting: list  # [Waiting]
    waiting_on_me: list  # the reasons the case waits for this user
    steps_by_stage: dict  # stage -> [(step, allowed, reason)] of its latest round, in the lifecycle's order
    history: object  # the history's entries, oldest first


def case_overview(case, user):
    """Where the case stands for ``user``: what they may do, whom it waits for, the steps of each
    stage with whether the user may do each, and the history. Reads the prefetched steps."""
    steps_by_stage = {}
    for step in case.steps.all():
        if step in case.current_steps(step.stage):
            allowed, reason = may_complete_step(step, user)
            steps_by_stage.setdefault(step.stage, []).append((step, allowed, reason))
    return CaseOverview(
        options=transition_options(case, user),
        waiting=waiting_for(case),
        waiting_on_me=waiting_on_user(case, user),
        # The stages in the lifecycle's order (the steps come ordered by the stage's key).
        steps_by_stage=dict(sorted(steps_by_stage.items(), key=lambda item: STAGE_ORDER.index(item[0]))),
        history=case_history(case),
    )
