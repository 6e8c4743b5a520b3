"""How a walk through the lifecycle (demo.walk: the demo and the tests) takes a transition
that is a decision: by recording the deciding body's decision at a meeting today, under the next
§ of the year's minutes. Its documents are issued by whoever walks (the demo issues them)."""

from django.utils import timezone

from applications.models import Case
from decisions.models import Decision, DecisionKind
from decisions.services import record_decision

# The two members who check the demo's minutes (justerare) the day of the meeting.
DEMO_ADJUSTERS = "Gunnel Granskare, Jonas Justerare"

KIND_OF_TRANSITION = {
    "abort": DecisionKind.ABORT,
    "continue_project": DecisionKind.CONTINUE,
    "extend": DecisionKind.EXTEND,
    "implement": DecisionKind.IMPLEMENT,
    "implement_partly": DecisionKind.IMPLEMENT_PARTLY,
    "decline_implementation": DecisionKind.NOT_IMPLEMENT,
}


def next_paragraph(municipality_id, meeting_date):
    """The next § of the year's minutes, numbered as demo.walk.decide numbers a grant."""
    taken = Decision.objects.filter(municipality_id=municipality_id, meeting_date__year=meeting_date.year)
    return max(taken.values_list("paragraph", flat=True), default=0) + 1


def decide(case, name, user, *, reason, new_end=None):
    """Record the decision that takes transition ``name``; returns the case as it is after it."""
    kind = KIND_OF_TRANSITION[name]
    meeting_date = timezone.localdate()
    record_decision(
        user,
        cases=[case],
        kind=kind,
        meeting_date=meeting_date,
        paragraph=next_paragraph(case.municipality_id, meeting_date),
        reason=reason or "Enligt regelverket.",
        new_end=new_end,
        secretary=user.full_name,
        adjusters=DEMO_ADJUSTERS,
        adjusted_on=meeting_date,
    )
    return Case.objects.get(pk=case.pk)
