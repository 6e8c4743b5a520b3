from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from municipalities.rulebook.enums import CriterionKind, ReviewStage
from reviews import services
from reviews.forms import AssignReviewerForm
from reviews.results import RECOMMENDATION_RULE, WEIGHTED_TOTAL_RULE
from reviews.rules import is_staff_of

register = template.Library()


def answer_text(criterion, value):
    if value is None:
        return "–"
    if criterion.kind == CriterionKind.YES_NO:
        return _("ja") if value else _("nej")
    return str(value)


def _form_value(criterion, value):
    if value is None:
        return ""
    if criterion.kind == CriterionKind.YES_NO:
        return "ja" if value else "nej"
    return str(value)


@register.simple_tag(takes_context=True)
def case_reviews(context, case):
    """The case's reviews panel: the assign form for the preparing body, the user's own review
    form, and the results as far as the blindness rule lets the user see them. A fixed number of
    queries whatever the number of reviews. Applicant-only users see nothing of it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_staff_of(user, case):
        return ""
    assignments = services.case_assignments(case)
    stages = services.case_review_stages(case, user, assignments)
    for entry in stages:
        entry.table = [
            (
                result,
                [answer_text(result.criterion, a.review.answers.get(result.criterion.key)) for a in entry.submitted],
            )
            for result in (entry.summary.results if entry.summary else [])
        ]
        if entry.own is not None:
            answers = entry.own.review.answers
            entry.own_fields = [(c, _form_value(c, answers.get(c.key)), "") for c in entry.criteria]
            entry.own_answers = [(c, answer_text(c, answers.get(c.key))) for c in entry.criteria]
    may_assign, assign_refusal = services.may_assign(case, user)
    assign_form = None
    if may_assign:
        stage = services.review_stage(case)
        taken = [a.reviewer_id for a in assignments if a.stage == stage]
        assign_form = AssignReviewerForm(candidates=services.reviewer_candidates(case).exclude(pk__in=taken))
    current = services.review_stage(case)
    shows_refusal = user.has_role(services.assigning_role(case, current or ReviewStage.PREPARATION))
    if not stages and not assign_form and not shows_refusal:
        return ""
    return render_to_string(
        "reviews/_case_reviews.html",
        {
            "case": case,
            "stages": stages,
            "assign_form": assign_form,
            "assign_refusal": "" if may_assign or not shows_refusal else assign_refusal,
            "recommendation_rule": RECOMMENDATION_RULE,
            "weighted_total_rule": WEIGHTED_TOTAL_RULE,
        },
        request=request,
    )


@register.filter
def rank_field(form, case_id):
    """{{ proposal_form|rank_field:case.pk }}: the bound rank field of that case."""
    return form.field_for(case_id)


@register.filter
def get_title(titles, case_id):
    return titles.get(case_id, _("ärende %(id)s") % {"id": case_id})
