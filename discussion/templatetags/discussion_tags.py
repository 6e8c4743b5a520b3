from django import template
from django.template.loader import render_to_string

from discussion.enums import Visibility
from discussion.forms import CommentForm
from discussion.rules import sees_internal_comments
from discussion.services import comment_threads

register = template.Library()


@register.simple_tag(takes_context=True)
def case_comments(context, case):
    """The case's comment threads the viewer may read, with the forms to write, in a fixed
    number of queries."""
    request = context["request"]
    user = request.user
    return render_to_string(
        "discussion/_case_comments.html",
        {
            "case": case,
            "threads": comment_threads(case, user),
            "sees_internal": sees_internal_comments(user),
            "form": CommentForm(auto_id="new-comment-%s"),
            "visibility_choices": Visibility.choices,
        },
        request=request,
    )
