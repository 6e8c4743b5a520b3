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


def format_number(value, places=None):
    """A number as Swedish documents print it: 1234.5 → '1 234,5'; 12.00 → '12' (a Decimal's
    trailing zeros go, unless ``places`` fixes how many decimals are shown: 0.5, places=2 →
    '0,50'). Non-breaking spaces between thousands, a decimal comma, a real minus sign."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign = "−" if number < 0 else ""
    whole, _point, decimals = f"{abs(number):f}".partition(".")
    text = group_thousands(whole)
    if decimals:
        text += f",{decimals}"
    return f"{sign}{text}"
