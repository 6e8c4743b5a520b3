"""Money stays öre-exact on every database: SQLite adds decimal columns as floats, so without care
1 234,57 + 0,20 − 1 234,57 comes back as 0.200000000000045."""

from decimal import Decimal

import pytest

from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import EntryKind
from tests.funds.conftest import set_up_fund

pytestmark = pytest.mark.django_db


def test_a_reversed_entry_leaves_the_exact_sum_in_ore(people):
    users = people("sundsvall")
    fund = set_up_fund(users, reserved="1234.57")
    funds.record_reservation(fund, users["controller"], amount=Decimal("0.20"), year=2026, basis="KS § 9")
    first = fund.entries.get(kind=EntryKind.RESERVATION, amount=Decimal("1234.57"))
    funds.reverse_entry(first, users["controller"], reason="Fel belopp.")

    reserved = fund_selectors.fund_balances(fund).reserved
    assert str(reserved) == "0.20"
    assert reserved.as_tuple().exponent == -2
