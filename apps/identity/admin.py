from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.identity.models import ApiKey, Role, User
from apps.identity.services.api_keys import api_key_revoke
from apps.identity.services.roles import roles_sync


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "language"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined", "version"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Permisos"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined", "version")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "password1", "password2")}),)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["group", "code", "modules", "own_only"]
    search_fields = ["code", "group__name"]
    actions = ["resync"]

    @admin.action(description=_("Volver a sincronizar los permisos de los roles estándar"))
    def resync(self, request, queryset):
        roles_sync()
        messages.success(request, _("Roles sincronizados."))


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "scopes", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["prefix", "last_used_at", "revoked_at", "created_at", "created_by"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are issued through the API or the service, which shows the secret once

    @admin.action(description=_("Revocar las claves seleccionadas"))
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(actor=request.user, api_key=key)
        messages.success(request, _("Claves revocadas."))
