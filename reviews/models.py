"""Reviews of a case against its rule set's criteria, and the prioritisation of the cases ready
for decision: the preparer's proposed order, kept append-only. The money available is read from
the fund's ledger (funds.selectors.available_money), never typed in here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Case, DecisionRound
from audit.models import AppendOnlyModel
from municipalities.models import Municipality
from municipalities.rulebook.enums import ReviewStage


class ReviewAssignment(models.Model):
    """The preparer asks one member of staff to review the case in one stage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("bedömare"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("tilldelad av")
    )
    assigned_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)
    stage = models.CharField(_("skede"), max_length=20, choices=ReviewStage.choices)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("tilldelning av bedömning")
        verbose_name_plural = _("tilldelningar av bedömningar")
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer", "stage"], name="one_review_per_reviewer_and_stage")
        ]

    def __str__(self):
        return f"{self.case} – {self.reviewer} ({self.get_stage_display()})"


class Review(models.Model):
    """One reviewer's answers, a draft until submitted; once submitted it never changes."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    answers = models.JSONField(_("svar"), default=dict, blank=True)  # {criterion key: True/False or 1..scale_max}
    comment = models.TextField(_("kommentar"), blank=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class PriorityProposal(AppendOnlyModel):
    """The order the preparer proposes to the decision body. Append-only: a new order is a new
    proposal, so the history of proposals stays. ``decision_round`` is empty in municipalities
    that do not decide in rounds."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="priority_proposals")
    decision_round = models.ForeignKey(
        DecisionRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="priority_proposals",
        verbose_name=_("beslutstillfälle"),
    )
    case_ids = models.JSONField(_("ärenden i föreslagen ordning"), default=list)
    note = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("av")
    )
    created_at = models.DateTimeField(_("sparat"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("prioriteringsförslag")
        verbose_name_plural = _("prioriteringsförslag")

    def __str__(self):
        return f"{self.municipality} {self.decision_round or ''} {self.created_at:%Y-%m-%d %H:%M}".strip()
