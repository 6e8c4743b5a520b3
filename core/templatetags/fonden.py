from django import template
from django.utils.safestring import mark_safe

from core.formatting import format_kronor, format_number
from core.forms import error_summary as summary_of
from core.forms import has_required_fields

register = template.Library()


@register.filter
def kr(value):
    """{{ amount|kr }} → 1 250 000 kr"""
    return format_kronor(value)


@register.filter
def tal(value, places=None):
    """{{ value|tal }} → 1 234,5; {{ value|tal:2 }} → 1 234,50 (Swedish decimals in documents)."""
    return format_number(value, None if places in (None, "") else int(places))


@register.inclusion_tag("core/_error_summary.html")
def error_summary(form, intro="", summary_id="error-summary"):
    """{% error_summary form %}: the count of the form's errors and a link to each field, shown
    first, focused when the page opens (static/js/fonden.js). ``intro`` says what happened
    (what was saved, what was not)."""
    items = summary_of(form)
    return {"items": items, "count": len(items), "summary_id": summary_id, "intro": intro}


@register.inclusion_tag("core/_required_legend.html")
def required_legend(form):
    """{% required_legend form %}: what the asterisk means, where the form marks a field with it.
    A form may say it in its own words (``required_legend``: the application's fields are needed
    to submit it, not to save a draft)."""
    shown = form is not None and has_required_fields(form)
    return {"shown": shown, "text": getattr(form, "required_legend", "")}


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The nodes render as always (escaped where they escape); what they give is kept as is.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render the part into ``name`` instead of the page,
    so a page can leave out a heading whose part has nothing to show (the case page's parts)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
