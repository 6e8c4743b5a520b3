from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Remisser")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "consultation.requested": _("Remiss skickad"),
                "consultation.delegated": _("Remiss delegerad"),
                "consultation.answered": _("Remissvar lämnat"),
            }
        )
