"""A person's calendar feed: the secret address their calendar program (Outlook) subscribes to."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret():
    # 256 bits from the OS's random source, URL-safe: an address nobody can guess.
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret of one person's iCal feed. A calendar program cannot log in, so the address
    itself is the key: only its SHA-256 is stored, and the address is shown once, when made.
    Renewing replaces the secret, and the old address stops working at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"))
    last_used_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return str(self.user)
