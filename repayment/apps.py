from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepaymentConfig(AppConfig):
    name = "repayment"
    verbose_name = _("Återbetalning")

    def ready(self):
        from audit.labels import register_actions, register_states

        from .models import PLAN_STATE_PREFIX, PlanStatus

        # The plan's status is recorded on the case as "repayment:<status>", apart from the case's own.
        register_states(PlanStatus, prefix=PLAN_STATE_PREFIX)
        register_actions(
            {
                "case.repayment_plan_drafted": _("Återbetalningsplan upprättad"),
                "case.repayment_plan_approved": _("Återbetalningsplan godkänd"),
                "case.repayment_plan_closed": _("Återbetalningsplan avslutad"),
                "case.repaid": _("Återbetalning bokförd"),
            }
        )
