"""A municipality's social investment fund and its ledger. The ledger is append-only: balances are
sums over its entries, never stored, and a correction is a reversing entry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AppendOnlyModel, AppendOnlyQuerySet
from municipalities.models import Municipality

from .enums import EntryKind


class FundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Funds of the municipalities the user may see (the one tenant scope, reused)."""
        return self.filter(municipality__in=Municipality.objects.visible_to(user))


class Fund(models.Model):
    """The fund of one municipality. Its row is locked while money is committed or moved, so two
    decisions at the same moment cannot together spend more than it holds."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="fund")
    name = models.CharField(_("namn"), max_length=200)
    closed_through = models.PositiveSmallIntegerField(
        _("stängt till och med år"), null=True, blank=True, help_text=_("Inga poster kan bokas på ett stängt år.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("fond")
        verbose_name_plural = _("fonder")

    def __str__(self):
        return self.name

    def is_closed(self, year):
        return self.closed_through is not None and year <= self.closed_through


class LedgerEntryQuerySet(AppendOnlyQuerySet):
    def for_case(self, case):
        return self.filter(case=case)


class LedgerEntry(AppendOnlyModel):
    """One movement of money. Amounts are positive; only a reversing entry (``reverses``) carries
    the negated amount of the entry it corrects."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("slag"), max_length=20, choices=EntryKind.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    from_year = models.PositiveSmallIntegerField(
        _("från år"),
        null=True,
        blank=True,
        help_text="A carry-over: the year the money leaves. A repayment or write-off: the installment's year.",
    )
    entry_date = models.DateField(_("datum"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    case = models.ForeignKey(
        "applications.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nämnd eller verksamhet"),
    )
    basis = models.CharField(
        _("beslut eller underlag"), max_length=300, blank=True, help_text=_("Till exempel KF 2025-11-24 § 183.")
    )
    report_id = models.PositiveIntegerField(_("rapport"), null=True, blank=True)
    reference = models.CharField(_("referens"), max_length=200, blank=True)
    account = models.CharField(_("konto"), max_length=20, blank=True)
    project_number = models.CharField(_("projektnummer"), max_length=40, blank=True)
    summary_code = models.CharField(_("summeringskod"), max_length=20, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("rättar"),
    )
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bokförd av")
    )
    recorded_at = models.DateTimeField(_("bokförd"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["entry_date", "id"]
        verbose_name = _("fondpost")
        verbose_name_plural = _("fondposter")
        indexes = [models.Index(fields=["fund", "year", "kind"]), models.Index(fields=["case", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(reverses__isnull=False), name="ledger_negative_only_as_reversal"
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(case__isnull=False) | ~Q(basis=""),
                name="ledger_entry_rests_on_something",
            ),
        ]

    def __str__(self):
        return f"{self.entry_date} {self.get_kind_display()} {self.amount}"

    @property
    def is_reversal(self):
        return self.reverses_id is not None


class PayoutPlan(models.Model):
    """The applicants' plan for paying out a grant (Ale), approved by the body the rule set names
    before the first payout."""

    case = models.OneToOneField("applications.Case", on_delete=models.PROTECT, related_name="payout_plan")
    description = models.TextField(_("utbetalningsplan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)

    class Meta:
        verbose_name = _("utbetalningsplan")
        verbose_name_plural = _("utbetalningsplaner")

    def __str__(self):
        return f"{self.case}: {self.description[:40]}"

    @property
    def is_approved(self):
        return self.approved_at is not None
