"""What the case pages and lists read: what a user may do on a case and why not, who the case
waits for, the lists of cases and the history. Nothing here writes; the operations are in
``applications.services``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.models import AuditEntry
from core.money import ExactMoney
from municipalities.enums import RuleSetStatus, UnitKind
from municipalities.models import OrganisationalUnit, RuleSetVersion
from municipalities.rulebook.enums import SignatureWhen
from municipalities.rulebook.presentation import STAGE_ORDER
from municipalities.units import is_within, upwards

from .conditions import missing_evaluation_names
from .enums import CLOSED_STATES, STAGE_BEGUN_BY_STATE, STAGE_OF_STATE, STATE_OF_STEP_STAGE, CaseState, state_clause
from .models import BoardNotice, Case, CaseCost, SavedCaseFilter, TransitionDetails
from .rules import acting_role, is_case_participant
from .signatures import SIGNABLE_STATES, missing_signatures, signing_unit

S = CaseState
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


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
        return False, _("Steget kan inte göras när %(state)s.") % {"state": state_clause(case.state)}
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
# What a case waits for, the start page's "Väntar på dig" and the notifications all read
# ``waiting_for``: one list of ``Waiting``, each naming whom, why, by when and where they act.


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
    # By when (a report's due date, a consultation's deadline), where the wait has a date.
    due: datetime.date | None = field(default=None, compare=False)
    # Where the person waited on acts; the case page where empty.
    url: str = field(default="", compare=False)
    # What kind of work it is (WaitKind), for the start page's wording and order.
    kind: str = field(default="", compare=False)

    def days_overdue(self, today=None):
        """How many days past its date the wait is (0 when it has no date or is not late)."""
        if self.due is None:
            return 0
        return max(((today or timezone.localdate()) - self.due).days, 0)

    @property
    def overdue_days(self):
        return self.days_overdue()

    @property
    def days_left(self):
        """Days until the date (None without one; negative once late)."""
        return None if self.due is None else (self.due - timezone.localdate()).days


class WaitKind:
    """What a wait asks for: the words of the start page's rows, never stored."""

    CASE = "case"  # the case's state waits for a role (a draft to submit, an application to prepare)
    STEP = "step"  # a step of the stage, for the step's role or unit
    SIGNATURE = "signature"  # a unit's head or deputy to sign the application
    REPORT = "report"  # a project report to hand in or complete
    REPORT_REVIEW = "report_review"  # a handed-in report for its receiver to accept
    CONSULTATION = "consultation"  # a remiss to answer by its deadline
    REVIEW = "review"  # an assigned review to write


# What else a case waits for is kept by the apps above this one (reporting: its reports;
# consultations: remisser to answer; reviews: assigned reviews). Each registers a reader,
# case -> [Waiting], that says for itself in which states it applies, and the lookups it reads,
# which the lists prefetch so that they stay at a fixed number of queries.
CASE_WAITS = []


CASE_WAIT_PREFETCHES = []


def register_case_waits(reader, *, prefetch=()):
    CASE_WAITS.append(reader)
    CASE_WAIT_PREFETCHES.extend(prefetch)


def case_url(case, anchor=""):
    return reverse("applications:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def waiting_for(case):
    """Who must act next on the case, and why: what the apps above register (reports,
    remisser, reviews), the unit heads whose signature is missing, then what the case's state
    or stage waits for. Reads only prefetched data in the lists."""
    return [
        *(waiting for reader in CASE_WAITS for waiting in reader(case)),
        *_waiting_for_signatures(case),
        *_waiting_in_state(case),
    ]


def _waiting_in_state(case):
    """What the case's state waits for: its owner, or the pending steps of its stage."""
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
                rules.stages.application.board_informed.recorded_by,
                _("Registrera att berörd nämnd har informerats."),
                url=case_url(case, "board-notice"),
                kind=WaitKind.CASE,
            )
        ]
    if state in simple:
        role, reason = simple[state]
        return [Waiting(role, reason, url=case_url(case), kind=WaitKind.CASE)]
    if state == S.FINAL_REPORT:
        # After the final report the receiver still reviews it (a registered wait) while the
        # project writes the evaluations the rule set requires.
        return [_waiting_for_evaluation(case)]
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
            Waiting(
                s.actor_role,
                _("Steg: %(step)s.") % {"step": s},
                s.unit_id,
                signs_for_unit=s.action == "sign",
                url=case_url(case, f"h-steps-{stage}"),
                kind=WaitKind.STEP,
            )
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
        return [
            Waiting(
                role,
                _("%(board)s har inte beslutat om implementering.") % {"board": board.name},
                board.pk,
                url=case_url(case),
                kind=WaitKind.CASE,
            )
        ]
    return [Waiting(role, reason, url=case_url(case), kind=WaitKind.CASE)]


