from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepaymentConfig(AppConfig):
    name = "repayment"
    verbose_name = _("Återbetalning")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "case.repayment_plan_drafted": _("Återbetalningsplan upprättad"),
                "case.repayment_plan_approved": _("Återbetalningsplan godkänd"),
                "case.repayment_plan_closed": _("Återbetalningsplan avslutad"),
                "case.repaid": _("Återbetalning bokförd"),
            }
        )
