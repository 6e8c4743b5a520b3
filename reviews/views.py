from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.models import DecisionRound
from applications.selectors import cases_for_list
from core.permissions import own_municipality, permission_required
from core.refusals import DomainRefusedError, refuse

from . import selectors, services
from .forms import AssignReviewerForm, ProposalForm
from .models import ReviewAssignment

ANSWER_PREFIX = "answer-"


def _case_url(case):
    return reverse("applications:detail", args=[case.pk]) + "#bedomningar"


@login_required
@require_POST
def assign_reviewer(request, pk):
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    form = AssignReviewerForm(request.POST, candidates=selectors.reviewer_candidates(case))
    if not form.is_valid():
        messages.error(request, _("Välj en bedömare bland kommunens personal."))
        return redirect(_case_url(case))
    try:
        assignment = services.assign_reviewer(case, request.user, form.cleaned_data["reviewer"])
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("%(name)s är tilldelad som bedömare.") % {"name": assignment.reviewer})
    return redirect(_case_url(case))


@login_required
def save_review(request, pk, assignment_id):
    """The reviewer's own review. A refused one comes back with the answers and the comment as
    given and the reason beside the criterion it concerns; nothing is stored."""
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    assignment = get_object_or_404(ReviewAssignment.objects.select_related("review"), pk=assignment_id, case=case)
    if request.method != "POST":
        answers = {key: answer_value(value) for key, value in assignment.review.answers.items()}
        return _render_review(request, case, assignment, answers, assignment.review.comment)
    answers = {
        name.removeprefix(ANSWER_PREFIX): value
        for name, value in request.POST.items()
        if name.startswith(ANSWER_PREFIX)
    }
    comment = request.POST.get("comment", "")
    submit = "submit" in request.POST
    try:
        services.save_review(assignment, request.user, answers=answers, comment=comment, submit=submit)
    except DomainRefusedError as refusal:
        return _render_review(request, case, assignment, answers, comment, refusal=refusal, status=400)
    messages.success(request, _("Din bedömning är inlämnad.") if submit else _("Utkastet till bedömning är sparat."))
    return redirect(_case_url(case))


def answer_value(value):
    """A stored answer as the form posts it."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return "" if value is None else str(value)


def _render_review(request, case, assignment, answers, comment, *, refusal=None, status=200):
    may_review, reason = selectors.may_review(assignment, request.user)
    errors = getattr(refusal, "errors", {})
    criteria = selectors.stage_criteria(case, assignment.stage)
    return render(
        request,
        "reviews/review_page.html",
        {
            "case": case,
            "assignment": assignment,
            "stage": assignment.stage,
            "fields": [(c, answers.get(c.key, ""), errors.get(c.key, "")) for c in criteria],
            "comment": comment,
            "refusal": str(refusal) if refusal else "",
            "may_review": may_review,
            "reason": str(refusal) if refusal and not may_review else reason,
        },
        status=status,
    )


@login_required
@permission_required(
    "reviews.view_priorities",
    fn=own_municipality,
    message=gettext_lazy("Bara den beredande gruppen, controllern och beslutande organ ser prioriteringen."),
    given_as="municipality",
)
def priorities(request, municipality, round_id=None):
    """The prioritisation of the cases ready for decision: in a decision round, or (where the rule
    set has no rounds) all ready cases without one."""
    user = request.user
    rules = selectors.municipality_rules(user)
    rounds = list(DecisionRound.objects.filter(municipality=municipality))
    decision_round = get_object_or_404(DecisionRound, pk=round_id, municipality=municipality) if round_id else None
    page_url = request.path
    board = selectors.priority_board(user, municipality, decision_round)
    cases = [row.case for row in board.rows]
    proposal_form = ProposalForm(cases=cases)
    if request.method == "POST" and request.POST.get("action") == "proposal":
        proposal_form = ProposalForm(request.POST, cases=cases)
        if proposal_form.is_valid():
            try:
                services.record_proposal(
                    user,
                    municipality,
                    decision_round,
                    ranks=proposal_form.ranks(),
                    note=proposal_form.cleaned_data["note"],
                )
            except DomainRefusedError as refusal:
                refuse(request, refusal)
            else:
                messages.success(request, _("Förslaget är sparat."))
                return redirect(page_url)
    # What remains for each round's year, by the fund's ledger (the same figure its check reads).
    money = board.money
    rounds = [(r, money.in_year(r.meeting_date.year) if money else None) for r in rounds]
    return render(
        request,
        "reviews/priorities.html",
        {
            "board": board,
            "rules": rules,
            "rounds": rounds,
            "decision_round": decision_round,
            "proposal_form": proposal_form,
            "may_prioritise": user.has_perm("reviews.prioritise"),
            "prioritiser": rules.body_name(rules.prioritisation_role),
            "dimensions": list(rules.review.portfolio_dimensions),
        },
    )
