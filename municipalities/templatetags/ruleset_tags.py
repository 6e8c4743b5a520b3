from django import template
from django.utils.dates import MONTHS

from municipalities.rulebook import presentation

register = template.Library()


@register.filter
def rule_label(code, table_name):
    """{{ "sektor"|rule_label:"unit_kind" }} → "sektor" in plain Swedish."""
    return presentation.label(table_name, code)


@register.filter
def rule_labels(codes, table_name):
    return ", ".join(str(presentation.label(table_name, code)) for code in codes or [])


@register.simple_tag
def role_name(rules, role):
    """The municipality's name for ``role`` in the rule book ``rules``."""
    return presentation.role_name(rules, role)


@register.inclusion_tag("municipalities/_cite.html")
def cite(rule):
    """The guideline section a part of the rule book cites."""
    return {"cite": getattr(rule, "cite", None)}


@register.filter
def month_names(numbers):
    return ", ".join(str(MONTHS[number]) for number in numbers)
