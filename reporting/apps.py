from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Uppföljning")

    def ready(self):
        from django.db.models import Prefetch

        from applications.selectors import register_case_waits
        from applications.signals import case_transitioned
        from audit.labels import register_actions, register_states
        from funds.selectors import register_reported_costs
        from projects.models import ProjectMember

        from .models import ObligationStatus
        from .receivers import plan_reports
        from .selectors import report_waits, reported_costs

        # The fund caps budget compensations and freezes by the costs the accepted reports state.
        register_reported_costs(reported_costs)

        case_transitioned.connect(plan_reports, dispatch_uid="reporting.plan_reports")
        # A project's "Nästa steg" is its reports: to hand in, or to review.
        register_case_waits(
            report_waits,
            prefetch=[
                "reporting_obligations",
                Prefetch("project_members", queryset=ProjectMember.objects.select_related("user")),
            ],
        )
        # A report's status is recorded on the case as "report:<status>".
        register_states(ObligationStatus, prefix="report:")
        register_actions(
            {
                "report.submitted": _("Rapport inlämnad"),
                "report.accepted": _("Rapport godkänd"),
                "report.returned": _("Rapport åter för komplettering"),
                "project.plan": _("Projektplanen sparad"),
                "reporting.date_set": _("Rapporteringsdatum satt"),
            }
        )
