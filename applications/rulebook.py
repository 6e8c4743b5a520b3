"""Questions the lifecycle asks of a case's pinned rule set, answered from the rule-set document.

Every municipality-specific decision in the lifecycle goes through here, so the code never asks
which municipality a case belongs to, only what its rules say.
"""

from dataclasses import dataclass
from functools import cached_property

# The project start's payout-plan steps, which the rule book adds where the rule set asks for a payout
# plan; the fund keeps the records that do them (funds.apps registers them by these keys).
PAYOUT_PLAN_STEP = "payout_plan"
PAYOUT_PLAN_APPROVED_STEP = "payout_plan_approved"


@dataclass(frozen=True)
class StepSpec:
    stage: str
    key: str
    name: str
    actor_role: str
    action: str
    gate: bool
    per_affected_unit: bool
    parallel_with_previous: bool
    cite: str
    # "information": the body is informed, the step is only acknowledged (no ja/nej).
    kind: str = "outcome"
    # Done when needed ("vid behov"); never blocks the stage's transition nor later steps.
    optional: bool = False
    # "required" or "optional": the step records the expertise consulted (Sundsvall's idea review).
    expertise: str = ""


@dataclass(frozen=True)
class SignatureRule:
    """Who must sign the application, and when (application.signatures)."""

    signer: str  # affected_unit_heads, applicant_unit_head or external_actor_heads
    when: str  # before_submission or in_preparation
    description: str
    cite: str
    head_title: str  # förvaltningschef, sektorschef, kontorschef
    head_title_definite: str  # förvaltningschefen: "ersättare för förvaltningschefen för X"
    head_unit_kind: str | None  # whose head signs for an affected unit (Ystad: its förvaltning)


