from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: the helpers every app stands on. It imports no app
    (tests/core/test_architecture.py)."""

    name = "core"
    verbose_name = _("Portal")
