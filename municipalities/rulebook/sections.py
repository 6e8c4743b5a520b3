"""The sections of a rule-set document as frozen dataclasses, one class per object of the schema.

Field names are the schema's keys, so a template reads ``rules.money.fund.held_in`` as it would
read the document. A field the schema makes optional has its default here, and only here; a list
is a tuple, a vocabulary is its enum (``enums.py``). ``build`` fills a class from its part of the
document by the field types, so adding a key to the schema means adding a field here.
"""

import dataclasses
import datetime
import enum
import functools
import types
import typing
from dataclasses import dataclass
from functools import cache

from .enums import (
    ActorKind,
    CarryOverModel,
    CollaborationRequirement,
    ComparisonPreference,
    CriterionKind,
    EvaluationKind,
    Expertise,
    FundHeldIn,
    ObligationKind,
    PayoutModel,
    RepaymentBasis,
    RepaymentModel,
    RepaymentPlanRequired,
    ReportSchedule,
    ReviewStage,
    Role,
    SignatureWhen,
    Signer,
    Stage,
    StepAction,
    StepKind,
    UnitKind,
)

# A plan runs over at most ten years where the rule set sets no window.
MAX_REPAYMENT_YEARS = 10
# "Löpande" uppföljning without a stated frequency: a report every quarter (reporting.schedule).
DEFAULT_INTERVAL_MONTHS = 3
# A score criterion without a stated scale is scored 1–5.
DEFAULT_SCALE_MAX = 5


# The municipality, its guideline and its bodies


@dataclass(frozen=True)
class MunicipalityInfo:
    slug: str
    name: str
    case_number_prefix: str = "KS"


@dataclass(frozen=True)
class Guideline:
    title: str
    adopted_by: str
    in_force_from: str
    reference: str = ""
    adopted_on: str = ""
    replaces: str = ""


@dataclass(frozen=True)
class Body:
    """A role's local name and duties (e.g. the preparer is Ystad's processgrupp)."""

    name: str
    duties: str
    cite: str


# Who may apply


@dataclass(frozen=True)
class CollaborationAlternative:
    min_units: int
    min_external: int
    description: str
    unit_kinds: tuple[UnitKind, ...] = ()
    external_kinds: tuple[ActorKind, ...] = ()


@dataclass(frozen=True)
class Collaboration:
    requirement: CollaborationRequirement
    alternatives: tuple[CollaborationAlternative, ...]
    description: str
    cite: str


@dataclass(frozen=True)
class Eligibility:
    applicant_unit_kinds: tuple[UnitKind, ...]
    external_actor_kinds: tuple[ActorKind, ...]
    excluded_actor_kinds: tuple[ActorKind, ...]
    may_apply_alone: bool
    collaboration: Collaboration
    description: str
    cite: str
    idea_sources: str = ""

    @property
    def partner_actor_kinds(self):
        """The external actors that count as partners: allowed and not excluded."""
        return tuple(kind for kind in self.external_actor_kinds if kind not in self.excluded_actor_kinds)


@dataclass(frozen=True)
class TargetGroup:
    description: str
    cite: str
    min_age: int | None = None
    max_age: int | None = None
    residence: str = ""
    indirect_allowed: bool = False


# The stages


@dataclass(frozen=True)
class Step:
    """One step of a stage, as the rule set lists it (idea, preparation) or as the rule book derives
    it from a stage's requirements (start, abort, implementation)."""

    key: str
    name: str
    actor_role: Role
    action: StepAction
    cite: str
    stage: Stage | None = None  # filled in by the stage that holds the step
    parallel_with_previous: bool = False
    gate: bool = False
    # "information": the body is informed, the step is only acknowledged (no ja/nej).
    kind: StepKind = StepKind.OUTCOME
    # The step records the expertise consulted (Sundsvall's idea review).
    expertise: Expertise | None = None
    # Done when needed ("vid behov"); never blocks the stage's transition nor later steps.
    optional: bool = False
    per_affected_unit: bool = False
    may_delegate: bool = False
    deadline_days: int | None = None
    description: str = ""


@dataclass(frozen=True)
class CarriedContent:
    """A part of the approved idea (its index in ``contents``) that starts an application section."""

    content: int
    section: str


