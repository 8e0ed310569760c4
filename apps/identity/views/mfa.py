"""«Verificación en dos pasos»: enrol an authenticator (QR code as inline SVG, no JS), see how many recovery
codes are left, make new ones (shown once) or switch it off when no role requires it."""
import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.identity.services.mfa import (
    has_mfa, mfa_enrolment_confirm, mfa_enrolment_start, mfa_remove, mfa_required_for, recovery_codes_regenerate,
    totp_device,
)
from apps.identity.services.recovery import recovery_codes_left
from apps.identity.views.login import OtpForm

TITLE = _l("Verificación en dos pasos")


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself (no user text inside but the otpauth URL, which it encodes as modules).
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def _secret(device) -> str:
    raw = base64.b32encode(device.bin_key).decode()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _codes_page(request, codes):
    return render(request, "identity/mfa_codes.html", {"title": _("Códigos de recuperación"), "codes": codes})


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_view(request):
    user = request.user
    required = mfa_required_for(user)
    if has_mfa(user):
        return render(request, "identity/mfa.html", {
            "title": TITLE, "enrolled": True, "required": required, "device": totp_device(user),
            "codes_left": recovery_codes_left(user)})
    device = mfa_enrolment_start(user=user)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_enrolment_confirm(actor=user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = 400
        else:
            django_otp.login(request, device)  # this session is verified from now on
            messages.success(request, _("Verificación en dos pasos activada. Guarde ahora sus códigos de recuperación."))
            return _codes_page(request, codes)
    elif request.method == "POST":
        status = 400
    return render(request, "identity/mfa.html", {
        "title": TITLE, "enrolled": False, "required": required, "form": form, "qr_svg": _qr_svg(device.config_url),
        "secret": _secret(device)}, status=status)


@never_cache
@login_required
@require_POST
def mfa_codes_regenerate_view(request):
    try:
        codes = recovery_codes_regenerate(actor=request.user, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("identity:mfa")
    messages.success(request, _("Códigos nuevos generados: los anteriores ya no sirven."))
    return _codes_page(request, codes)


@login_required
@require_POST
def mfa_remove_view(request):
    try:
        mfa_remove(actor=request.user, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Verificación en dos pasos desactivada."))
    return redirect("identity:mfa")


MENU = [MenuEntry(section=_l("Mi espacio"), label=TITLE, url_name="identity:mfa", icon="bi-shield-lock", order=90)]

urlpatterns = [
    path("seguridad/verificacion/", mfa_view, name="mfa"),
    path("seguridad/verificacion/codigos/", mfa_codes_regenerate_view, name="mfa-codes"),
    path("seguridad/verificacion/desactivar/", mfa_remove_view, name="mfa-remove"),
]
