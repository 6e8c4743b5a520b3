"""Every vocabulary of the rule-set schema (each ``enum`` of ``ruleset.schema.json``), one class each.

Code compares with these members, never with bare strings. ``tests/municipalities/test_rulebook.py``
checks that each class holds exactly the values its schema path allows, so the schema and the code
cannot drift apart.

Three vocabularies live below the rule book and are reused, not copied: ``Role`` (``accounts``, a
floor below: it imports no app, so the rule book may stand on it), ``UnitKind`` and ``ActorKind``
(``municipalities.enums``, the organisation models use them too).
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.enums import Role
from municipalities.enums import ActorKind, UnitKind

__all__ = [
    "ActorKind",
    "CarryOverModel",
    "CollaborationRequirement",
    "ComparisonPreference",
    "CriterionKind",
    "EvaluationKind",
    "Expertise",
    "FundHeldIn",
    "ObligationKind",
    "PayoutModel",
    "RepaymentBasis",
    "RepaymentModel",
    "RepaymentPlanRequired",
    "ReportSchedule",
    "ReviewStage",
    "Role",
    "SignatureWhen",
    "Signer",
    "Stage",
    "StepAction",
    "StepKind",
    "UnitKind",
]


class Stage(models.TextChoices):
    """The keys of ``stages``, in the order of a case's life."""

    IDEA = "idea", _("Idéprövning")
    APPLICATION = "application", _("Ansökan")
    PREPARATION = "preparation", _("Beredning")
    DECISION = "decision", pgettext_lazy("stage", "Beslut")
    START = "start", _("Projektstart")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    ABORT = "abort", _("Avbrott")
    EXTENSION = "extension", _("Förlängning")
    DESIGN_CHANGE = "design_change", _("Ändrat upplägg")
    IMPLEMENTATION = "implementation", _("Implementering")


class StepAction(models.TextChoices):
    CHECK = "check", _("kontrollerar")
    POSITION = "position", _("tar ställning")
    COMMENT = "comment", _("lämnar synpunkter")
    APPROVE = "approve", _("godkänner")
    SIGN = "sign", _("skriver under")
    MEETING = "meeting", _("träffar sökande")
    PLAN = "plan", _("planerar")
    ASSESS = "assess", _("bedömer")
    PROPOSE = "propose", _("föreslår")
    INFORM = "inform", _("informerar")


class StepKind(models.TextChoices):
    """What a step asks of its body: a position (ja or nej), or only to be informed (kvitteras)."""

    OUTCOME = "outcome", pgettext_lazy("step kind", "ja eller nej")
    INFORMATION = "information", pgettext_lazy("step kind", "information")


class Expertise(StrEnum):
    """Whether a step records the expertise consulted (Sundsvall's idea review)."""

    REQUIRED = "required"
    OPTIONAL = "optional"


class CollaborationRequirement(models.TextChoices):
    REQUIRED = "required", _("Krav")
    DESIRED = "desired", _("Önskvärt, inget krav")
    NONE = "none", _("Inget krav")


class Signer(models.TextChoices):
    AFFECTED_UNIT_HEADS = "affected_unit_heads", _("cheferna för alla berörda enheter")
    EXTERNAL_ACTOR_HEADS = "external_actor_heads", _("företrädarna för de externa aktörerna")
    APPLICANT_UNIT_HEAD = "applicant_unit_head", _("chefen för den sökande enheten")


class SignatureWhen(StrEnum):
    """When a signature is due: before the application can be submitted, or during preparation."""

    BEFORE_SUBMISSION = "before_submission"
    IN_PREPARATION = "in_preparation"


class ObligationKind(models.TextChoices):
    """The kinds of report (``reporting.obligations[].kind`` and ``reporting.closing_report.kind``)."""

    PROGRESS = "progress", _("Lägesrapport")
    HALF_TIME = "half_time", _("Halvtidsuppföljning")
    YEARLY = "yearly", _("Årlig uppföljning")
    FINAL = "final", _("Slutrapport")


class ReportSchedule(models.TextChoices):
    FIXED_DATES = "fixed_dates", _("på fastställda datum varje år")
    YEARLY = "yearly", _("en gång per år")
    PROJECT_YEAR = "project_year", _("efter varje projektår")
    HALF_TIME = "half_time", _("vid projektets halvtid")
    END = "end", _("vid projektets slut")
    CONTINUOUS = "continuous", _("löpande")


class FundHeldIn(models.TextChoices):
    EQUITY_RESERVATION = "equity_reservation", _("reservering i eget kapital")
    YEARLY_BUDGET = "yearly_budget", _("avsätts årligen i mål- och budgetprocessen")
    KS_FUNDS = "ks_funds", _("medel avsatta hos kommunstyrelsen")


class PayoutModel(models.TextChoices):
    NONE = "none", _("ingen särskild utbetalningsmodell")
    PAYOUT_PLAN = "payout_plan", _("enligt en godkänd utbetalningsplan")
    BUDGET_COMPENSATION = "budget_compensation", _("budgetkompensation för upparbetade kostnader")
    INTERNAL_GRANT = "internal_grant", _("internt bidrag till mottagande verksamhet")


class CarryOverModel(models.TextChoices):
    NONE = "none", _("inget sägs om överföring")
    REBUDGET_BY_DECISION = "rebudget_by_decision", _("outnyttjade medel kan ombudgeteras till nästa år genom beslut")
    FREEZE_AND_REQUEST = (
        "freeze_and_request",
        _("outnyttjade medel fryses vid årets slut och hanteras i nämndens ombudgeteringsbegäran"),
    )


class RepaymentModel(models.TextChoices):
    NONE = "none", _("ingen återbetalning")
    PLAN = "plan", _("enligt en återbetalningsplan")
    SAVINGS_RETURN = "savings_return", _("återföring av realiserade besparingar till fonden")


class RepaymentPlanRequired(StrEnum):
    NEVER = "never"
    WHEN_RELEVANT = "when_relevant"
    ALWAYS = "always"


class RepaymentBasis(StrEnum):
    """What a repayment is reckoned from: the amount used (Sundsvall) or the amount granted."""

    CONSUMED = "consumed"
    GRANTED = "granted"


class ComparisonPreference(models.TextChoices):
    """The comparisons a rule set prefers for an evaluation, strongest first
    (``evaluation.comparison_preference``)."""

    CONTROL_GROUP = "control_group", _("kontrollgrupp")
    ORDINARY_PRACTICE = "ordinary_practice", _("ordinarie arbetssätt")
    OTHER_MUNICIPALITIES = "other_municipalities", _("andra kommuner")
    NATIONAL_VALUES = "national_values", _("nationella värden")
    BEFORE_AFTER = "before_after", _("före/efter (svagast)")
    NO_ACTION = "no_action", _("ingen åtgärd")


class EvaluationKind(models.TextChoices):
    HALF_TIME = "half_time", _("halvtidsutvärdering")
    FINAL = "final", _("slututvärdering")


class CriterionKind(models.TextChoices):
    YES_NO = "yes_no", _("ja/nej")
    SCORE = "score", _("betyg")


class ReviewStage(models.TextChoices):
    """The stage a review criterion is answered in."""

    IDEA = "idea", pgettext_lazy("review stage", "idéprövning")
    PREPARATION = "preparation", pgettext_lazy("review stage", "beredning")
