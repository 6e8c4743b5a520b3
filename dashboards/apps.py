from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Översikt")

    def ready(self):
        from audit.labels import register_actions

        register_actions({"calendar.feed_renewed": _("Kalenderadress skapad eller förnyad")})
