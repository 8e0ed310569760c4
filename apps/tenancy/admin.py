from django.contrib import admin, messages
from django.db import connection
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import Domain, Tenant
from apps.tenancy.services.provisioning import tenant_reactivate, tenant_suspend


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class PublicSchemaOnly:
    """Brokerages are managed only from the platform (public) admin."""

    def has_module_permission(self, request):
        return connection.schema_name == "public" and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return connection.schema_name == "public" and super().has_view_permission(request, obj)


@admin.register(Tenant)
class TenantAdmin(PublicSchemaOnly, admin.ModelAdmin):
    list_display = ["name", "schema_name", "tax_id", "dgsfp_code", "plan", "is_active", "created_at", "provisioning_seconds"]
    list_filter = ["is_active", "plan", "chart_of_accounts"]
    search_fields = ["name", "schema_name", "tax_id", "dgsfp_code", "domains__domain"]
    readonly_fields = ["schema_name", "created_at", "provisioning_seconds"]
    inlines = [DomainInline]
    actions = ["suspend", "reactivate"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["created_at", "provisioning_seconds"]

    def add_view(self, request, form_url="", extra_context=None):
        from django.shortcuts import redirect

        # New brokerages go through the provisioning service (schema clone + first admin).
        return redirect("tenancy:signup")

    @admin.action(description=_("Suspender las corredurías seleccionadas"))
    def suspend(self, request, queryset):
        for tenant in queryset.exclude(schema_name="public"):
            tenant_suspend(actor=request.user, tenant=tenant, reason="Suspendida desde el panel de plataforma")
        messages.success(request, _("Corredurías suspendidas."))

    @admin.action(description=_("Reactivar las corredurías seleccionadas"))
    def reactivate(self, request, queryset):
        for tenant in queryset:
            tenant_reactivate(actor=request.user, tenant=tenant)
        messages.success(request, _("Corredurías reactivadas."))


@admin.register(Domain)
class DomainAdmin(PublicSchemaOnly, admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["domain", "tenant__name"]
