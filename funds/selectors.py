"""What the fund holds, read from its ledger: balances, what a fund or a case may still use, the
history for the chart and the table, the balance-requirement reconciliation. Nothing here writes;
the operations that do are in ``funds.services``.

Balances are never stored. They are sums over the ledger, computed here from one grouped query
(``fund_balances``) so the fund page stays at a fixed number of queries however long the ledger.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import money_sum
from municipalities.rulebook.sections import NO_MONEY_RULES, FundRules

from .enums import PAID_KINDS, EntryKind
from .models import Fund, LedgerEntry, PayoutPlan

ZERO = Decimal("0.00")
K = EntryKind


# ---- Balances ------------------------------------------------------------------------------------


@dataclass
class YearBalance:
    year: int
    reserved: Decimal = ZERO
    appropriated: Decimal = ZERO
    committed: Decimal = ZERO
    released: Decimal = ZERO
    carried_in: Decimal = ZERO
    carried_out: Decimal = ZERO
    paid: Decimal = ZERO
    frozen: Decimal = ZERO
    repaid: Decimal = ZERO
    written_off: Decimal = ZERO
    available: Decimal | None = None  # left of the year's appropriation; None without appropriations


@dataclass
class Balances:
    reserved: Decimal = ZERO
    appropriated: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    frozen: Decimal = ZERO
    repaid: Decimal = ZERO
    written_off: Decimal = ZERO
    available: Decimal = ZERO
    years: dict = field(default_factory=dict)

    def year(self, year):
        return self.years.get(year) or YearBalance(year=year)

    def available_in(self, year, policy):
        """What can still be committed in ``year``: the fund's available money, and where the
        rule set has yearly appropriations, no more than what is left of that year's."""
        if policy.uses_yearly_appropriation:
            return min(self.available, self.year(year).appropriated - self.year(year).committed)
        return self.available

    @property
    def year_list(self):
        return [self.years[y] for y in sorted(self.years)]


def compute_balances(rows, policy):
    """Balances from ledger sums: ``rows`` are (kind, year, from_year, amount). The one place
    that says what each kind of entry means for each balance."""
    balances = Balances()
    years = defaultdict(lambda: None)

    def year(y):
        if years[y] is None:
            years[y] = YearBalance(year=y)
        return years[y]

    for kind, y, from_year, amount in rows:
        if kind == K.RESERVATION:
            balances.reserved += amount
            year(y).reserved += amount
        elif kind == K.APPROPRIATION:
            balances.appropriated += amount
            year(y).appropriated += amount
        elif kind == K.COMMITMENT:
            balances.committed += amount
            year(y).committed += amount
        elif kind == K.RELEASE:
            balances.committed -= amount
            year(y).committed -= amount
            year(y).released += amount
        elif kind == K.CARRY_OVER:
            # Unused money of one year committed to the next: the total does not change.
            year(y).committed += amount
            year(y).carried_in += amount
            year(from_year).committed -= amount
            year(from_year).carried_out += amount
        elif kind in PAID_KINDS:
            balances.paid += amount
            year(y).paid += amount
        elif kind == K.FREEZE:
            balances.frozen += amount
            year(y).frozen += amount
        elif kind == K.REPAYMENT:
            balances.repaid += amount
            year(y).repaid += amount
        elif kind == K.WRITE_OFF:
            balances.written_off += amount
            year(y).written_off += amount
    source = balances.reserved if policy.holds_reservation else balances.appropriated
    balances.available = source + balances.repaid - balances.committed
    balances.years = {y: b for y, b in years.items() if b is not None}
    for b in balances.years.values():
        if policy.uses_yearly_appropriation:
            b.available = b.appropriated - b.committed
    return balances


def _rows(entries):
    grouped = entries.values("kind", "year", "from_year").annotate(total=money_sum("amount")).order_by()
    return [(r["kind"], r["year"], r["from_year"], r["total"]) for r in grouped]


def fund_balances(fund, policy=None):
    policy = policy or fund_policy(fund)
    return compute_balances(_rows(fund.entries.all()), policy)


def case_balances(fund, case, policy=None):
    policy = policy or fund_policy(fund)
    return compute_balances(_rows(fund.entries.filter(case=case)), policy)


@dataclass(frozen=True)
class AvailableMoney:
    """What a fund can still commit by its ledger on ``as_of``: in all, and in a year no more than
    is left of that year's appropriation where the rule set has yearly appropriations. The figure
    the prioritisation and the decision rounds read, never one typed in beside the ledger."""

    fund: Fund
    as_of: datetime.date
    balances: Balances
    policy: FundRules

    @property
    def total(self):
        return self.balances.available

    @property
    def yearly(self):
        return self.policy.uses_yearly_appropriation

    def in_year(self, year):
        return self.balances.available_in(year, self.policy)


def available_money(municipality):
    """The municipality's fund's available money by its ledger today, or None without a fund.
    Three queries, however long the ledger."""
    fund = Fund.objects.filter(municipality=municipality).select_related("municipality").first()
    if fund is None:
        return None
    policy = fund_policy(fund)
    return AvailableMoney(fund, timezone.localdate(), fund_balances(fund, policy), policy)


