from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Bedömningar och prioritering")

    def ready(self):
        from django.db.models import Prefetch

        from applications.selectors import register_case_waits
        from audit.labels import register_actions

        from .models import ReviewAssignment
        from .selectors import review_waits

        # An assigned review waits for its reviewer.
        register_case_waits(
            review_waits,
            prefetch=[
                Prefetch("review_assignments", queryset=ReviewAssignment.objects.select_related("review", "reviewer"))
            ],
        )

        register_actions(
            {
                "review.assigned": _("Bedömare tilldelad"),
                "review.submitted": _("Bedömning inlämnad"),
                "priority.proposal": _("Prioriteringsförslag sparat"),
                # Kept for the history of figures typed in before the page read the fund's ledger.
                "priority.funds": _("Tillgängliga medel angivna"),
            }
        )
