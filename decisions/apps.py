from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Beslut och handlingar")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "decision.recorded": _("Beslut protokollfört"),
                "case.design_changed": _("Upplägget ändrat genom beslut"),
                "document.issued": _("Handling upprättad"),
                "decision.proposal_written": _("Förslag till beslut skrivet"),
                "decision.letter_sent": _("Beslutsbrev expedierat"),
            }
        )
