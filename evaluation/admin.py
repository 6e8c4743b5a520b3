from django.contrib import admin

from .models import Calculation, CalculationSnapshot, Evaluation, Indicator, MeasurementPlan, UnitCost


@admin.register(UnitCost)
class UnitCostAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "unit", "amount", "price_year", "source"]
    list_filter = ["municipality"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(MeasurementPlan)
class MeasurementPlanAdmin(admin.ModelAdmin):
    list_display = ["case", "comparison", "updated_at"]
    inlines = [IndicatorInline]


@admin.register(Calculation)
class CalculationAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "discount_rate", "horizon", "updated_at"]


@admin.register(CalculationSnapshot)
class CalculationSnapshotAdmin(admin.ModelAdmin):
    """Read only: a saved calculation is never changed."""

    list_display = ["case", "kind", "number", "npv", "saved_by", "saved_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "recommendation", "updated_at"]
