from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Utvärdering")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "calculation.saved": _("Samhällsekonomisk kalkyl sparad"),
                "measurement_plan.saved": _("Mätplan sparad"),
                "indicator_value.entered": _("Mätvärde infört"),
                "indicator_value.corrected": _("Mätvärde rättat"),
                "evaluation.saved": _("Utvärdering sparad"),
                "evaluation.submitted": _("Utvärdering inlämnad"),
                "unit_cost.saved": _("Enhetskostnad sparad"),
            }
        )
