"""How a walk through the lifecycle (applications.walk: the demo and the tests) takes a transition
that is a decision: by recording the deciding body's decision at a meeting today, under the next
free §, and issuing nothing (the walk is not a meeting's record)."""

from django.utils import timezone

from applications.models import Case

from .models import Decision, DecisionKind
from .services import deciding_role, record_decision

KIND_OF_TRANSITION = {
    "abort": DecisionKind.ABORT,
    "continue_project": DecisionKind.CONTINUE,
    "extend": DecisionKind.EXTEND,
    "implement": DecisionKind.IMPLEMENT,
    "implement_partly": DecisionKind.IMPLEMENT_PARTLY,
    "decline_implementation": DecisionKind.NOT_IMPLEMENT,
}


def next_paragraph(municipality_id, body, meeting_date):
    """The first § not yet used at the body's meeting."""
    taken = set(
        Decision.objects.filter(municipality_id=municipality_id, body=body, meeting_date=meeting_date).values_list(
            "paragraph", flat=True
        )
    )
    number = 1
    while number in taken:
        number += 1
    return number


def decide(case, name, user, *, reason, new_end=None):
    """Record the decision that takes transition ``name``; returns the case as it is after it."""
    kind = KIND_OF_TRANSITION[name]
    rules = case.rules
    role = deciding_role(rules, kind)
    meeting_date = timezone.localdate()
    body = rules.body_name(role) if role else ""
    record_decision(
        user,
        cases=[case],
        kind=kind,
        meeting_date=meeting_date,
        paragraph=next_paragraph(case.municipality_id, body, meeting_date),
        reason=reason or "Enligt regelverket.",
        new_end=new_end,
    )
    return Case.objects.get(pk=case.pk)
