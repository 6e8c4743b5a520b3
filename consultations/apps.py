from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Remisser")

    def ready(self):
        from django.db.models import Prefetch

        from applications.models import register_case_parties
        from applications.selectors import register_case_waits
        from audit.labels import register_actions

        from .models import Consultation
        from .selectors import consultation_waits

        # A remiss waits for its nämnd, or for the official it was delegated to, who then sees
        # the case.
        register_case_waits(
            consultation_waits,
            prefetch=[Prefetch("consultations", queryset=Consultation.objects.select_related("unit", "delegate"))],
        )
        register_case_parties("consultations__delegate")

        register_actions(
            {
                "consultation.requested": _("Remiss skickad"),
                "consultation.delegated": _("Remiss delegerad"),
                "consultation.answered": _("Remissvar lämnat"),
            }
        )
