from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def holding(self, role, municipality):
        """The active members of ``municipality`` who hold ``role``, each once, in a stable order."""
        return (
            self.filter(municipality=municipality, role_assignments__role=role, is_active=True)
            .distinct()
            .order_by("pk")
        )


class User(AbstractUser):
    """Logs in with e-mail. Belongs to one municipality; a system admin (superuser) has none
    and sees all."""

    username = None
    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("enhet"),
        help_text=_("Den förvaltning, sektor eller det kontor användaren arbetar på."),
    )
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demokonto"), default=False)
    language = models.CharField(
        _("språk"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="sv",
        help_text=_("Språket i aviseringar och e-post till användaren."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_system_admin(self):
        return self.is_superuser

    def role_set(self):
        """The user's roles, cached per request on the instance."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(assignment.role for assignment in self.role_assignments.all())
        return self._role_cache

    def has_role(self, role):
        return role in self.role_set()


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"
