from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Fonden och dess huvudbok")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "fund.created": _("Fonden inrättad"),
                "fund.entry": _("Post bokförd i fonden"),
                "fund.year_closed": _("År stängt"),
                "case.money": _("Post bokförd i fonden"),
                "case.payout_plan_saved": _("Utbetalningsplan sparad"),
                "case.payout_plan_approved": _("Utbetalningsplan godkänd"),
            }
        )
