from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.identity.models import ApiKey, MfaPolicy, Role, User, UserSession
from apps.identity.services.mfa import mfa_policy_set, mfa_remove
from apps.identity.services.sessions import session_revoke, sessions_revoke_all
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
    actions = ["reset_mfa", "sign_out_everywhere"]

    @admin.action(description=_("Restablecer la verificación en dos pasos (móvil perdido)"))
    def reset_mfa(self, request, queryset):
        for user in queryset:
            mfa_remove(actor=request.user, user=user)
        messages.success(request, _("Verificación en dos pasos restablecida: deberán activarla de nuevo al entrar."))

    @admin.action(description=_("Cerrar todas sus sesiones"))
    def sign_out_everywhere(self, request, queryset):
        ended = sum(sessions_revoke_all(actor=request.user, user=user) for user in queryset)
        messages.success(request, _("%(n)s sesiones cerradas.") % {"n": ended})


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


@admin.register(MfaPolicy)
class MfaPolicyAdmin(admin.ModelAdmin):
    list_display = ["role", "require_mfa", "updated_at", "updated_by"]
    list_editable = []
    fields = ["role", "require_mfa"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        policy = mfa_policy_set(actor=request.user, role=form.cleaned_data["role"],
                                require_mfa=form.cleaned_data["require_mfa"])
        obj.pk = policy.pk

    def get_readonly_fields(self, request, obj=None):
        return ["role", "updated_at", "updated_by"] if obj else ["updated_at", "updated_by"]


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "ip", "user_agent", "created_at", "last_seen_at"]
    search_fields = ["user__email", "ip"]
    list_select_related = ["user"]
    exclude = ["session_key"]
    readonly_fields = ["user", "ip", "user_agent", "created_at", "last_seen_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # ending a session goes through the action, which also deletes the Django session

    @admin.action(description=_("Cerrar las sesiones seleccionadas"))
    def revoke(self, request, queryset):
        for row in queryset:
            session_revoke(actor=request.user, user=row.user, session_key=row.session_key)
        messages.success(request, _("Sesiones cerradas."))

from apps.identity import admin_axes  # noqa: E402,F401
