"""Form fields every app uses: amounts in kronor and dates, as Swedish users type them."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class KronorField(forms.DecimalField):
    """An amount in kronor with öre as people type it: '1 250 000', '1250000,50' or '1 250 000 kr',
    shown back the same way (a decimal comma, no trailing zeros). Not negative unless the field
    says so (``min_value=None``, e.g. a year's result)."""

    def __init__(self, *, min_value=Decimal(0), **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("label", _("Belopp (kr)"))
        kwargs["error_messages"] = {
            "min_value": _("Beloppet kan inte vara negativt."),
            "max_decimal_places": _("Ange beloppet i kronor och öre: högst två decimaler."),
            "max_digits": _("Beloppet är för stort."),
            "max_whole_digits": _("Beloppet är för stort."),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(min_value=min_value, **kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("kr", "").replace("\xa0", "").replace(" ", "").replace("−", "-").replace(",", ".")
            if value:
                try:
                    Decimal(value)
                except InvalidOperation as error:
                    raise ValidationError(
                        _("Skriv beloppet i kronor, till exempel 1 250 000."), code="invalid"
                    ) from error
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",") if value % 1 else f"{int(value)}"
        return value
