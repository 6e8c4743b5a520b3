"""The rule book: a rule-set version read once into typed sections, and the questions the lifecycle
asks of it (who runs a stage, which steps it has, who signs ...).

Every municipality-specific decision goes through here, so the code never asks which municipality
a case belongs to, only what its rules say.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from .enums import ReportSchedule, Role, Stage, StepAction
from .sections import Document, Step, build_document

# The project start's payout-plan steps, which the rule book adds where the rule set asks for a payout
# plan; the fund keeps the records that do them (funds.apps registers them by these keys).
PAYOUT_PLAN_STEP = "payout_plan"
PAYOUT_PLAN_APPROVED_STEP = "payout_plan_approved"


@dataclass(frozen=True)
class RuleBook(Document):
    """One rule-set version, typed: its sections (``rules.money.fund``, ``rules.reporting``, ...)
    and the lifecycle's questions. Immutable, so one book serves every case of its version."""

    @classmethod
    def of(cls, document):
        return build_document(document, cls)

    # The stages

    def stage(self, key):
        return getattr(self.stages, Stage(key).value)

    def uses_stage(self, key):
        return self.stage(key).enabled

    @property
    def stages_in_order(self):
        """The stages the rule set uses, in lifecycle order, as (key, stage)."""
        return [(key, self.stage(key)) for key in Stage if self.uses_stage(key)]

    @property
    def uses_idea_stage(self):
        return self.stages.idea.enabled

    def body(self, role):
        return self.bodies.get(role)

    def body_name(self, role):
        """The municipality's own name for a role (e.g. "Processgruppen"), or the role itself."""
        body = self.bodies.get(role)
        return body.name if body else role

    # Who performs what. A role the rule set does not name falls back to the closest it does.
    @property
    def applicant_role(self):
        return self.stages.application.actor_role

    @property
    def decision_role(self):
        return self.stages.decision.actor_role

    @property
    def may_decide_group(self):
        """The decision body may decide several cases as one whole (Heby's kommunstyrelse)."""
        return self.stages.decision.may_decide_group

    @property
    def round_basis(self):
        """One tjänsteskrivelse for all the cases of a decision meeting, the applications attached
        (Norrköping), instead of a decision basis per case."""
        return self.stages.decision.round_basis

    def listed_steps(self, stage):
        """The steps the rule set lists for a stage (only the idea and the preparation list any)."""
        return getattr(self.stage(stage), "steps", ())

    def first_step_role(self, stage, default=Role.PREPARER):
        steps = self.listed_steps(stage)
        return steps[0].actor_role if steps else default

    def owner_role(self, stage):
        """Who runs a stage's transitions: the preparing group wherever it takes part, even when
        another body acts first (Sundsvall: each facknämnd takes a position, then the network
        prepares the application for the decision), otherwise whoever takes the first step."""
        roles = [step.actor_role for step in self.listed_steps(stage)]
        return Role.PREPARER if Role.PREPARER in roles else self.first_step_role(stage)

    @property
    def idea_carried_into_application(self):
        """(idea content index, application section key) pairs: what of the approved idea the
        application starts with."""
        return [(item.content, item.section) for item in self.stages.idea.carries_into_application]

    @property
    def idea_review_role(self):
        return self.owner_role(Stage.IDEA)

    @property
    def preparation_role(self):
        return self.owner_role(Stage.PREPARATION)

    @property
    def decision_basis_role(self):
        """Who draws up and issues the decision basis (tjänsteskrivelse) for the decision body and
        reports the case ready for decision: Heby's kommunledningsgrupp, after the styrgrupp has
        passed the case on; elsewhere the preparing group."""
        return self.stages.preparation.decision_basis_role or self.preparation_role

    @property
    def prioritisation_role(self):
        """Who orders the applications ready for decision: the rule set's prioritising body
        (Ystad: kommunledningsgruppen), otherwise the preparing group."""
        chosen = self.review.prioritised_by
        return chosen.role if chosen else self.preparation_role

    @property
    def abort_proposer_role(self):
        """Who proposes an abort, where the rule set has a proposal before the decision."""
        return self.stages.abort.proposed_by

    @property
    def abort_decision_role(self):
        return self.stages.abort.decided_by

    @property
    def extension_role(self):
        return self.stages.extension.decided_by

    @property
    def design_change_role(self):
        return self.stages.design_change.decided_by

    @property
    def implementation_role(self):
        return self.stages.implementation.actor_role

    @property
    def implementation_proposer_role(self):
        """Who proposes the implementation to the deciding body, where the two differ (Sundsvall:
        ledningsgruppen proposes, kommunfullmäktige decides); None where one body does both."""
        return self.stages.implementation.proposed_by

    @property
    def partial_implementation_allowed(self):
        return self.stages.implementation.partial_allowed

    def step_specs(self, stage):
        """The steps of a stage as the rule set lists them; the start, abort and implementation
        stages get steps derived from their requirements."""
        stage = Stage(stage)
        if stage in (Stage.IDEA, Stage.PREPARATION):
            return list(self.listed_steps(stage))
        derived = {
            Stage.START: self._start_steps,
            Stage.ABORT: self._abort_steps,
            Stage.IMPLEMENTATION: self._implementation_steps,
        }
        return derived[stage]() if stage in derived else []

    def _start_steps(self):
        start = self.stages.start
        applicant = self.applicant_role

        def step(key, name, role, action, *, parallel=False):
            return Step(
                stage=Stage.START,
                key=key,
                name=name,
                actor_role=role,
                action=action,
                gate=True,
                parallel_with_previous=parallel,
                cite=start.cite,
            )

        specs = []
        if start.project_plan_required:
            specs.append(step("project_plan", gettext_noop("Projektplan upprättad"), applicant, StepAction.PLAN))
        if start.evaluation_plan_before_start:
            specs.append(
                step(
                    "evaluation_plan",
                    gettext_noop("Plan för uppföljning och utvärdering upprättad"),
                    applicant,
                    StepAction.PLAN,
                    parallel=True,
                )
            )
        if start.payout_plan_required:
            specs.append(
                step(
                    PAYOUT_PLAN_STEP,
                    gettext_noop("Utbetalningsplan upprättad"),
                    applicant,
                    StepAction.PLAN,
                    parallel=True,
                )
            )
            specs.append(
                step(
                    PAYOUT_PLAN_APPROVED_STEP,
                    gettext_noop("Utbetalningsplanen godkänd"),
                    start.payout_plan_approved_by,
                    StepAction.APPROVE,
                )
            )
        return specs

    def _abort_steps(self):
        abort = self.stages.abort
        if not abort.assessed_by:
            return []
        return [
            Step(
                stage=Stage.ABORT,
                key="abort_assessment",
                name=gettext_noop("Bedömning av förslaget om avbrott"),
                actor_role=abort.assessed_by,
                action=StepAction.ASSESS,
                cite=abort.cite,
            )
        ]

    def _implementation_steps(self):
        implementation = self.stages.implementation
        if not implementation.proposed_by:
            return []
        return [
            Step(
                stage=Stage.IMPLEMENTATION,
                key="implementation_proposal",
                name=implementation.proposal_name or gettext_noop("Förslag om implementering"),
                actor_role=implementation.proposed_by,
                action=StepAction.PROPOSE,
                cite=implementation.cite,
            )
        ]

    # Follow-up

    def informed_roles(self, kind):
        """The roles that get reports of this kind for their information (Sundsvall: PLU)."""
        obligation = self.reporting.obligation(kind)
        return list(obligation.informed_roles) if obligation else []

    def stage_informed_roles(self, key):
        """The roles told of a stage's events for their information, besides those who act
        (Sundsvall: PLU follows the projects through ongoing information)."""
        return list(self.stage(key).informed_roles) if self.uses_stage(key) else []

    def early_submission_days(self, kind):
        """How many days before its period's last day a report of this kind may be submitted."""
        obligation = self.reporting.obligation(kind)
        return obligation.early_submission_days if obligation else 0

    @property
    def has_half_time_follow_up(self):
        return self.reporting.has_schedule(ReportSchedule.HALF_TIME) or self.evaluation.midpoint_evaluation

    @property
    def case_number_prefix(self):
        return self.municipality.case_number_prefix
