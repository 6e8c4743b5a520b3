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


def mark_required_to_submit(form, names):
    """Mark fields a draft may leave empty but the submission needs: the label shows the
    asterisk (``required_to_submit``) and assistive technology hears it (``aria-required``).
    A group of boxes has no single control to carry the attribute; its legend says it."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.required_to_submit = True
        if not field.widget.use_fieldset:
            field.widget.attrs["aria-required"] = "true"


def error_anchor(bound_field):
    """The id of the control a link to the field's error should reach: the field itself, or the
    first box of a group of boxes (whose own id names no element)."""
    if bound_field.field.widget.use_fieldset:
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def error_summary(form):
    """[(anchor, label, message)] of every error of the form, in the form's order: the errors of
    the whole form first, then each field's. A whole-form error links where the form says it is
    fixed (``form.error_links``: message → address), else nowhere."""
    if form is None or not form.is_bound or not form.errors:
        return []
    links = getattr(form, "error_links", {})
    items = [(links.get(str(message), ""), "", str(message)) for message in form.non_field_errors()]
    for bound_field in form:
        # A hidden field has nothing to reach and no label people saw: its message stands alone.
        anchor, label = ("", "") if bound_field.is_hidden else (f"#{error_anchor(bound_field)}", bound_field.label)
        items += [(anchor, label or "", str(message)) for message in bound_field.errors]
    return items


def has_required_fields(form):
    """Whether any visible field of the form is marked as required (for the legend of the mark)."""
    return any(
        bound_field.field.required or getattr(bound_field.field, "required_to_submit", False)
        for bound_field in form
        if not bound_field.is_hidden
    )
