from django import template

from core.formatting import format_kronor

register = template.Library()


@register.filter
def kr(value):
    """{{ amount|kr }} → 1 250 000 kr"""
    return format_kronor(value)
