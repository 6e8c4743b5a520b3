from django import template

from applications.enums import CaseState
from decisions.models import DecisionKind
from decisions.services import asked_total

register = template.Library()

STAFF_STATES_FOR_BASIS = [CaseState.IN_PREPARATION, CaseState.READY_FOR_DECISION]


@register.inclusion_tag("decisions/_case_decisions.html", takes_context=True)
def case_decisions(context, case):
    """Decisions and issued documents of the case, and the decision form for the decision body."""
    user = context["request"].user
    rules = case.rules
    is_staff = user.is_staff_member
    documents = list(case.documents.select_related("issued_by", "replaces").order_by("issued_at"))
    may_decide = case.state == CaseState.READY_FOR_DECISION and user.has_role(rules.decision_role)
    return {
        "case": case,
        "documents": documents,
        "is_staff": is_staff,
        "may_issue_basis": case.state in STAFF_STATES_FOR_BASIS and user.has_role(rules.decision_basis_role),
        "may_decide": may_decide,
        "kinds": [(k, label) for k, label in DecisionKind.choices if k in ("grant", "grant_lower", "reject")],
        "asked": asked_total(case) if may_decide else None,
        "costs": list(case.costs.all()) if may_decide else [],
        "body": rules.body_name(rules.decision_role),
        "csrf_token": context.get("csrf_token"),
    }