def _waiting_for_evaluation(case):
    """After the final report the project writes and hands in the evaluations the rule set
    requires (the applicant answers for the follow-up and evaluation); then the preparing group
    takes them in and marks the case evaluated."""
    missing = missing_evaluation_names(case)
    if missing:
        return Waiting(
            case.rules.applicant_role,
            _("Slutrapporten är inlämnad: %(evaluations)s ska skrivas och lämnas in.") % {"evaluations": missing},
            url=case_url(case),
            kind=WaitKind.CASE,
        )
    return Waiting(
        case.rules.preparation_role,
        _("Utvärderingen är inlämnad: ta emot den och markera utvärdering klar."),
        url=case_url(case),
        kind=WaitKind.CASE,
    )


# A unit's signature is due in these states, by when the rule set asks for it.
SIGNATURE_DUE_STATES = {
    SignatureWhen.BEFORE_SUBMISSION: (S.DRAFT, S.RETURNED),
    SignatureWhen.IN_PREPARATION: (S.SUBMITTED, S.RESUBMITTED, S.IN_PREPARATION),
}


def _waiting_for_signatures(case):
    """The heads (or deputies) of the units whose signature the application lacks. Before
    submission the applicant decides when the draft is ready to sign: the heads are waited on once
    asked (or once a change voided their signature). A unit whose signing is a step of the stage
    is waited on by that step instead."""
    rules = case.rules
    due_now = [rule for rule in rules.application.signatures if case.state in SIGNATURE_DUE_STATES.get(rule.when, ())]
    if case.state not in SIGNABLE_STATES or not any(rule.signs_for_units for rule in due_now):
        return []
    signed_by_step = {s.unit_id for s in case.steps.all() if s.action == "sign"}
    earlier = {signature.requirement for signature in case.signatures.all()}
    asked = _signatures_requested(case)
    waits = []
    for requirement in missing_signatures(case):
        if not requirement.unit_id or requirement.unit_id in signed_by_step:
            continue
        if case.state not in SIGNATURE_DUE_STATES.get(requirement.when, ()):
            continue
        if requirement.when == SignatureWhen.BEFORE_SUBMISSION and not (asked or requirement.key in earlier):
            continue
        waits.append(
            Waiting(
                "",
                _("Ansökan ska skrivas under för %(unit)s.") % {"unit": requirement.signed_for},
                requirement.unit_id,
                signs_for_unit=True,
                who=_("%(title)s för %(unit)s") % {"title": requirement.head_title, "unit": requirement.signed_for},
                url=case_url(case, "h-signatures"),
                kind=WaitKind.SIGNATURE,
            )
        )
    return waits


SIGNATURES_REQUESTED = "case.signatures_requested"


def _signatures_requested(case):
    """Whether the applicant has asked for signatures; lists read cases_with_waits' annotation."""
    known = getattr(case, "has_signature_request", None)
    if known is not None:
        return known
    return AuditEntry.objects.for_object(case).filter(action=SIGNATURES_REQUESTED).exists()


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


def _units_spoken_for(user):
    """The ids of the user's unit and the units above it (a förvaltning's official speaks within
    its nämnd), read once per user object."""
    if not hasattr(user, "_units_spoken_for"):
        user._units_spoken_for = {unit.pk for unit in upwards(user.unit)} if user.unit_id else set()
    return user._units_spoken_for


def _has_board_notice(case):
    """Whether the nämnd has been informed; lists read it from cases_for_list's annotation."""
    known = getattr(case, "has_board_notice", None)
    return case.board_notices.exists() if known is None else known


def waits_on_user(case, user):
    """The waits of the case that are this user's to act on (empty if none)."""
    return [waiting for waiting in waiting_for(case) if _waits_on(waiting, case, user)]


