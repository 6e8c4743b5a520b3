from django.db import models
from django.utils.translation import pgettext_lazy


class ProjectRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("project role", "projektägare")
    MANAGER = "manager", pgettext_lazy("project role", "projektledare")
    GROUP = "group", pgettext_lazy("project role", "projektgrupp")
    STEERING = "steering", pgettext_lazy("project role", "projektstyrgrupp")


# Who may write and submit the project's reports: the project manager, and the owner who answers
# for the project (Ystad: "projektledaren ser till att redovisningen kommer in till projektägaren").
REPORTING_ROLES = [ProjectRole.MANAGER, ProjectRole.OWNER]
