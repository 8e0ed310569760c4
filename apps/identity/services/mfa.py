"""Two-step verification (TOTP with django-otp) and the per-role requirement the brokerage sets.

A user with a confirmed authenticator must give a code at every password login (web and JWT); a user whose
role requires it and who has none is sent to enrol before anything else. Recovery codes: apps.identity.services.recovery.
"""
import re
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.identity.errors import IdentityError
from apps.identity.models import MfaPolicy, RecoveryCodeDevice, Role
from apps.identity.services.recovery import recovery_codes_left, recovery_codes_replace

for _verb, _label in {
    "mfa_enrolled": gettext_lazy("alta de la verificación en dos pasos"),
    "mfa_removed": gettext_lazy("baja de la verificación en dos pasos"),
    "mfa_recovery_codes_regenerated": gettext_lazy("códigos de recuperación nuevos"),
    "mfa_recovery_code_used": gettext_lazy("uso de un código de recuperación"),
    "mfa_policy_set": gettext_lazy("cambio de la exigencia de verificación en dos pasos"),
}.items():
    VERB_LABELS.setdefault(_verb, _label)

TOTP_NAME = "Aplicación de autenticación"


@dataclass
class MfaCheck:
    ok: bool
    kind: str = ""            # "totp" | "recovery"
    device: object = None
    error: str = ""           # mfa_invalid | mfa_replayed | mfa_throttled | mfa_missing
    message: str = ""
    recovery_left: int | None = None


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_mfa(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_required_for(user) -> bool:
    """Whether any of the user's roles requires the second step (tenant setting, MfaPolicy)."""
    if user is None or not user.is_authenticated:
        return False
    return MfaPolicy.objects.filter(require_mfa=True, role__group__user=user).exists()


@transaction.atomic
def mfa_policy_set(*, actor, role: Role, require_mfa: bool) -> MfaPolicy:
    policy, _created = MfaPolicy.objects.get_or_create(role=role)
    if policy.require_mfa != require_mfa:
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="mfa_policy_set", obj=policy,
                           changes={"role": role.code, "require_mfa": [policy.require_mfa, require_mfa]})
        policy.require_mfa = require_mfa
        policy.updated_by = actor
        policy.save()
    return policy


@transaction.atomic
def mfa_enrolment_start(*, user) -> TOTPDevice:
    """The (unconfirmed) authenticator whose QR code the enrolment page shows; the same one until confirmed."""
    if has_mfa(user):
        raise IdentityError(_("Ya tiene activada la verificación en dos pasos."), code="mfa_already_enrolled")
    device = totp_device(user, confirmed=False)
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def mfa_enrolment_confirm(*, actor, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a first code and returns ten recovery codes (to show once)."""
    if device.confirmed:
        raise IdentityError(_("Ya tiene activada la verificación en dos pasos."), code="mfa_already_enrolled")
    code = re.sub(r"\s+", "", str(code or ""))
    if not re.fullmatch(r"\d{6}", code) or not device.verify_token(code):
        raise IdentityError(_("El código no es correcto. Escriba los 6 dígitos que muestra ahora su aplicación "
                              "(cambian cada 30 segundos) y compruebe que la hora del móvil es la correcta."),
                            code="mfa_invalid", field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = recovery_codes_replace(user=device.user)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="mfa_enrolled", obj=device.user,
                       changes={"device": "totp", "recovery_codes": len(codes)})
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, actor, user) -> list[str]:
    if not has_mfa(user):
        raise IdentityError(_("Active primero la verificación en dos pasos."), code="mfa_not_enrolled")
    codes = recovery_codes_replace(user=user)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="mfa_recovery_codes_regenerated", obj=user,
                       changes={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def mfa_remove(*, actor, user) -> int:
    """Removes the authenticator and recovery codes. A user cannot remove their own when a role requires it;
    Sistemas can (lost phone): the user's sessions are then closed and they enrol again at the next login."""
    if actor is not None and actor.pk == user.pk and mfa_required_for(user):
        raise IdentityError(_("Su rol exige la verificación en dos pasos: no puede desactivarla. Si ha perdido el "
                              "móvil, pida a Sistemas que la restablezca."), code="mfa_required")
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + RecoveryCodeDevice.objects.filter(user=user).delete()[0]
    if removed:
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="mfa_removed", obj=user, changes={"devices": removed})
        if actor is None or actor.pk != user.pk:
            from apps.identity.services.sessions import sessions_revoke_all

            sessions_revoke_all(actor=actor, user=user)
    return removed


def _is_replay(device: TOTPDevice, token: int) -> bool:
    """The code is right for the current window but its time step was already used (django-otp refuses it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(token, device.tolerance) and totp.t() <= device.last_t


def mfa_check(*, user, code: str) -> MfaCheck:
    """Verifies a second-step code: a 6-digit TOTP code or a recovery code. Wrong codes are not raised but
    returned, so that the device's throttling (and the caller's lockout count and audit) are kept; each
    device write commits on its own."""
    code = re.sub(r"\s+", "", str(code or ""))
    if not code:
        return MfaCheck(ok=False, error="mfa_missing", message=_("Escriba el código de verificación."))
    if re.fullmatch(r"\d{6}", code):
        device = totp_device(user)
        if device is None:
            return MfaCheck(ok=False, error="mfa_invalid", message=_("El código no es correcto."))
        allowed, info = device.verify_is_allowed()
        if not allowed:
            wait = ""
            if info and info.get("locked_until"):
                wait = max(1, int((info["locked_until"] - timezone.now())
                                  .total_seconds()) + 1)
            return MfaCheck(ok=False, error="mfa_throttled",
                            message=_("Demasiados códigos erróneos seguidos. Espere %(s)s segundos y escriba el código "
                                      "que muestre entonces su aplicación.") % {"s": wait or 1})
        with transaction.atomic():
            verified = device.verify_token(code)
        if verified:
            return MfaCheck(ok=True, kind="totp", device=device)
        if _is_replay(device, int(code)):
            return MfaCheck(ok=False, error="mfa_replayed",
                            message=_("Ese código ya se usó para entrar y no vale dos veces. Espere a que su "
                                      "aplicación muestre el siguiente (cambia cada 30 segundos)."))
        return MfaCheck(ok=False, error="mfa_invalid",
                        message=_("El código no es correcto. Escriba los 6 dígitos que muestra ahora su aplicación "
                                  "y compruebe que la hora del móvil es la correcta."))
    device = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    with transaction.atomic():
        if device is not None and device.verify_token(code):
            left = recovery_codes_left(user)
            audit_event_record(actor=user, action=AuditAction.ACTION, verb="mfa_recovery_code_used", obj=user,
                               changes={"recovery_codes_left": left})
            return MfaCheck(ok=True, kind="recovery", device=device, recovery_left=left)
    return MfaCheck(ok=False, error="mfa_invalid",
                    message=_("El código de recuperación no es válido o ya se usó (cada uno sirve una sola vez)."))