@dataclass(frozen=True)
class IdeaStage:
    enabled: bool
    contents: tuple[str, ...] = ()
    carries_into_application: tuple[CarriedContent, ...] = ()
    steps: tuple[Step, ...] = ()
    application_requires_backing: bool = False
    on_rejection: str = ""
    cite: str = ""
    # Roles told of the stage's events for their information (Sundsvall: PLU follows the projects).
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class BoardInformed:
    """The affected nämnd is informed before preparation (who records it, for which units)."""

    recorded_by: Role
    unit_kinds: tuple[UnitKind, ...]
    description: str
    cite: str


@dataclass(frozen=True)
class ApplicationStage:
    actor_role: Role
    description: str
    cite: str
    approval_before_submission: str = ""
    board_informed: BoardInformed | None = None
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class PreparationStage:
    steps: tuple[Step, ...]
    cite: str
    decision_basis_role: Role | None = None
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class DecisionStage:
    actor_role: Role
    cite: str
    delegated_by: str = ""
    # The decision body may decide several cases as one whole (Heby's kommunstyrelse).
    may_decide_group: bool = False
    # One tjänsteskrivelse for all the cases of a decision meeting (Norrköping).
    round_basis: bool = False
    states_split_per_year: bool = False
    on_rejection: str = ""
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class StartStage:
    project_plan_required: bool
    payout_plan_required: bool
    cite: str
    payout_plan_approved_by: Role | None = None
    evaluation_plan_before_start: bool = False
    organisation: tuple[str, ...] = ()
    description: str = ""
    project_plan_template: tuple[str, ...] = ()
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class FollowUpStage:
    description: str
    cite: str
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class AbortStage:
    enabled: bool
    grounds: tuple[str, ...] = ()
    proposed_by: Role | None = None
    assessed_by: Role | None = None
    decided_by: Role | None = None
    cite: str = ""
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class DecidedChangeStage:
    """An extension or a change of design, decided by one body where the rule set allows it."""

    enabled: bool
    decided_by: Role | None = None
    condition: str = ""
    cite: str = ""
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class ImplementationStage:
    decided_by: str  # a text: the body named in the guideline, possibly outside the roles
    actor_role: Role
    mechanism: str
    partial_allowed: bool
    cite: str
    # Who proposes the implementation where another decides (Sundsvall: ledningsgruppen).
    proposed_by: Role | None = None
    proposal_name: str = ""
    condition: str = ""
    enabled: bool = True
    informed_roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Stages:
    idea: IdeaStage
    application: ApplicationStage
    preparation: PreparationStage
    decision: DecisionStage
    start: StartStage
    follow_up: FollowUpStage
    abort: AbortStage
    extension: DecidedChangeStage
    implementation: ImplementationStage
    # Added to the schema later: unused in versions written before it.
    design_change: DecidedChangeStage = DecidedChangeStage(enabled=False)


# The application


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    required: bool
    cite: str


@dataclass(frozen=True)
class Declaration:
    key: str
    text: str
    required: bool
    cite: str


@dataclass(frozen=True)
class DurationMonths:
    cite: str
    min: int | None = None
    max: int | None = None
    extension_possible: bool = False


@dataclass(frozen=True)
class SignatureRule:
    """Who must sign the application, and when."""

    signer: Signer
    description: str
    cite: str
    when: SignatureWhen = SignatureWhen.BEFORE_SUBMISSION
    head_title: str = ""  # förvaltningschef, sektorschef, kontorschef
    head_title_definite: str = ""  # förvaltningschefen: "ersättare för förvaltningschefen för X"
    head_unit_kind: UnitKind | None = None  # whose head signs for an affected unit (Ystad: its förvaltning)

    @property
    def signs_for_units(self):
        """Signed by the head of a unit of the municipality, not by an external actor."""
        return self.signer != Signer.EXTERNAL_ACTOR_HEADS


@dataclass(frozen=True)
class Goal:
    key: str
    name: str


@dataclass(frozen=True)
class GoalList:
    key: str
    title: str
    description: str
    goals: tuple[Goal, ...]
    required: bool
    cite: str


