"""Swedish number formats as municipal documents write them, whatever the active language."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\xa0"


def group_thousands(digits):
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def format_kronor(value):
    """1250000 → '1 250 000 kr'; 1250000.5 → '1 250 000,50 kr' (non-breaking spaces, öre shown
    only when there are any). Accepts Decimal, int or a numeric string; never a float's rounding."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "−" if amount < 0 else ""
    kronor, ore = f"{abs(amount):.2f}".split(".")
    text = group_thousands(kronor)
    if ore != "00":
        text += f",{ore}"
    return f"{sign}{text}{NBSP}kr"
