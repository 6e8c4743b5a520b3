from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reviews.results import RECOMMENDATION_RULE, WEIGHTED_TOTAL_RULE
from reviews.selectors import case_reviews_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def case_reviews(context, case):
    """The case's reviews panel (``reviews.selectors.case_reviews_panel``), or nothing where the
    user sees nothing of it."""
    request = context.get("request")
    panel = case_reviews_panel(case, getattr(request, "user", None))
    if panel is None:
        return ""
    return render_to_string(
        "reviews/_case_reviews.html",
        {**panel, "recommendation_rule": RECOMMENDATION_RULE, "weighted_total_rule": WEIGHTED_TOTAL_RULE},
        request=request,
    )


@register.filter
def rank_field(form, case_id):
    """{{ proposal_form|rank_field:case.pk }}: the bound rank field of that case."""
    return form.field_for(case_id)


@register.filter
def get_title(titles, case_id):
    return titles.get(case_id, _("ärende %(id)s") % {"id": case_id})