def _waits_on(waiting, case, user):  # noqa: PLR0911 - one answer per way of being waited on
    if waiting.people:
        return user.pk in waiting.people
    if waiting.signs_for_unit and waiting.unit_id:
        return waiting.unit_id in units_signed_for_by(user)
    if not waiting.role or not user.has_role(waiting.role):
        return False
    if user.municipality_id != case.municipality_id:
        return False
    if waiting.role == "applicant" and not is_case_participant(user, case):
        return False
    if waiting.unit_id and waiting.role == "board":
        # A nämnd representative is waited on for their own nämnd only.
        return waiting.unit_id in _units_spoken_for(user)
    return not (waiting.unit_id and user.unit_id and waiting.unit_id != user.unit_id)


def waiting_on_user(case, user):
    """The reasons the case waits for this user (empty if it does not)."""
    return [waiting.reason for waiting in waits_on_user(case, user)]


# ---- Lists of cases and the history -----------------------------------------------------------
def cases_for_list(user):
    """The user's cases with what every list needs, in a fixed number of queries."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant_unit__parent__parent", "municipality", "created_by")
        .prefetch_related("ruleset_version", "units", "steps__unit", "evaluations")
        .annotate(has_board_notice=Exists(BoardNotice.objects.filter(case=OuterRef("pk"))))
    )


# What the missing signatures read of a case (its signing units, their superiors and the
# signatures given), prefetched once for a whole list.
SIGNATURE_PREFETCHES = [
    "signatures",
    "external_actors",
    "units__parent__parent",
    "units__children",
    "applicant_unit__children",
]


def cases_with_waits(user):
    """cases_for_list with what every wait reads (the registered readers' lookups, the
    signatures, whether signatures were asked for), for the lists that show them."""
    asked = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=Cast(OuterRef("pk"), CharField()),
        action=SIGNATURES_REQUESTED,
    )
    return (
        cases_for_list(user)
        .prefetch_related(*CASE_WAIT_PREFETCHES, *SIGNATURE_PREFETCHES)
        .annotate(has_signature_request=Exists(asked))
    )


def cases_waiting_for(user):
    """(case, reasons) for every open case that waits for this user, oldest change first."""
    cases = cases_with_waits(user).exclude(state__in=CLOSED_STATES).order_by("updated_at")
    result = []
    for case in cases:
        reasons = waiting_on_user(case, user)
        if reasons:
            result.append((case, reasons))
    return result


# A dated wait this close is shown before the waits without a date.
SOON_DAYS = 14


@dataclass(frozen=True)
class WaitItem:
    """One thing that waits for the user on one case: a row of "Väntar på dig"."""

    case: Case
    waiting: Waiting

    @property
    def url(self):
        return self.waiting.url or case_url(self.case)


def waiting_items(user, today=None):
    """Everything that waits for ``user`` in the cases they see, the most urgent first: what is
    late (the longest late first), then what is due within SOON_DAYS, then what has no date (the
    case changed longest ago first), then what is due later. A fixed number of queries."""
    today = today or timezone.localdate()
    cases = cases_with_waits(user).exclude(state__in=CLOSED_STATES).order_by("updated_at", "pk")
    items = [WaitItem(case, waiting) for case in cases for waiting in waits_on_user(case, user)]

    def urgency(item):
        due = item.waiting.due
        if due is None:
            return (2, item.case.updated_at.date(), item.case.pk)
        if due < today:
            return (0, due, item.case.pk)
        return (1 if (due - today).days <= SOON_DAYS else 3, due, item.case.pk)

    return sorted(items, key=urgency)


def cases_listed(user):
    """The case list's rows before its filters (``applications.filters.CaseListFilter``): every
    case the user sees, with the asked and granted amounts its columns show and sort by, and what
    ``waiting_on_user`` reads, prefetched for the rows of the page shown."""
    return with_amounts(cases_with_waits(user))


# The amount granted to a case is kept by the fund's ledger, which lives above this app: the funds
# app registers a function that returns it as an expression on the case (OuterRef("pk")).
GRANTED_AMOUNT = []


def register_granted_amount(expression):
    GRANTED_AMOUNT[:] = [expression]


def with_amounts(cases):
    """The cases annotated with ``asked`` (the sum of the yearly costs applied for) and ``granted``
    (what the fund has committed to the case; None where no app keeps it), each one subquery."""
    asked = CaseCost.objects.filter(case=OuterRef("pk")).values("case").annotate(total=Sum("amount")).values("total")
    granted = GRANTED_AMOUNT[0]() if GRANTED_AMOUNT else Value(None, output_field=MONEY)
    return cases.annotate(
        asked=ExactMoney(Coalesce(Subquery(asked[:1], output_field=MONEY), Value(ZERO), output_field=MONEY)),
        granted=ExactMoney(granted),
    )


def search_cases(cases, text):
    """Cases whose diarienummer, title, applicant unit, participating unit or applicant (the
    person who created it: name or e-mail) contains ``text``, in any case of letters."""
    participating = Case.units.through.objects.filter(case=OuterRef("pk"), organisationalunit__name__icontains=text)
    return cases.filter(
        Q(number__icontains=text)
        | Q(title__icontains=text)
        | Q(applicant_unit__name__icontains=text)
        | Q(created_by__full_name__icontains=text)
        | Q(created_by__email__icontains=text)
        | Exists(participating)
    )


def cases_of_unit(cases, unit):
    """Cases the unit, or a unit beneath it (units are at most three levels deep), applied for or
    takes part in."""
    within = Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit)
    units = OrganisationalUnit.objects.filter(within).values("pk")
    participating = Case.units.through.objects.filter(case=OuterRef("pk"), organisationalunit__in=units)
    return cases.filter(Q(applicant_unit__in=units) | Exists(participating))


CASE_CONTENT_FIELDS = ("idea", "sections", "declarations", "goals", "measurement_plan", "completion_request")


def cases_waiting_on(cases, user):
    """The cases among ``cases`` that wait on ``user``.

    Who a case waits for is decided in Python by ``waiting_on_user`` (it reads the pinned rule set,
    the steps, the signatures and the project's reports), so it cannot be one SQL condition. It is
    kept bounded: the database first narrows ``cases`` (with every other filter of the list
    already applied) to those not closed, since a closed case waits on nobody; those are read once
    with everything ``waiting_on_user`` reads prefetched, a fixed number of queries however many
    there are; and the list then asks the database for the cases found, by id, so counting,
    sorting and paging stay in SQL. The Python pass grows with the user's open cases, never with
    the closed ones that make up most of a fund's history."""
    candidates = (
        cases_with_waits(user)
        .filter(pk__in=cases.exclude(state__in=CLOSED_STATES).values("pk"))
        .defer(*CASE_CONTENT_FIELDS)  # what the applicant wrote: no wait reads it, and it is the bulk
        .order_by()
    )
    waiting = [case.pk for case in candidates if waiting_on_user(case, user)]
    return cases.filter(pk__in=waiting)


def states_in_use(user):
    """The states (in the lifecycle's order) and stages (in the rule book's order) that the rule
    sets of the user's municipality use, in force or retired ones that cases may still be pinned
    to: a municipality without an idea stage is offered no idea states. A user of no municipality
    (the system admin) is offered all."""
    if user.municipality_id is None:
        books = []
    else:
        versions = RuleSetVersion.objects.filter(
            municipality_id=user.municipality_id, status__in=[RuleSetStatus.ACTIVE, RuleSetStatus.RETIRED]
        )
        books = [version.rules for version in versions]
    used = {stage for stage in STAGE_ORDER if any(book.uses_stage(stage) for book in books)} if books else None
    states = [state for state in CaseState if used is None or STAGE_OF_STATE[state] in used]
    stages = [stage for stage in STAGE_ORDER if stage in {STAGE_OF_STATE[state] for state in states}]
    return states, stages


def saved_filters_of(user):
    """The user's own saved filters of the case list; nobody else's."""
    return SavedCaseFilter.objects.filter(user=user)


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
    waiting = waiting_for(case)
    return CaseOverview(
        options=transition_options(case, user),
        waiting=waiting,
        waiting_on_me=[w.reason for w in waiting if _waits_on(w, case, user)],
        # The stages in the lifecycle's order (the steps come ordered by the stage's key).
        steps_by_stage=dict(sorted(steps_by_stage.items(), key=lambda item: STAGE_ORDER.index(item[0]))),
        history=case_history(case),
    )
