"""Django admin is the system administrators' tool (superusers see every tenant). Municipal
admins work in the rule-set pages, which are scoped to their own municipality."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import RuleSetField
from .models import ExternalActor, Municipality, OrganisationalUnit, RuleSetVersion
from .rulebook.validation import RuleSetInvalidError


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class OrganisationalUnitInline(admin.TabularInline):
    model = OrganisationalUnit
    fk_name = "municipality"
    extra = 0


class ExternalActorInline(admin.TabularInline):
    model = ExternalActor
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    inlines = [OrganisationalUnitInline, ExternalActorInline]


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "kind", "parent", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]


@admin.register(ExternalActor)
class ExternalActorAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]


class RuleSetVersionForm(forms.ModelForm):
    document = RuleSetField(label=_("Regelverket (JSON)"))

    class Meta:
        model = RuleSetVersion
        fields = ["municipality", "document", "note"]

    def clean(self):
        cleaned = super().clean()
        document, municipality = cleaned.get("document"), cleaned.get("municipality")
        if document and municipality and document["municipality"]["slug"] != municipality.slug:
            self.add_error("document", _("municipality.slug: ska vara %(slug)s") % {"slug": municipality.slug})
        if self.instance.pk and not self.instance.is_editable:
            raise forms.ValidationError(
                _("Versionen används eller är fastställd och kan bara ersättas av en ny version.")
            )
        return cleaned


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(SuperuserOnlyAdmin):
    form = RuleSetVersionForm
    list_display = ["municipality", "number", "status", "effective_from", "note", "created_at"]
    list_filter = ["municipality", "status"]
    readonly_fields = ["number", "status", "effective_from", "fingerprint", "created_at", "created_by"]
    actions = ["activate"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [*self.readonly_fields, "municipality", "document", "note"]
        if obj is not None:
            return [*self.readonly_fields, "municipality"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Through the services, so numbering, validation and the history are the same as everywhere.
        if change:
            services.update_draft(obj, form.cleaned_data["document"], user=request.user, note=form.cleaned_data["note"])
        else:
            version, _created = services.import_ruleset(
                form.cleaned_data["document"], user=request.user, note=form.cleaned_data["note"]
            )
            obj.pk = version.pk

    @admin.action(description=_("Sätt valda utkast i kraft"))
    def activate(self, request, queryset):
        for version in queryset:
            try:
                services.activate_version(version, user=request.user)
            except (services.RuleSetLockedError, RuleSetInvalidError) as error:
                self.message_user(request, f"{version}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("%(version)s gäller nu.") % {"version": version})
