import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.services.records import record_create
from apps.identity.models import ApiKey
from django.utils.translation import gettext as _

VALID_SCOPES = {"read", "write"}


def hash_secret(secret: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is as safe as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    plaintext: str  # shown once, never stored


@transaction.atomic
def api_key_issue(*, actor, user, name: str, scopes: list[str], expires_at=None) -> IssuedKey:
    bad = set(scopes) - VALID_SCOPES
    if not scopes or bad:
        raise ValidationError({"scopes": _("Ámbitos válidos: read, write.")})
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = record_create(
        actor=actor, model=ApiKey,
        data={"name": name, "user": user, "scopes": sorted(set(scopes)), "expires_at": expires_at,
              "prefix": prefix, "key_hash": hash_secret(secret)},
    )
    return IssuedKey(api_key=key, plaintext=f"{prefix}.{secret}")


@transaction.atomic
def api_key_revoke(*, actor, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.version += 1
    api_key.save(update_fields=["revoked_at", "version", "updated_at"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="revoke", obj=api_key)
    return api_key


def api_key_authenticate(raw: str) -> ApiKey | None:
    prefix, _, secret = (raw or "").partition(".")
    if not prefix or not secret:
        return None
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not secrets.compare_digest(key.key_hash, hash_secret(secret)) or not key.is_usable:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
