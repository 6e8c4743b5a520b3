from projects.services import ensure_project_manager

from .services import generate_obligations

# A project's reports are planned when it starts, and planned again when an extension moves its end.
PLANNING_TRANSITIONS = {"start_project", "extend"}
# The applicant is the project manager from the start until the organisation names another.
MANAGED_FROM = {"begin_start", "start_project"}


def plan_reports(sender, *, case, name, user, **kwargs):
    if name in MANAGED_FROM:
        ensure_project_manager(case)
    if name in PLANNING_TRANSITIONS:
        generate_obligations(case)