@dataclass(frozen=True)
class Application:
    sections: tuple[Section, ...]
    declarations: tuple[Declaration, ...]
    signatures: tuple[SignatureRule, ...]
    measurement_plan_required: bool
    cite: str
    duration_months: DurationMonths | None = None
    templates: tuple[str, ...] = ()
    goal_lists: tuple[GoalList, ...] = ()


# The calendar


@dataclass(frozen=True)
class ApplicationWindow:
    name: str
    opens: str  # "MM-DD"
    closes: str  # "MM-DD"

    def dates(self, year):
        """The (opens, closes) dates of the window in ``year``."""
        return _month_day(year, self.opens), _month_day(year, self.closes)


@dataclass(frozen=True)
class DecisionRoundRule:
    name: str
    requires_remaining_funds: bool


@dataclass(frozen=True)
class FeedbackDeadline:
    """The applicant has an answer within ``months`` (and ``days``), the excluded months not counted
    (Ale: one month, June and July not counted)."""

    months: int
    excluded_months: tuple[int, ...]
    actor_role: Role
    cite: str
    days: int = 0


@dataclass(frozen=True)
class Calendar:
    application_windows: tuple[ApplicationWindow, ...]
    decision_rounds: tuple[DecisionRoundRule, ...]
    cite: str
    windows_announced: str = ""
    feedback_deadline: FeedbackDeadline | None = None


# Reporting


@dataclass(frozen=True)
class FixedDate:
    name: str
    default: str  # "MM-DD"

    def in_year(self, year):
        """The default date in ``year``; 02-29 becomes 02-28 in a common year."""
        return _month_day(year, self.default, clamp=True)


@dataclass(frozen=True)
class Obligation:
    kind: ObligationKind
    schedule: ReportSchedule
    receiver_role: Role
    description: str
    cite: str
    fixed_dates: tuple[FixedDate, ...] = ()
    interval_months: int = DEFAULT_INTERVAL_MONTHS
    # The roles that get reports of this kind for their information (Sundsvall: PLU).
    informed_roles: tuple[Role, ...] = ()
    # How many days before its period's last day a report may be submitted.
    early_submission_days: int = 0
    contents: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClosingReport:
    kind: ObligationKind
    description: str
    cite: str


@dataclass(frozen=True)
class Reporting:
    obligations: tuple[Obligation, ...]
    reminder_days_before: int
    escalate_after_days: int
    cite: str
    closing_report: ClosingReport | None = None

    def obligation(self, kind):
        """The obligation of this kind, or None where the rule set has none."""
        return next((obligation for obligation in self.obligations if obligation.kind == kind), None)

    def has_schedule(self, schedule):
        return any(obligation.schedule == schedule for obligation in self.obligations)

    @property
    def closing_report_kind(self):
        """The kind of the report that closes the project's follow-up: the final report, or where
        the rule set has none, its last periodic report (Heby: the annual report's evaluation)."""
        if self.closing_report:
            return self.closing_report.kind
        at_end = next((o.kind for o in self.obligations if o.schedule == ReportSchedule.END), None)
        if at_end:
            return at_end
        return self.obligations[-1].kind if self.obligations else None

    @property
    def has_final_report(self):
        """Whether the project ends with a final report, whose submission makes the case
        "slutrapport inlämnad"; without one the case goes from running to evaluated."""
        return self.closing_report_kind == ObligationKind.FINAL


# Money


@dataclass(frozen=True)
class FundRules:
    held_in: FundHeldIn
    description: str
    cite: str
    yearly_appropriation: bool = False
    appropriation_may_not_exceed_reservation: bool = False
    initial_amount: str | None = None
    refill: str = ""

    @property
    def holds_reservation(self):
        """Money reserved in equity or with KS. Heby's money is set aside yearly in the budget
        instead: there the appropriations are the fund."""
        return self.held_in != FundHeldIn.YEARLY_BUDGET

    @property
    def uses_yearly_appropriation(self):
        """Grants must fit the year's appropriation (anslag) as well as the fund."""
        return self.yearly_appropriation

    @property
    def appropriation_capped_by_reservation(self):
        """Sundsvall 8.1 says it outright; an appropriation from an equity reservation cannot be
        larger than the reservation anywhere."""
        return self.yearly_appropriation and self.holds_reservation


