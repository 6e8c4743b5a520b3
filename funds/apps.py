from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Fonden och dess huvudbok")

    def ready(self):
        from applications.checks import register_money_left
        from audit.labels import register_actions

        from .services import money_left_in

        # A decision round held only if money remains reads what is left from the fund's ledger.
        register_money_left(money_left_in)

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
