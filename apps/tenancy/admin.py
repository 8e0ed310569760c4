from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.forms import add_service_errors
from apps.tenancy.forms import ProvisionForm

from apps.tenancy.models import Domain, Tenant
from apps.tenancy.services.provisioning import tenant_provision, tenant_reactivate, tenant_suspend
from apps.tenancy.services.security import tenant_admin_networks_set


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

    def save_model(self, request, obj, form, change):
        """The admin allowlist goes through its service (normalised, audited); the rest as usual."""
        if change and "admin_allowed_networks" in form.changed_data:
            networks = obj.admin_allowed_networks
            obj.admin_allowed_networks = form.initial.get("admin_allowed_networks") or []
            super().save_model(request, obj, form, change)
            tenant_admin_networks_set(actor=request.user, tenant=obj, networks=networks)
            return
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        """New brokerages go through the provisioning service (schema clone + first admin)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ProvisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                tenant = tenant_provision(actor=request.user, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Correduría «%(name)s» creada en %(s)s s.") % {
                    "name": tenant.name, "s": tenant.provisioning_seconds})
                return redirect("admin:tenancy_tenant_changelist")
        context = {**self.admin_site.each_context(request), "title": _("Alta de correduría"), "form": form,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/tenancy/tenant/provision.html", context)

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
