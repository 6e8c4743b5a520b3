"""Measurement plans (mätplaner), measured values, the unit-cost catalogue, socioeconomic
calculations with their immutable snapshots, and the half-time and final evaluations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import AppendOnlyModel
from municipalities.rulebook.enums import EvaluationKind

from .enums import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    MAX_HORIZON,
    CalculationKind,
    Comparison,
    Confidence,
    EffectSource,
    Group,
    IndicatorKind,
    Recommendation,
)

# Validators format their message with the limit, so a literal per cent sign is written twice.
PERCENT_VALIDATORS = [
    MinValueValidator(Decimal(0), message=_("Ange en andel mellan 0 och 100 %%.")),
    MaxValueValidator(Decimal(100), message=_("Ange en andel mellan 0 och 100 %%.")),
]


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def percentage(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(0), validators=PERCENT_VALIDATORS, **kwargs
    )


# ---- Measurement plan ---------------------------------------------------------------------------
class MeasurementPlan(models.Model):
    """The case's mätplan: goals, activities, how they are measured and against what."""

    case = models.OneToOneField("applications.Case", on_delete=models.CASCADE, related_name="structured_plan")
    goals = models.TextField(_("mål"))
    activities = models.TextField(_("aktiviteter"))
    comparison = models.CharField(
        _("jämförelse"), max_length=30, choices=Comparison.choices, default=Comparison.CONTROL_GROUP
    )
    comparison_description = models.TextField(
        _("jämförelsegruppen"), blank=True, help_text=_("Vilka ingår, och varför är de jämförbara med målgruppen?")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mätplan")
        verbose_name_plural = _("mätplaner")

    def __str__(self):
        return str(_("Mätplan för %(case)s") % {"case": self.case})

    @property
    def is_weakest_comparison(self):
        return self.comparison == Comparison.BEFORE_AFTER


class Indicator(models.Model):
    plan = models.ForeignKey(MeasurementPlan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=200)
    kind = models.CharField(_("typ av mått"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("enhet"), max_length=60, blank=True, help_text=_("t.ex. antal, andel %, dagar"))
    baseline_value = models.DecimalField(_("basvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(_("basmätningens datum"), null=True, blank=True)
    target_value = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    measurement_times = models.CharField(
        _("mättillfällen"), max_length=300, blank=True, help_text=_("t.ex. varje halvår, vid halvtid och vid slut")
    )

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """A measured value for the target group or the comparison group. Follow-up reports (the
    reporting app) will enter them too; ``report_id`` names the report without a foreign key."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(_("mätdatum"))
    group = models.CharField(_("grupp"), max_length=12, choices=Group.choices)
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    report_id = models.PositiveIntegerField(_("uppföljningsrapport"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period", "group"]
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "group"], name="one_value_per_indicator_period_group"
            )
        ]

    def __str__(self):
        return f"{self.indicator} {self.period:%Y-%m-%d} {self.group}: {self.value}"


# ---- Unit costs -------------------------------------------------------------------------------
class UnitCost(models.Model):
    """The municipality's catalogue of what things cost (a day in residential care, an
    investigation...). A calculation copies the amount it uses, so later edits do not change it."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.CASCADE, related_name="unit_costs")
    name = models.CharField(_("benämning"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=60)
    amount = money(_("belopp (kr)"), validators=[MinValueValidator(Decimal(0))])
    price_year = models.PositiveSmallIntegerField(_("prisår"))
    source = models.CharField(_("källa"), max_length=300)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("enhetskostnad")
        verbose_name_plural = _("enhetskostnader")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_unit_cost_name")]

    def __str__(self):
        return f"{self.name} ({self.unit})"


# ---- Calculation ---------------------------------------------------------------------------------
class Calculation(models.Model):
    """The working inputs of one calculation of a case; every save adds a snapshot."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="calculations")
    kind = models.CharField(_("kalkyl"), max_length=12, choices=CalculationKind.choices)
    discount_rate = models.DecimalField(
        _("diskonteringsränta (real, %)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_DISCOUNT_RATE,
        validators=PERCENT_VALIDATORS,
    )
    horizon = models.PositiveSmallIntegerField(
        _("kalkylperiod (år)"),
        default=DEFAULT_HORIZON,
        validators=[
            MinValueValidator(1),
            MaxValueValidator(MAX_HORIZON, message=_("Kalkylperioden får vara högst 20 år.")),
        ],
    )
    first_year = models.PositiveSmallIntegerField(_("första år"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = _("samhällsekonomisk kalkyl")
        verbose_name_plural = _("samhällsekonomiska kalkyler")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_calculation_per_case_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case}"


class CostLine(models.Model):
    calculation = models.ForeignKey(Calculation, on_delete=models.CASCADE, related_name="cost_lines")
    year = models.PositiveSmallIntegerField(_("år"))
    payer = models.CharField(_("finansiär"), max_length=30)
    description = models.CharField(_("kostnad"), max_length=200, blank=True)
    granted = money(_("beviljat (kr)"), validators=[MinValueValidator(Decimal(0))])
    consumed = money(_("förbrukat (kr)"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["calculation", "year", "id"]
        verbose_name = _("kostnadsrad")
        verbose_name_plural = _("kostnadsrader")

    def __str__(self):
        return f"{self.year} {self.payer}: {self.granted}"


class OutcomeLine(models.Model):
    calculation = models.ForeignKey(Calculation, on_delete=models.CASCADE, related_name="outcome_lines")
    name = models.CharField(_("effekt"), max_length=200)
    unit_cost = models.ForeignKey(
        UnitCost, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("enhetskostnad")
    )
    unit_amount = money(_("à-pris (kr)"))
    baseline = models.DecimalField(_("utgångsvärde per år"), max_digits=14, decimal_places=2, null=True)
    quantity = models.DecimalField(_("förändring per år"), max_digits=14, decimal_places=2)
    start_year = models.PositiveSmallIntegerField(_("första år med effekt"))
    duration = models.PositiveSmallIntegerField(_("varaktighet (år)"), default=1)
    drop_off = percentage(_("avtagande per år (%)"))
    deadweight = percentage(_("dödvikt (%)"))
    attribution = percentage(_("andel som beror på andra (%)"))
    displacement = percentage(_("undanträngning (%)"))
    confidence = models.CharField(_("tillförlitlighet"), max_length=10, choices=Confidence.choices)
    effect_source = models.CharField(
        _("effekten skattas från"), max_length=20, choices=EffectSource.choices, default=EffectSource.ESTIMATE
    )
    cashable = models.BooleanField(_("frigörbar"), default=False)
    transfer = models.BooleanField(_("transferering mellan betalare"), default=False)
    transfer_from = models.CharField(_("transfereringen går från"), max_length=30, blank=True)
    split = models.JSONField(_("fördelning mellan betalare (%)"), default=dict)

    class Meta:
        ordering = ["calculation", "id"]
        verbose_name = _("effektrad")
        verbose_name_plural = _("effektrader")

    def __str__(self):
        return self.name


class CalculationSnapshot(AppendOnlyModel):
    """A calculation as saved: its inputs and results, never changed afterwards."""

    calculation = models.ForeignKey(Calculation, on_delete=models.PROTECT, related_name="snapshots")
    case = models.ForeignKey("applications.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kalkyl"), max_length=12, choices=CalculationKind.choices)
    number = models.PositiveIntegerField(_("version"))
    inputs = models.JSONField(_("indata"))
    results = models.JSONField(_("resultat"))
    npv = money(_("nettonuvärde (kr)"))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calculation", "-number"]
        verbose_name = _("sparad kalkyl")
        verbose_name_plural = _("sparade kalkyler")
        constraints = [
            models.UniqueConstraint(fields=["calculation", "number"], name="one_snapshot_number_per_calculation")
        ]

    def __str__(self):
        return f"{self.calculation} v{self.number}"


# ---- Evaluation ----------------------------------------------------------------------------------
class Evaluation(models.Model):
    """The half-time or final evaluation: effects, process, costs and the conclusion, with the
    recommendation for the implementation decision (which the case's own transitions record)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("utvärdering"), max_length=10, choices=EvaluationKind.choices)
    effects = models.TextField(_("effekter"))
    process = models.TextField(_("process: vad har gjorts"))
    costs = models.TextField(_("kostnader"))
    conclusion = models.TextField(_("slutsats"))
    recommendation = models.CharField(
        _("förslag till beslut om implementering"), max_length=30, choices=Recommendation.choices, blank=True
    )
    frame_adjustment = money(
        _("föreslagen ramjustering i nästa budget (kr)"),
        null=True,
        blank=True,
        help_text=_("Heby: om insatsen implementeras föreslås en ramjustering i nästa års mål- och budgetdokument."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Handed in as done: the case can be "utvärderat" only when the evaluations its rule set
    # requires are submitted. A change afterwards takes the submission back.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_evaluation_per_case_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case}"
