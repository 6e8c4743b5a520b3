"""Sums of money that stay öre-exact on every database.

SQLite adds decimal columns as floats, and Django turns an aggregate's float into a Decimal of 15
significant digits: 1 234,57 + 0,20 − 1 234,57 comes back as 0.200000000000045. Every term is a
whole number of öre, and a float keeps far more digits than a fund's sums need, so rounding the
sum to öre gives back the exact figure. PostgreSQL sums exactly; the rounding changes nothing there.
"""

from decimal import Decimal

from django.db.models import DecimalField, Func, Sum

ORE = Decimal("0.01")


class ExactMoney(Func):
    """A money expression (a sum, or a subquery or coalesce of one) read back as öre-exact
    ``Decimal``. It adds nothing to the SQL."""

    template = "%(expressions)s"
    output_field = DecimalField(max_digits=14, decimal_places=2)

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), _to_ore]


def money_sum(field):
    """``Sum`` of an amount in kronor with öre, as an exact ``Decimal``."""
    return ExactMoney(Sum(field))


def _to_ore(value, expression, connection):
    return None if value is None else Decimal(value).quantize(ORE)
