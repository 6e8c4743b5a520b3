from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Uppföljning")

    def ready(self):
        from applications.signals import case_transitioned

        from .receivers import plan_reports

        case_transitioned.connect(plan_reports, dispatch_uid="reporting.plan_reports")
