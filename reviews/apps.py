from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Bedömningar och prioritering")

    def ready(self):
        from audit.labels import register_actions

        register_actions(
            {
                "review.assigned": _("Bedömare tilldelad"),
                "review.submitted": _("Bedömning inlämnad"),
                "priority.proposal": _("Prioriteringsförslag sparat"),
                # Kept for the history of figures typed in before the page read the fund's ledger.
                "priority.funds": _("Tillgängliga medel angivna"),
            }
        )
