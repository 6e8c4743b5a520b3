"""Plain-Swedish labels for the codes a rule set uses, so pages never show raw keys."""

from django.utils.translation import gettext_lazy as _

from .enums import (
    ActorKind,
    CarryOverModel,
    CollaborationRequirement,
    ComparisonPreference,
    CriterionKind,
    FundHeldIn,
    ObligationKind,
    PayoutModel,
    RepaymentModel,
    ReportSchedule,
    Role,
    Signer,
    Stage,
    StepAction,
    UnitKind,
)

STAGE_ORDER = list(Stage)
STAGE_NAMES = dict(Stage.choices)
# A report's kind in running text ("slutrapport"); ObligationKind's labels name a report ("Slutrapport").
REPORT_KINDS = {
    ObligationKind.PROGRESS: _("lägesrapport"),
    ObligationKind.HALF_TIME: _("halvtidsuppföljning"),
    ObligationKind.YEARLY: _("årlig rapport"),
    ObligationKind.FINAL: _("slutrapport"),
}

LABELS = {
    "role": Role,
    "unit_kind": UnitKind,
    "actor_kind": ActorKind,
    "stage": Stage,
    "action": StepAction,
    "collaboration": CollaborationRequirement,
    "signer": Signer,
    "report_schedule": ReportSchedule,
    "fund_held_in": FundHeldIn,
    "payout_model": PayoutModel,
    "carry_over_model": CarryOverModel,
    "repayment_model": RepaymentModel,
    "comparison": ComparisonPreference,
    "criterion_kind": CriterionKind,
}


def label(table_name, code):
    if table_name == "report_kind":
        return REPORT_KINDS.get(code, code)
    return dict(LABELS[table_name].choices).get(code, code)


def role_name(rules, role):
    """The municipality's own name for a role (e.g. 'Processgruppen'), or the generic label."""
    body = rules.bodies.get(role) if rules else None
    return body.name if body else label("role", role)


def steps_for_roles(rules, roles):
    """The steps of the rule set that the given roles act in, as (stage name, step) pairs."""
    found = []
    for stage in (Stage.IDEA, Stage.PREPARATION):
        if not rules.uses_stage(stage):
            continue
        found += [(STAGE_NAMES[stage], step) for step in rules.listed_steps(stage) if step.actor_role in roles]
    return found


def stages_in_order(rules):
    """The stages the rule set uses, in lifecycle order, as (key, name, stage)."""
    return [(key, STAGE_NAMES[key], stage) for key, stage in rules.stages_in_order]
