"""django-axes in the admin: the attempts list with an «Desbloquear» action (and delete) that goes through
lockout_unlock, so each unlock is audited. Imported from admin.py."""
from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity.services.lockouts import lockout_unlock

if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(description=_("Desbloquear (borrar los intentos fallidos)"), permissions=["delete"])
    def unlock(self, request, queryset):
        done = 0
        for pair in set(queryset.values_list("username", "ip_address")):
            try:
                done += lockout_unlock(actor=request.user, username=pair[0] or "", ip=pair[1])
            except DomainError:
                continue
        messages.success(request, _("Accesos desbloqueados (%(n)s registros).") % {"n": done})

    def delete_model(self, request, obj):
        lockout_unlock(actor=request.user, username=obj.username or "", ip=obj.ip_address)

    def delete_queryset(self, request, queryset):
        self.unlock(request, queryset)


# TOTP secrets are not for anyone's eyes, admins included: the device list is left out of the admin (the user
# admin's «Restablecer la verificación en dos pasos» removes a lost authenticator).
import django_otp.plugins.otp_totp.admin  # noqa: E402,F401  (registers TOTPDevice, undone below)
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
