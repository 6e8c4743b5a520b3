from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ProjectRole


class ProjectMember(models.Model):
    """One person in a granted project's organisation, in one role; a project group member
    represents one participating party (a unit or an external actor)."""

    case = models.ForeignKey("applications.Case", on_delete=models.CASCADE, related_name="project_members")
    role = models.CharField(_("roll"), max_length=20, choices=ProjectRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_roles")
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("företräder enhet"),
    )
    external_actor = models.ForeignKey(
        "municipalities.ExternalActor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("företräder extern aktör"),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("projektmedlem")
        verbose_name_plural = _("projektorganisation")
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "user"], name="one_role_per_person_and_project"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(role="manager"), name="one_project_manager_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"