@dataclass(frozen=True)
class Payouts:
    model: PayoutModel
    cite: str
    approved_by: Role = Role.PREPARER  # who approves the payout plan
    times_per_year: int | None = None  # budget compensations per year (Ystad: two)
    account: str = ""
    project_summary_code: str = ""
    description: str = ""

    @property
    def needs_payout_plan(self):
        return self.model == PayoutModel.PAYOUT_PLAN

    @property
    def is_budget_compensation(self):
        return self.model == PayoutModel.BUDGET_COMPENSATION

    @property
    def is_internal_grant(self):
        return self.model == PayoutModel.INTERNAL_GRANT


@dataclass(frozen=True)
class CarryOver:
    model: CarryOverModel
    cite: str
    decided_by: str = ""
    description: str = ""

    @property
    def allowed(self):
        return self.model != CarryOverModel.NONE

    @property
    def freezes_unspent(self):
        return self.model == CarryOverModel.FREEZE_AND_REQUEST


@dataclass(frozen=True)
class YearSpan:
    min: int
    max: int


@dataclass(frozen=True)
class RepaymentExemption:
    """Savings further away than ``savings_beyond_years`` need not be repaid where controlled
    studies back them (Sundsvall 6.1)."""

    savings_beyond_years: int
    requires_controlled_studies: bool
    cite: str


@dataclass(frozen=True)
class Repayment:
    model: RepaymentModel
    cite: str
    plan_required: RepaymentPlanRequired | None = None
    # "consumed" (Sundsvall: the amount used, not the amount granted) or "granted".
    basis: RepaymentBasis = RepaymentBasis.GRANTED
    years_after_end: YearSpan | None = None
    mechanism: str = ""
    nothing_owed_without_savings: bool = False
    tied_to_outcome_measures: bool = False
    applies_to_starts_before: datetime.date | None = None
    # Who approves the plan; the page shows it only where the rule set names it (see ``approver``).
    decided_by: Role | None = None
    # The roles that draw up the plan (Ale: the applicants; Sundsvall: preparers and controllers).
    drafted_by: tuple[Role, ...] = ()
    # The kinds of unit that repay (Ale: sektor; Sundsvall: nämnd).
    payer_unit_kinds: tuple[UnitKind, ...] = ()
    exemption: RepaymentExemption | None = None
    description: str = ""

    @property
    def approver(self):
        """Who approves a repayment plan: the rule set's body, the decision body where it names none."""
        return self.decided_by or Role.DECISION_BODY

    @property
    def from_savings(self):
        """Repaid from realised savings (Sundsvall's återföringsmodell): nothing is owed where no
        savings arise."""
        return self.model == RepaymentModel.SAVINGS_RETURN

    @property
    def max_years(self):
        """How many years the repayments may run over: the window the rule set gives (Sundsvall:
        one to ten years after the end), at most ten where it gives none."""
        if self.years_after_end is None:
            return MAX_REPAYMENT_YEARS
        span = self.years_after_end
        return max(1, min(MAX_REPAYMENT_YEARS, span.max - span.min + 1))

    def window(self, end):
        """The years repayments may fall in for a project ending ``end``: one to ten years after
        (Sundsvall), or from the year after the end, unbounded, where the rule set does not say."""
        if end is None:
            return None, None
        if self.years_after_end is None:
            return end.year + 1, None
        return end.year + self.years_after_end.min, end.year + self.years_after_end.max


@dataclass(frozen=True)
class CoFunding:
    description: str
    cite: str


@dataclass(frozen=True)
class Money:
    fund: FundRules
    payouts: Payouts
    carry_over: CarryOver
    repayment: Repayment
    co_funding: CoFunding | None = None


# Evaluation and review


