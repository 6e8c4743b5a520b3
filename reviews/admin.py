from django.contrib import admin

from municipalities.admin import SuperuserOnlyAdmin

from .models import PriorityProposal, Review, ReviewAssignment


class ReadOnlyAdmin(SuperuserOnlyAdmin):
    """For looking: reviews change only through their service (frozen once submitted), proposals
    are append-only."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "reviewer", "stage", "assigned_by", "assigned_at"]
    list_filter = ["stage", "case__municipality"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "submitted_at"]


@admin.register(PriorityProposal)
class PriorityProposalAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "decision_round", "created_by", "created_at"]
    list_filter = ["municipality"]