def granted_to_case():
    """What the fund has committed to a case (its commitments, a reversing entry netting its
    original), as a subquery on the case (``OuterRef("pk")``) for the case list to show, filter
    and sort by; None for a case granted nothing."""
    commitments = (
        LedgerEntry.objects.filter(case=OuterRef("pk"), kind=EntryKind.COMMITMENT)
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(commitments[:1], output_field=DecimalField(max_digits=16, decimal_places=2))


def money_left_in(municipality, year):
    """What the fund can still commit in ``year`` (None without a fund): a decision round that is
    held only if money remains reads it."""
    money = available_money(municipality)
    return None if money is None else money.in_year(year)


def money_rules(municipality):
    """The money section of the municipality's rule set in force (a plain reservation without one)."""
    ruleset = municipality.active_ruleset
    return ruleset.rules.money if ruleset else NO_MONEY_RULES


def fund_policy(fund):
    """The fund section of the rules in force: whether there are yearly appropriations and whether
    the money is held as a reservation, which the balances are reckoned by."""
    return money_rules(fund.municipality).fund


# ---- What the reports state ----------------------------------------------------------------------

# The fund stands below reporting, so reporting hands in its reader when the app is ready
# (reporting/apps.py): ``reader(case, year, report_id=None, whole_year=False)`` gives the cost a
# case's accepted reports state for the year (that report's figure, when one is named; with
# ``whole_year``, only from a report covering the year to its end), or None where none does.
_cost_readers = []


def register_reported_costs(reader):
    if reader not in _cost_readers:
        _cost_readers.append(reader)


def reported_costs(case, year, report_id=None, whole_year=False):
    """The costs (the outcome) an accepted report states for the case's ``year``: what a budget
    compensation may pay at most, and (``whole_year``) what was spent of the money paid out for
    the year. None when no accepted report states it."""
    for reader in _cost_readers:
        stated = reader(case, year, report_id=report_id, whole_year=whole_year)
        if stated is not None:
            return stated
    return None


# ---- A case's money ------------------------------------------------------------------------------


def commitment_by_year(case):
    """What has been committed to the case per year, after carry-overs and corrections."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        return {}
    return {b.year: b.committed for b in case_balances(fund, case).year_list}


def consumed(case):
    """The amount the case has consumed: paid out, less what was frozen unspent."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        return ZERO
    balances = case_balances(fund, case)
    return balances.paid - balances.frozen


def payout_plan_written(case):
    """Who wrote the payout plan, and when: the project start's step "Utbetalningsplan upprättad"
    stands for it (applications.selectors.RECORDED_STEPS). None before there is a plan."""
    plan = PayoutPlan.objects.filter(case=case).select_related("created_by").first()
    if plan is None:
        return None
    return plan.created_by, _("Utbetalningsplanen upprättades %(date)s.") % {
        "date": timezone.localdate(plan.created_at).isoformat()
    }


def payout_plan_approval(case):
    """Who approved the payout plan, and when: the step "Utbetalningsplanen godkänd" stands for it."""
    plan = PayoutPlan.objects.filter(case=case, approved_at__isnull=False).select_related("approved_by").first()
    if plan is None:
        return None
    return plan.approved_by, _("Utbetalningsplanen godkändes %(date)s.") % {
        "date": timezone.localdate(plan.approved_at).isoformat()
    }


# ---- Balance requirement (balanskravet) ---------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """Ystad's reconciliation against the balance requirement: the year's result with and without
    the social-investment costs, and how much of the reservation the year used."""

    year: int
    result: Decimal
    social_costs: Decimal  # paid out in the year, less what was frozen unspent
    reservation_left: Decimal  # reserved and repaid up to the year's end, less all costs so far

    @property
    def result_excluding(self):
        return self.result + self.social_costs

    @property
    def reservation_used(self):
        return self.social_costs


def reconciliation(fund, year, result, policy=None):
    balances = fund_balances(fund, policy)
    upto = [b for b in balances.year_list if b.year <= year]
    this = balances.year(year)
    return Reconciliation(
        year=year,
        result=result,
        social_costs=this.paid - this.frozen,
        reservation_left=sum((b.reserved + b.repaid - b.paid + b.frozen for b in upto), ZERO),
    )


# ---- Reading -------------------------------------------------------------------------------------


def ledger(fund):
    """The fund's entries, oldest first, with what the history table shows, in one query."""
    return fund.entries.select_related("case", "decision", "unit", "recorded_by", "reverses").order_by(
        "entry_date", "id"
    )


def history_points(fund, policy=None):
    """The fund's available money after each day's entries, for the chart: [(date, reserved +
    repaid, committed, paid, available)]. One query."""
    policy = policy or fund_policy(fund)
    rows = (
        fund.entries.values("entry_date", "kind", "year", "from_year")
        .annotate(total=money_sum("amount"))
        .order_by("entry_date")
    )
    points = []
    running = []
    current = None
    for row in rows:
        if current is not None and row["entry_date"] != current:
            points.append((current, compute_balances(running, policy)))
        current = row["entry_date"]
        running.append((row["kind"], row["year"], row["from_year"], row["total"]))
    if current is not None:
        points.append((current, compute_balances(running, policy)))
    return points


def default_year():
    return datetime.date.today().year
