from django.contrib import admin

from .models import ReportingDate, ReportingObligation


@admin.register(ReportingDate)
class ReportingDateAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "name", "date"]
    list_filter = ["municipality", "year"]


@admin.register(ReportingObligation)
class ReportingObligationAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "name",
        "kind",
        "due_date",
        "status",
        "reminded_before_at",
        "reminded_due_at",
        "escalated_at",
    ]
    list_filter = ["status", "kind"]
    raw_id_fields = ["case"]
    date_hierarchy = "due_date"
