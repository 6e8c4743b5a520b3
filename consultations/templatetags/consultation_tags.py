from django import template
from django.utils import timezone

from accounts.rules import is_staff_member
from consultations.models import Position
from consultations.services import (
    OPEN_FOR_CONSULTATION,
    delegation_allowed,
    delegation_candidates,
    may_answer,
    may_request_consultation,
)

register = template.Library()


@register.inclusion_tag("consultations/_case_consultations.html", takes_context=True)
def case_consultations(context, case):
    """The case's consultations, with what this user may do; a fixed number of queries."""
    user = context["request"].user
    consultations = list(case.consultations.select_related("unit", "delegate", "answered_by", "requested_by"))
    is_staff = is_staff_member(user)
    delegating = delegation_allowed(case)
    rows = []
    for consultation in consultations:
        consultation.case = case
        allowed, reason = may_answer(consultation, user)
        candidates = (
            delegation_candidates(consultation) if delegating and allowed and not consultation.delegate_id else []
        )
        rows.append({"consultation": consultation, "may_answer": allowed, "reason": reason, "candidates": candidates})
    may_request = may_request_consultation(case, user) and case.state in OPEN_FOR_CONSULTATION
    return {
        "case": case,
        "rows": rows,
        "visible": is_staff and (rows or may_request),
        "may_request": may_request,
        "units": case.municipality.units.filter(kind__in=["namnd", "forvaltning", "kontor", "sektor"])
        if may_request
        else [],
        "positions": Position.choices,
        "delegation_allowed": delegating,
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
    }
