from .services import generate_obligations

# A project's reports are planned when it starts, and planned again when an extension moves its end.
PLANNING_TRANSITIONS = {"start_project", "extend"}


def plan_reports(sender, *, case, name, user, **kwargs):
    if name in PLANNING_TRANSITIONS:
        generate_obligations(case)
