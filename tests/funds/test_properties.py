"""Invariants of the ledger under random use: whatever sequence of operations anyone tries, the
balances equal the sums of their entries, available money never goes below zero, a case is
never paid more than committed to it, a refused operation writes nothing, and no entry is ever
changed or deleted."""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from applications.enums import CaseState as S
from applications.services.content import create_case
from demo.walk import walk_to
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import PAID_KINDS, EntryKind
from funds.models import LedgerEntry
from tests.funds.conftest import accepted_report, kr, set_up_fund

pytestmark = pytest.mark.django_db
K = EntryKind
YEARS = [2026, 2027, 2028]
OPERATIONS = [
    *["reserve", "appropriate", "commit", "commit", "commit", "pay", "pay", "pay", "pay"],
    *["freeze", "freeze", "carry", "carry", "repay", "reverse"],
]


# What the cases' accepted reports say was spent each year: a freeze may take only the rest.
SPENT = {2026: kr(50_000), 2027: kr(0), 2028: kr(0)}


class Operation(NamedTuple):
    name: str
    case: int
    year: int
    amount: Decimal
    pick: int


amounts = st.one_of(
    st.integers(min_value=1, max_value=60).map(lambda n: Decimal(n * 10_000)),
    st.integers(min_value=1, max_value=10).map(lambda n: Decimal(n * 1_000)),
    st.integers(min_value=1, max_value=60_000_000).map(lambda n: Decimal(n) / 100),  # kronor and öre
    st.sampled_from([Decimal("0"), Decimal("-100"), Decimal("0.001")]),  # refused
)
operations = st.builds(
    Operation,
    name=st.sampled_from(OPERATIONS),
    case=st.sampled_from([0, 0, 0, 1]),
    year=st.sampled_from([2026, 2026, 2027, 2028]),
    amount=amounts,
    pick=st.integers(min_value=0, max_value=100),
)


@pytest.fixture
def sundsvall(people, today):
    """Sundsvall's rule set uses every kind: appropriations capped by the reservation, internal
    grants, frozen money and carry-over. Two granted cases (granted by the lifecycle alone, so
    the random operations do the committing)."""
    users = people("sundsvall")
    cases = [walk_to(create_case(users["applicant"], title=t), S.GRANTED, users) for t in ("A", "B")]
    return users, cases


def aimed(operation, fund, case):
    """Aim a payout, freeze or carry-over at a year the case has money in, and every third time at
    exactly what is left there (the boundary), so they get through as often as they are refused."""
    years = [b for b in fund_selectors.case_balances(fund, case).year_list if b.committed > 0]
    if operation.name not in ("pay", "freeze", "carry") or not years:
        return operation.year, operation.amount
    chosen = years[operation.pick % len(years)]
    if operation.pick % 3:
        return chosen.year, operation.amount
    unspent = chosen.paid - chosen.frozen - SPENT[chosen.year]
    left = {"pay": chosen.committed - chosen.paid, "freeze": unspent}
    return chosen.year, left.get(operation.name, chosen.committed - chosen.paid)


def apply(operation, fund, users, cases):
    controller = users["controller"]
    case = cases[operation.case]
    year, amount = aimed(operation, fund, case)
    if operation.name == "commit" and amount <= 0:
        raise funds.FundRefusedError("not a grant")  # the decision service refuses these first
    if operation.name == "reverse":
        entries = list(fund.entries.order_by("id"))
        if not entries:
            raise funds.FundRefusedError("nothing to reverse")
        return funds.reverse_entry(entries[operation.pick % len(entries)], controller, reason="Rättelse.")
    calls = {
        "reserve": lambda: funds.record_reservation(fund, controller, amount=amount, year=year, basis="KF"),
        "appropriate": lambda: funds.record_appropriation(fund, controller, amount=amount, year=year, basis="MRP"),
        "commit": lambda: funds.commit_grant(case, None, {year: amount}, controller),
        "pay": lambda: funds.record_payout(case, controller, amount=amount, year=year, project_number="11-1"),
        "freeze": lambda: funds.record_freeze(case, controller, amount=amount, year=year),
        "carry": lambda: funds.record_carry_over(case, controller, amount=amount, from_year=year, basis="KS"),
        "repay": lambda: funds.record_repayment_entry(
            case, controller, kind=K.REPAYMENT, amount=amount, year=year, unit=None, installment_year=year
        ),
    }
    return calls[operation.name]()


def snapshot(fund):
    return {
        e.pk: (e.kind, e.year, e.from_year, e.amount, e.case_id, e.reverses_id, e.entry_date, e.recorded_by_id)
        for e in LedgerEntry.objects.filter(fund=fund)
    }


def sums_by_hand(entries):
    """The balances, summed directly from the entries, without the service's code."""
    totals = defaultdict(Decimal)
    committed = defaultdict(Decimal)
    appropriated = defaultdict(Decimal)
    for kind, year, from_year, amount, *_rest in entries:
        totals[kind] += amount
        if kind == K.COMMITMENT:
            committed[year] += amount
        if kind == K.CARRY_OVER:
            committed[year] += amount
            committed[from_year] -= amount
        if kind == K.APPROPRIATION:
            appropriated[year] += amount
    return totals, committed, appropriated


def check_invariants(fund, cases, entries):
    policy = fund_selectors.fund_policy(fund)
    balances = fund_selectors.fund_balances(fund, policy)
    totals, committed, appropriated = sums_by_hand(entries)
    assert balances.reserved == totals[K.RESERVATION]
    assert balances.appropriated == totals[K.APPROPRIATION]
    assert balances.committed == totals[K.COMMITMENT]
    assert balances.paid == sum((totals[k] for k in PAID_KINDS), Decimal(0))
    assert balances.frozen == totals[K.FREEZE]
    assert balances.repaid == totals[K.REPAYMENT]
    assert balances.available == totals[K.RESERVATION] + totals[K.REPAYMENT] - totals[K.COMMITMENT]
    assert balances.available >= 0
    for year in YEARS:
        assert balances.year(year).committed == committed[year]
        assert balances.year(year).appropriated == appropriated[year]
        assert committed[year] <= appropriated[year], f"{year} overcommitted"
        assert appropriated[year] <= totals[K.RESERVATION] + totals[K.REPAYMENT]
    for case in cases:
        for b in fund_selectors.case_balances(fund, case, policy).year_list:
            assert 0 <= b.frozen <= b.paid <= b.committed, (case.pk, b)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    # Shrinking database-backed sequences takes minutes; the failing example says enough.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(operations, min_size=1, max_size=25))
def test_random_ledger_use_keeps_the_balances_and_the_entries(sundsvall, sequence):
    users, cases = sundsvall
    with transaction.atomic():
        # Begin with money in the fund, so grants and payouts get through as often as they are refused.
        fund = set_up_fund(users, reserved=2_000_000, appropriations=dict.fromkeys(YEARS, 600_000))
        funds.commit_grant(cases[0], None, dict.fromkeys(YEARS, kr(200_000)), users["controller"])
        for case in cases:
            accepted_report(case, SPENT)
        seen = snapshot(fund)
        for operation in sequence:
            before = snapshot(fund)
            try:
                apply(operation, fund, users, cases)
            except funds.FundRefusedError as refusal:
                assert str(refusal).strip()  # noqa: PT017 - many operations, one refusal type
                assert snapshot(fund) == before, f"refused {operation} wrote something"
            now = snapshot(fund)
            assert {pk: now[pk] for pk in seen} == seen, "an entry was changed or deleted"
            seen = now
            check_invariants(fund, cases, list(now.values()))
        transaction.set_rollback(True)  # each example starts from an empty fund
