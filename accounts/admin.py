from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "municipality", "is_active", "is_superuser"]
    list_filter = ["municipality", "is_active", "is_superuser", "is_demo"]
    search_fields = ["email", "full_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "title", "municipality", "unit"]}),
        (_("Behörighet"), {"fields": ["is_active", "is_staff", "is_superuser", "is_demo"]}),
        (_("Datum"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "municipality", "password1", "password2"]})
    ]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser
