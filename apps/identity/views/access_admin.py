"""Sistemas pages: «Bloqueos de acceso» (unlock an e-mail + IP before the cool-off ends) and «Seguridad de
acceso» (which roles must use the second step)."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.identity.models import MfaPolicy, Role
from apps.identity.services.lockouts import lockout_unlock, lockouts_list
from apps.identity.services.mfa import mfa_policy_set

SECTION = _l("Sistemas")
LOCKOUTS = _l("Bloqueos de acceso")
POLICY = _l("Seguridad de acceso")


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=254, required=False)
    ip = forms.GenericIPAddressField(required=False)


@login_required
@permission_required("identity.unlock_login", raise_exception=True)
def lockouts_view(request):
    return render(request, "identity/lockouts.html", {
        "title": LOCKOUTS, "items": lockouts_list(), "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})


@login_required
@permission_required("identity.unlock_login", raise_exception=True)
@require_POST
def lockout_unlock_view(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dirección IP no válida."))
        return redirect("identity:lockouts")
    data = form.cleaned_data
    try:
        lockout_unlock(actor=request.user, username=data["username"].strip().lower(), ip=data["ip"] or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Acceso de %(email)s desbloqueado: ya puede volver a entrar.")
                         % {"email": data["username"] or data["ip"]})
    return redirect("identity:lockouts")


@login_required
@permission_required("identity.change_mfapolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def mfa_policy_view(request):
    roles = list(Role.objects.select_related("group", "mfa_policy").order_by("group__name"))
    if request.method == "POST":
        wanted = set(request.POST.getlist("require"))
        for role in roles:
            mfa_policy_set(actor=request.user, role=role, require_mfa=role.code in wanted)
        messages.success(request, _("Guardado. Los usuarios de los roles marcados deberán activar la verificación en "
                                    "dos pasos la próxima vez que entren."))
        return redirect("identity:mfa-policy")
    rows = []
    for role in roles:
        try:
            required = role.mfa_policy.require_mfa
        except MfaPolicy.DoesNotExist:
            required = False
        rows.append({"role": role, "required": required})
    return render(request, "identity/mfa_policy.html", {"title": POLICY, "rows": rows})


MENU = [
    MenuEntry(section=SECTION, label=LOCKOUTS, url_name="identity:lockouts", icon="bi-person-lock",
              permission="identity.unlock_login", order=40),
    MenuEntry(section=SECTION, label=POLICY, url_name="identity:mfa-policy", icon="bi-shield-check",
              permission="identity.change_mfapolicy", order=41),
]

urlpatterns = [
    path("seguridad/bloqueos/", lockouts_view, name="lockouts"),
    path("seguridad/bloqueos/desbloquear/", lockout_unlock_view, name="lockout-unlock"),
    path("seguridad/roles/", mfa_policy_view, name="mfa-policy"),
]