@dataclass(frozen=True)
class Evaluation:
    comparison_preference: tuple[ComparisonPreference, ...]
    plan_before_start: bool
    description: str
    cite: str
    effect_and_process: bool = False
    control_group_required: bool = False
    baseline_required: bool = False
    within_annual_report: bool = False
    midpoint_evaluation: bool = False
    # The evaluations that must be written and submitted before the case is evaluated.
    required_evaluations: tuple[EvaluationKind, ...] = (EvaluationKind.FINAL,)


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    kind: CriterionKind
    gate: bool
    cite: str
    help: str = ""
    scale_max: int | None = None  # only a score has a scale
    weight: float | None = None
    # Idea-stage criteria are answered while the idea is tried; the others in preparation.
    stage: ReviewStage = ReviewStage.PREPARATION

    @property
    def is_score(self):
        return self.kind == CriterionKind.SCORE

    @property
    def scale(self):
        return list(range(1, (self.scale_max or DEFAULT_SCALE_MAX) + 1)) if self.is_score else []


@dataclass(frozen=True)
class PrioritisedBy:
    role: Role
    cite: str


@dataclass(frozen=True)
class Review:
    criteria: tuple[Criterion, ...]
    cite: str
    prioritised_by: PrioritisedBy | None = None
    portfolio_dimensions: tuple[str, ...] = ()

    def criteria_for(self, stage):
        """The criteria answered in ``stage``, in the rule set's order."""
        return [criterion for criterion in self.criteria if criterion.stage == stage]


@dataclass(frozen=True)
class Document:
    """The whole rule set, section by section."""

    schema_version: int
    municipality: MunicipalityInfo
    guideline: Guideline
    bodies: types.MappingProxyType  # {Role: Body}
    eligibility: Eligibility
    target_group: TargetGroup
    stages: Stages
    application: Application
    calendar: Calendar
    reporting: Reporting
    money: Money
    evaluation: Evaluation
    review: Review


def _month_day(year, month_day, *, clamp=False):
    month, day = (int(part) for part in month_day.split("-"))
    if clamp and (month, day) == (2, 29) and not _is_leap(year):
        day = 28
    return datetime.date(year, month, day)


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# Building the dataclasses from the document


@cache
def _hints(cls):
    return typing.get_type_hints(cls)


def build(cls, data):
    """An instance of the dataclass ``cls`` from its part of the document. A key the class does not
    know is an error: the schema and the classes must say the same."""
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__} has no field for {sorted(unknown)}")
    hints = _hints(cls)
    return cls(**{name: _convert(hints[name], value) for name, value in data.items()})


def _convert(annotation, value):
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return None if value is None else _convert(inner, value)
    if origin is tuple:
        item = typing.get_args(annotation)[0]
        return tuple(_convert(item, element) for element in value)
    return _reader(annotation)(value)


def _reader(annotation):
    """How a single value of the document becomes its field's type."""
    if dataclasses.is_dataclass(annotation):
        return functools.partial(build, annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    if annotation is datetime.date:
        return datetime.date.fromisoformat
    return _as_is


def _as_is(value):
    return value


def build_document(document, cls=Document):
    """The typed rule set (``cls``, a ``Document``) of a (valid) rule-set document."""
    data = dict(document)
    bodies = types.MappingProxyType({Role(role): build(Body, body) for role, body in data.pop("bodies").items()})
    stages = data.pop("stages")
    built_stages = build(Stages, stages)
    # Each listed step knows its stage, as the derived steps do.
    built_stages = dataclasses.replace(
        built_stages,
        idea=dataclasses.replace(
            built_stages.idea, steps=tuple(dataclasses.replace(s, stage=Stage.IDEA) for s in built_stages.idea.steps)
        ),
        preparation=dataclasses.replace(
            built_stages.preparation,
            steps=tuple(dataclasses.replace(s, stage=Stage.PREPARATION) for s in built_stages.preparation.steps),
        ),
    )
    hints = _hints(Document)
    rest = {name: _convert(hints[name], value) for name, value in data.items()}
    return cls(bodies=bodies, stages=built_stages, **rest)


# The money rules of a municipality with no rule set in force: a plain reservation, nothing else.
NO_MONEY_RULES = Money(
    fund=FundRules(held_in=FundHeldIn.EQUITY_RESERVATION, description="", cite=""),
    payouts=Payouts(model=PayoutModel.NONE, cite=""),
    carry_over=CarryOver(model=CarryOverModel.NONE, cite=""),
    repayment=Repayment(model=RepaymentModel.NONE, cite=""),
)
