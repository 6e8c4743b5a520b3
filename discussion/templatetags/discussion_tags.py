from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def case_comments(context, case):
    """The case's comment thread (built in the discussion app)."""
    return ""
