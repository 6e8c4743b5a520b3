from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Kommuner och regelverk")

    def ready(self):
        from audit.labels import register_actions, register_states

        from .enums import RuleSetStatus

        register_states(RuleSetStatus)
        register_actions(
            {
                "ruleset.created": _("Ny regelverksversion skapad"),
                "ruleset.edited": _("Utkastet ändrat"),
                "ruleset.activated": _("Versionen satt i kraft"),
                "ruleset.retired": _("Versionen ersatt"),
                "unit.head_designated": _("Chef och ersättare utsedda"),
            }
        )
