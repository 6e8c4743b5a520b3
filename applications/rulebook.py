"""Questions the lifecycle asks of a case's pinned rule set, answered from the rule-set document.

Every municipality-specific decision in the lifecycle goes through here, so the code never asks
which municipality a case belongs to, only what its rules say.
"""

from dataclasses import dataclass
from functools import cached_property


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
    def idea_review_role(self):
        return self.owner_role("idea")

    @property
    def preparation_role(self):
        return self.owner_role("preparation")

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
                    "payout_plan",
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
                    "payout_plan_approved",
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

    # The application
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

    @property
    def has_half_time_follow_up(self):
        return any(o["schedule"] == "half_time" for o in self.document["reporting"]["obligations"]) or bool(
            self.document["evaluation"].get("midpoint_evaluation")
        )

    @property
    def case_number_prefix(self):
        return self.document["municipality"].get("case_number_prefix", "KS")
