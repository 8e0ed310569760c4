"""Recovery codes: ten one-time codes shown once, stored as salted SHA-256 hashes (never in clear)."""
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from apps.identity.models import RecoveryCode, RecoveryCodeDevice

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper


def normalize(code: str) -> str:
    return "".join(ch for ch in str(code).lower() if ch.isalnum())


def _hash(code: str, salt: str) -> str:
    return f"{salt}${hashlib.sha256((salt + normalize(code)).encode()).hexdigest()}"


def _matches(code: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(_hash(code, salt), stored)


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))  # ~49 bits each
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A fresh set of codes for `user` (the old ones stop working). Returns the clear codes, to show once.
    Called by the MFA services, which write the audit event."""
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, defaults={"name": "Códigos de recuperación"})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.codes.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=_hash(code, secrets.token_hex(8)))
                                      for code in codes])
    return codes


@transaction.atomic
def recovery_code_consume(*, device: RecoveryCodeDevice, code: str) -> bool:
    """True (and the code is spent) when `code` is one of the device's unused codes."""
    if len(normalize(code)) != 10:
        return False
    for row in device.codes.select_for_update().filter(used_at__isnull=True):
        if _matches(code, row.code_hash):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return True
    return False


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()
