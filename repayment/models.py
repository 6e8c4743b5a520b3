"""Repayment plans: a schedule, by year and payer, of what a granted effort repays to the fund,
approved, then followed. The repayments themselves and any write-off are entries in the fund's
ledger (funds.LedgerEntry), so the fund's balances see them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("repayment plan", "utkast")
    APPROVED = "approved", pgettext_lazy("repayment plan", "godkänd")
    CLOSED = "closed", pgettext_lazy("repayment plan", "avslutad")


# The plan's status in the case's history, kept apart from the case's own states ("draft").
PLAN_STATE_PREFIX = "repayment:"


def plan_state(status):
    return f"{PLAN_STATE_PREFIX}{status}"


class RepaymentPlan(models.Model):
    case = models.OneToOneField("applications.Case", on_delete=models.PROTECT, related_name="repayment_plan")
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    basis = models.CharField(_("underlag"), max_length=20, help_text="consumed or granted, from the rule set.")
    basis_amount = models.DecimalField(_("underlag (kr)"), max_digits=14, decimal_places=2)
    outcome_measures = models.TextField(_("utfallsmått som återbetalningen knyts till"), blank=True)
    exempt = models.BooleanField(_("undantagen från återföring"), default=False)
    exemption_reason = models.TextField(_("skäl för undantag"), blank=True)
    savings_expected_after_years = models.PositiveSmallIntegerField(
        _("besparingar väntas efter (år)"), null=True, blank=True
    )
    rests_on_controlled_studies = models.BooleanField(
        _("bygger på studier med försöks- och kontrollgrupp"), default=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("återbetalningsplan")
        verbose_name_plural = _("återbetalningsplaner")

    def __str__(self):
        return f"{self.case}: {self.get_status_display()}"

    @property
    def owed(self):
        """What the plan asks to be repaid in total (nothing for an exempt effort)."""
        return sum((i.amount for i in self.installments.all()), Decimal("0.00"))


class Installment(models.Model):
    """What one payer (a unit of a kind the rule set names: Sundsvall's nämnd, Ale's sektor) repays
    in one year, through a reduced budget frame, and the outcome measure the repayment is tied to."""

    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="installments")
    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("betalare")
    )
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    outcome_measure = models.CharField(_("utfallsmått"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "year", "unit__name"]
        verbose_name = _("delbetalning")
        verbose_name_plural = _("delbetalningar")
        constraints = [models.UniqueConstraint(fields=["plan", "year", "unit"], name="one_installment_per_year_unit")]

    def __str__(self):
        return f"{self.year} {self.unit}: {self.amount}"
