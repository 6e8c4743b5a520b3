from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who reads a comment: the municipality's staff only, or also the applicants of the case."""

    INTERNAL = "internal", _("intern (endast handläggare)")
    SHARED = "shared", _("delad med sökande")
