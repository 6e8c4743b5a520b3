"""Vocabulary of measurement plans, calculations and evaluations."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    PROCESS = "process", _("processmått")
    EFFECT = "effect", _("effekt- eller utfallsmått")


class Comparison(models.TextChoices):
    """Ordered from the strongest evidence to the weakest (Sundsvall § 5)."""

    CONTROL_GROUP = "control_group", _("kontrollgrupp")
    OTHER_MUNICIPALITIES = "other_municipalities", _("grupper i andra kommuner")
    NATIONAL_VALUES = "national_values", _("värden för riket")
    BEFORE_AFTER = "before_after", _("endast före–efter-mätning (svagast)")


WEAKEST_COMPARISON = Comparison.BEFORE_AFTER


class Group(models.TextChoices):
    TARGET = "target", _("målgrupp")
    COMPARISON = "comparison", _("jämförelsegrupp")


class CalculationKind(models.TextChoices):
    FORECAST = "forecast", _("förkalkyl")
    DECIDED = "decided", _("beslutad kalkyl")
    FOLLOW_UP = "follow_up", _("uppföljningskalkyl")
    FINAL = "final", _("efterkalkyl")


# Plans count what was granted; follow-ups count what the project actually consumed (Sundsvall's
# repayment is based on the amount consumed).
KINDS_USING_CONSUMED = {CalculationKind.FOLLOW_UP, CalculationKind.FINAL}


class Confidence(models.TextChoices):
    HIGH = "high", _("hög (studie med kontrollgrupp)")
    MEDIUM = "medium", _("medel (jämförelse med andra eller riket)")
    LOW = "low", _("låg (antagande eller före–efter)")


# How much of a line's value counts, and how uncertain it is (the standard deviation of the
# normal multiplier used in the Monte Carlo run and the spread of the tornado chart).
CONFIDENCE_WEIGHT = {"high": Decimal("1.00"), "medium": Decimal("0.75"), "low": Decimal("0.50")}
CONFIDENCE_SPREAD = {"high": Decimal("0.10"), "medium": Decimal("0.25"), "low": Decimal("0.50")}


class EffectSource(models.TextChoices):
    ESTIMATE = "estimate", _("bedömning eller litteratur")
    COMPARISON_GROUP = "comparison_group", _("skillnad mot jämförelsegrupp (skillnad-i-skillnader)")
    BEFORE_AFTER = "before_after", _("före–efter-mätning")


class Payer(models.TextChoices):
    """Who pays or gains, besides the municipality's own nämnder (keys ``unit:<id>``)."""

    MUNICIPALITY = "municipality", _("kommunen, övrigt")
    REGION = "region", _("regionen")
    STATE = "state", _("staten")
    INDIVIDUAL = "individual", _("den enskilde")
    OTHER = "other", _("övriga")


MUNICIPAL_PAYER_PREFIX = "unit:"


def is_municipal_payer(key):
    return key == Payer.MUNICIPALITY or key.startswith(MUNICIPAL_PAYER_PREFIX)


class Recommendation(models.TextChoices):
    IMPLEMENT = "implement", _("implementera")
    IMPLEMENT_PARTLY = "implement_partly", _("implementera delvis")
    DECLINE = "decline_implementation", _("inte implementera")


DEFAULT_DISCOUNT_RATE = Decimal("3.5")
DEFAULT_HORIZON = 10
MAX_HORIZON = 20
SENSITIVITY_RATES = [Decimal(0), Decimal("3.5"), Decimal(5), Decimal(7)]
MONTE_CARLO_DRAWS = 10_000
MONTE_CARLO_SEED = 20260
