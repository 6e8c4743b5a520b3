from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """A granted project's organisation: who manages it, owns it, works in it and steers it. Below
    evaluation and reporting, which both ask it who writes the project's reports."""

    name = "projects"
    verbose_name = _("Projektorganisation")

    def ready(self):
        from applications.models import register_case_parties
        from audit.labels import register_actions

        register_actions({"project.organisation": _("Projektorganisationen ändrad")})
        # A project manager or owner named from outside the applying units sees the project, to
        # report on it.
        register_case_parties("project_members__user")
