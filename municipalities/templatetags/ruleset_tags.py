from django import template
from django.utils.dates import MONTHS

from municipalities import presentation

register = template.Library()


@register.filter
def rule_label(code, table_name):
    """{{ "sektor"|rule_label:"unit_kind" }} → "sektor" in plain Swedish."""
    return presentation.label(table_name, code)


@register.filter
def rule_labels(codes, table_name):
    return ", ".join(str(presentation.label(table_name, code)) for code in codes or [])


@register.simple_tag
def role_name(document, role):
    return presentation.role_name(document, role)


@register.inclusion_tag("municipalities/_cite.html")
def cite(rule):
    return {"cite": (rule or {}).get("cite")}


@register.filter
def month_names(numbers):
    return ", ".join(str(MONTHS[number]) for number in numbers)
