from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The roof: demo data and the walk that moves cases along their rule sets. It knows every app;
    no app knows it."""

    name = "demo"
    verbose_name = _("Demodata")
