from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Fonden och dess huvudbok")

    def ready(self):
        from applications.checks import register_money_left
        from applications.selectors import register_granted_amount, register_recorded_step
        from audit.labels import register_actions
        from municipalities.rulebook import PAYOUT_PLAN_APPROVED_STEP, PAYOUT_PLAN_STEP

        from . import selectors

        # A decision round held only if money remains reads what is left from the fund's ledger.
        register_money_left(selectors.money_left_in)
        # The case list shows, filters and sorts by the amount granted, which the ledger keeps.
        register_granted_amount(selectors.granted_to_case)
        # The project start's payout-plan steps are done by the plan and its approval, made here.
        register_recorded_step(
            "start",
            PAYOUT_PLAN_STEP,
            record=selectors.payout_plan_written,
            where=_("Görs när de sökande sparar utbetalningsplanen under Fondmedel och återbetalning."),
        )
        register_recorded_step(
            "start",
            PAYOUT_PLAN_APPROVED_STEP,
            record=selectors.payout_plan_approval,
            where=_("Görs när utbetalningsplanen godkänns under Fondmedel och återbetalning."),
        )

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