class RuleBook:
    def __init__(self, document):
        self.document = document

    @cached_property
    def stages(self):
        return self.document["stages"]

    def uses_stage(self, stage):
        # A stage added to the schema later (design_change) is unused in versions written before it.
        return stage in self.stages and self.stages[stage].get("enabled", True)

    @property
    def uses_idea_stage(self):
        return self.uses_stage("idea")

    def body_name(self, role):
        body = self.document["bodies"].get(role)
        return body["name"] if body else role

    # Who performs what. A role the rule set does not name falls back to the closest it does.
    @property
    def applicant_role(self):
        return self.stages["application"]["actor_role"]

    @property
    def decision_role(self):
        return self.stages["decision"]["actor_role"]

    @property
    def may_decide_group(self):
        """The decision body may decide several cases as one whole (Heby's kommunstyrelse)."""
        return bool(self.stages["decision"].get("may_decide_group"))

    @property
    def round_basis(self):
        """One tjänsteskrivelse for all the cases of a decision meeting, the applications attached
        (Norrköping), instead of a decision basis per case."""
        return bool(self.stages["decision"].get("round_basis"))

    def first_step_role(self, stage, default="preparer"):
        steps = self.stages[stage].get("steps") or []
        return steps[0]["actor_role"] if steps else default

    def owner_role(self, stage):
        """Who runs a stage's transitions: the preparing group wherever it takes part, even when
        another body acts first (Sundsvall: each facknämnd takes a position, then the network
        prepares the application for the decision), otherwise whoever takes the first step."""
        roles = [step["actor_role"] for step in self.stages[stage].get("steps") or []]
        return "preparer" if "preparer" in roles else self.first_step_role(stage)

    @property
    def idea_carried_into_application(self):
        """(idea content index, application section key) pairs: what of the approved idea the
        application starts with."""
        return [(item["content"], item["section"]) for item in self.stages["idea"].get("carries_into_application", [])]

    @property
    def idea_review_role(self):
        return self.owner_role("idea")

    @property
    def preparation_role(self):
        return self.owner_role("preparation")

    @property
    def decision_basis_role(self):
        """Who draws up and issues the decision basis (tjänsteskrivelse) for the decision body and
        reports the case ready for decision: Heby's kommunledningsgrupp, after the styrgrupp has
        passed the case on; elsewhere the preparing group."""
        return self.stages["preparation"].get("decision_basis_role") or self.preparation_role

    @property
    def prioritisation_role(self):
        """Who orders the applications ready for decision: the rule set's prioritising body
        (Ystad: kommunledningsgruppen), otherwise the preparing group."""
        chosen = self.document.get("review", {}).get("prioritised_by")
        return chosen["role"] if chosen else self.preparation_role

    @property
    def abort_proposer_role(self):
        """Who proposes an abort, where the rule set has a proposal before the decision."""
        return self.stages["abort"].get("proposed_by")

    @property
    def abort_decision_role(self):
        return self.stages["abort"].get("decided_by")

    @property
    def extension_role(self):
        return self.stages["extension"].get("decided_by")

    @property
    def design_change_role(self):
        return self.stages.get("design_change", {}).get("decided_by")

    @property
    def implementation_role(self):
        return self.stages["implementation"]["actor_role"]

    @property
    def implementation_proposer_role(self):
        """Who proposes the implementation to the deciding body, where the two differ (Sundsvall:
        ledningsgruppen proposes, kommunfullmäktige decides); None where one body does both."""
        return self.stages["implementation"].get("proposed_by")

    @property
    def partial_implementation_allowed(self):
        return self.stages["implementation"]["partial_allowed"]

    def step_specs(self, stage):
        """The steps of a stage as the rule set lists them; the start and abort stages get
        steps derived from their requirements."""
        if stage in ("idea", "preparation"):
            return [
                StepSpec(
                    stage=stage,
                    key=step["key"],
                    name=step["name"],
                    actor_role=step["actor_role"],
                    action=step["action"],
                    gate=step.get("gate", False),
                    per_affected_unit=step.get("per_affected_unit", False),
                    parallel_with_previous=step.get("parallel_with_previous", False),
                    cite=step["cite"],
                    kind=step.get("kind", "outcome"),
                    optional=step.get("optional", False),
                    expertise=step.get("expertise", ""),
                )
                for step in self.stages[stage].get("steps", [])
            ]
        if stage == "start":
            return self._start_steps()
        if stage == "abort":
            return self._abort_steps()
        if stage == "implementation":
            return self._implementation_steps()
        return []

    def _start_steps(self):
        start = self.stages["start"]
        applicant = self.applicant_role
        specs = []
        if start["project_plan_required"]:
            specs.append(
                StepSpec(
                    "start",
                    "project_plan",
                    "Projektplan upprättad",
                    applicant,
                    "plan",
                    True,
                    False,
                    False,
                    start["cite"],
                )
            )
        if start.get("evaluation_plan_before_start"):
            specs.append(
                StepSpec(
                    "start",
                    "evaluation_plan",
                    "Plan för uppföljning och utvärdering upprättad",
                    applicant,
                    "plan",
                    True,
                    False,
                    True,
                    start["cite"],
                )
            )
        if start["payout_plan_required"]:
            specs.append(
                StepSpec(
                    "start",
                    PAYOUT_PLAN_STEP,
                    "Utbetalningsplan upprättad",
                    applicant,
                    "plan",
                    True,
                    False,
                    True,
                    start["cite"],
                )
            )
            specs.append(
                StepSpec(
                    "start",
                    PAYOUT_PLAN_APPROVED_STEP,
                    "Utbetalningsplanen godkänd",
                    start["payout_plan_approved_by"],
                    "approve",
                    True,
                    False,
                    False,
                    start["cite"],
                )
            )
        return specs

    def _abort_steps(self):
        abort = self.stages["abort"]
        if not abort.get("assessed_by"):
            return []
        return [
            StepSpec(
                "abort",
                "abort_assessment",
                "Bedömning av förslaget om avbrott",
                abort["assessed_by"],
                "assess",
                False,
                False,
                False,
                abort.get("cite", ""),
            )
        ]

    def _implementation_steps(self):
        implementation = self.stages["implementation"]
        proposer = implementation.get("proposed_by")
        if not proposer:
            return []
        return [
            StepSpec(
                "implementation",
                "implementation_proposal",
                implementation.get("proposal_name") or "Förslag om implementering",
                proposer,
                "propose",
                False,
                False,
                False,
                implementation.get("cite", ""),
            )
        ]

    @property
    def board_informed(self):
        """What the rule set asks of the information to the affected nämnd before preparation
        (recorded_by, unit_kinds, description, cite), or None."""
        return self.stages["application"].get("board_informed")

    # The application
    @cached_property
    def signature_rules(self):
        return [
            SignatureRule(
                signer=rule["signer"],
                when=rule.get("when", "before_submission"),
                description=rule["description"],
                cite=rule["cite"],
                head_title=rule.get("head_title", ""),
                head_title_definite=rule.get("head_title_definite", ""),
                head_unit_kind=rule.get("head_unit_kind"),
            )
            for rule in self.document["application"]["signatures"]
        ]

    @property
    def goal_lists(self):
        """The goal lists the application relates to (key, title, description, goals, required)."""
        return self.document["application"].get("goal_lists", [])

    @property
    def sections(self):
        return self.document["application"]["sections"]

    @property
    def declarations(self):
        return self.document["application"]["declarations"]

    @property
    def duration_months(self):
        return self.document["application"].get("duration_months") or {}

    @property
    def measurement_plan_required(self):
        return self.document["application"]["measurement_plan_required"]

    @property
    def eligibility(self):
        return self.document["eligibility"]

    @property
    def target_group(self):
        return self.document["target_group"]

    @property
    def application_windows(self):
        return self.document["calendar"]["application_windows"]

    @property
    def decision_rounds(self):
        return self.document["calendar"]["decision_rounds"]

    @property
    def feedback_deadline(self):
        return self.document["calendar"].get("feedback_deadline")

    # Follow-up
    @property
    def report_rules(self):
        return (self.document.get("reporting") or {}).get("obligations") or []

    def report_rule(self, kind):
        """The rule set's reporting obligation of this kind (empty if it has none)."""
        return next((rule for rule in self.report_rules if rule["kind"] == kind), {})

    def early_submission_days(self, kind):
        """How many days before its period's last day a report of this kind may be submitted."""
        return self.report_rule(kind).get("early_submission_days", 0)

    def informed_roles(self, kind):
        """The roles that get reports of this kind for their information (Sundsvall: PLU)."""
        return list(self.report_rule(kind).get("informed_roles", []))

    @property
    def closing_report_kind(self):
        """The kind of the report that closes the project's follow-up: the final report, or where
        the rule set has none, its last periodic report (Heby: the annual report's evaluation)."""
        closing = (self.document.get("reporting") or {}).get("closing_report")
        if closing:
            return closing["kind"]
        if any(rule["schedule"] == "end" for rule in self.report_rules):
            return next(rule["kind"] for rule in self.report_rules if rule["schedule"] == "end")
        return self.report_rules[-1]["kind"] if self.report_rules else None

    @property
    def has_final_report(self):
        """Whether the project ends with a final report, whose submission makes the case
        "slutrapport inlämnad"; without one the case goes from running to evaluated."""
        return self.closing_report_kind == "final"

    @property
    def required_evaluations(self):
        """The evaluation kinds that must be written and submitted before the case is evaluated."""
        return list(self.document["evaluation"].get("required_evaluations", ["final"]))

    @property
    def has_half_time_follow_up(self):
        return any(o["schedule"] == "half_time" for o in self.document["reporting"]["obligations"]) or bool(
            self.document["evaluation"].get("midpoint_evaluation")
        )

    @property
    def case_number_prefix(self):
        return self.document["municipality"].get("case_number_prefix", "KS")


def rulebook_in_force(user):
    """The rule book in force in the user's municipality, or None. Kept on the user object, which
    lives for one request, so the permission checks of one page read the rule set once."""
    if not hasattr(user, "_rulebook_in_force"):
        ruleset = user.municipality.active_ruleset if user.municipality_id else None
        user._rulebook_in_force = RuleBook(ruleset.document) if ruleset else None
    return user._rulebook_in_force
