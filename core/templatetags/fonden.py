from django import template

from core.formatting import format_kronor, format_number

register = template.Library()


@register.filter
def kr(value):
    """{{ amount|kr }} → 1 250 000 kr"""
    return format_kronor(value)


@register.filter
def tal(value, places=None):
    """{{ value|tal }} → 1 234,5; {{ value|tal:2 }} → 1 234,50 (Swedish decimals in documents)."""
    return format_number(value, None if places in (None, "") else int(places))
