"""API tokens: a BI tool or case-management system reads one municipality's data with one."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret():
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """Only the SHA-256 of the secret is stored; the secret is shown once, when the token is made."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("namn"), max_length=100, help_text=_("Vilket system som använder nyckeln, t.ex. Power BI.")
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("början av nyckeln"), max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
