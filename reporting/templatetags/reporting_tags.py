from django import template
from django.utils import timezone

from applications.enums import CaseState
from projects.organisation import project_manager, project_owners

from ..models import REPORT_WRITING_STATES, WRITABLE_STATUSES

register = template.Library()

# The project section shows from the grant on; before it there is no project to follow.
PROJECT_STATES = {
    CaseState.GRANTED,
    CaseState.STARTING,
    CaseState.RUNNING,
    CaseState.EXTENDED,
    CaseState.ABORT_PROPOSED,
    CaseState.ABORTED,
    CaseState.FINAL_REPORT,
    CaseState.EVALUATED,
    CaseState.IMPLEMENTED,
    CaseState.PARTLY_IMPLEMENTED,
    CaseState.NOT_IMPLEMENTED,
}


@register.inclusion_tag("reporting/_case_reporting.html")
def case_reporting(case):
    """The project's manager and owners and its reports, each linking to its form."""
    if case.state not in PROJECT_STATES:
        return {"show": False}
    today = timezone.localdate()
    obligations = list(case.reporting_obligations.order_by("due_date", "id"))
    # A project that has ended (aborted, evaluated) owes no more reports: those not handed in
    # lapse, and are never overdue.
    still_reporting = case.state in REPORT_WRITING_STATES
    for obligation in obligations:
        owed = obligation.status in WRITABLE_STATUSES
        obligation.is_overdue = still_reporting and owed and obligation.due_date < today
        obligation.has_lapsed = not still_reporting and owed
    return {
        "show": True,
        "case": case,
        "manager": project_manager(case),
        "owners": project_owners(case),
        "obligations": obligations,
    }


@register.filter(name="project_manager")
def project_manager_filter(case):
    """{{ case|project_manager }}: reads the case's prefetched organisation."""
    return project_manager(case)
