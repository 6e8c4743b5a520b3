from django.contrib import admin

from municipalities.admin import SuperuserOnlyAdmin

from .models import Case, DecisionRound


@admin.register(DecisionRound)
class DecisionRoundAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "meeting_date", "municipality", "requires_remaining_funds", "is_open"]
    list_filter = ["municipality", "is_open"]


@admin.register(Case)
class CaseAdmin(SuperuserOnlyAdmin):
    """For looking, not changing: a case moves only through its transitions, which keep the history."""

    list_display = ["number", "title", "state", "municipality", "updated_at"]
    list_filter = ["municipality", "state"]
    search_fields = ["number", "title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
