"""Who is who in a granted project, read from its organisation (``case.project_members``, prefetched
where lists need it). Evaluation and reporting both ask it who writes the project's reports."""

from .enums import REPORTING_ROLES, ProjectRole


def project_manager(case):
    """The project manager; until one is named, the person who wrote the application."""
    manager = next((m.user for m in case.project_members.all() if m.role == ProjectRole.MANAGER), None)
    return manager or case.created_by


def project_owners(case):
    return [m.user for m in case.project_members.all() if m.role == ProjectRole.OWNER]


def is_reporter(case, user):
    """Whether ``user`` writes the project's reports (and enters its measured values): its manager
    or one of its owners."""
    if project_manager(case).pk == user.pk:
        return True
    return any(m.user_id == user.pk and m.role in REPORTING_ROLES for m in case.project_members.all())
