from django import template

from accounts.rules import is_staff_member
from applications.enums import CaseState
from decisions import services
from decisions.forms import DecisionForm, LifecycleDecisionForm, ProposalForm
from decisions.rules import ISSUE_BASIS
from decisions.selectors import proposal_text

register = template.Library()

STAFF_STATES_FOR_BASIS = [CaseState.IN_PREPARATION, CaseState.READY_FOR_DECISION]


@register.inclusion_tag("decisions/_case_decisions.html", takes_context=True)
def case_decisions(context, case):
    """Decisions and issued documents of the case, and the decision form for the decision body."""
    user = context["request"].user
    rules = case.rules
    is_staff = is_staff_member(user)
    documents = list(services.case_documents(case))
    dispatches = list(case.letter_dispatches.select_related("letter", "requested_by"))
    may_decide = services.may_decide(case, user)
    lifecycle_form = getattr(context["request"], "lifecycle_decision_form", None)
    if lifecycle_form is None:
        kinds = services.lifecycle_kinds_for(case, user) if is_staff else []
        lifecycle_form = LifecycleDecisionForm(kinds=kinds, user=user) if kinds else None
    may_issue_basis = case.state in STAFF_STATES_FOR_BASIS and ISSUE_BASIS.check(user, case)[0]
    return {
        "lifecycle_form": lifecycle_form,
        "case": case,
        "documents": documents,
        "dispatches": dispatches,
        "failed_letters": list(dict.fromkeys(d.letter for d in dispatches if d.failed)),
        "may_resend_letter": any(d.failed for d in dispatches) and user.has_perm("decisions.resend_letter", case),
        "is_staff": is_staff,
        "may_issue_basis": may_issue_basis,
        "proposal_form": ProposalForm(initial={"proposal": proposal_text(case)}) if may_issue_basis else None,
        "may_decide": may_decide,
        "form": DecisionForm(cases=[case], user=user) if may_decide else None,
        "may_decide_group": may_decide and rules.may_decide_group,
        "body": rules.body_name(rules.decision_role),
        "csrf_token": context.get("csrf_token"),
    }
