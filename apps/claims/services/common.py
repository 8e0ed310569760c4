"""Pieces every claims service shares: the locked read, the audit event + domain event pair,
money parsing. Kept apart so services/claims.py, payments.py and work.py stay short."""
import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.claims.errors import ClaimError
from apps.claims.models import Claim
from apps.core.events import publish

CENT = Decimal("0.01")


def actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def fmt_date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def money(value, *, field: str = "amount") -> Decimal:
    """A Decimal with 2 places (half up) from a Decimal, int or str; never from float."""
    if isinstance(value, float) or isinstance(value, bool):
        raise ClaimError(_("Importe no válido."), code="claim_amount", field=field)
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ClaimError(_("Importe no válido."), code="claim_amount", field=field) from None
    if not amount.is_finite():
        raise ClaimError(_("Importe no válido."), code="claim_amount", field=field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def require_date(value, field: str, message: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ClaimError(message, code="claim_dates", field=field)
    return value


def locked(claim) -> Claim:
    pk = getattr(claim, "pk", claim)
    return (Claim.objects.select_for_update(of=("self",))
            .select_related("policy", "insurer", "line", "policyholder", "handler").get(pk=pk))


def record(*, actor, claim: Claim, verb: str, event: str, changes: dict, action: str = AuditAction.ACTION,
           **payload) -> None:
    """Audit event on the claim (so its page's activity shows it) + domain event "claims.claim.<event>"."""
    audit_event_record(actor=actor_or_none(actor), action=action, verb=verb, obj=claim, changes=changes)
    publish(f"claims.claim.{event}", pk=claim.pk, number=claim.number, state=claim.state, **payload)


def touch(claim: Claim, actor, *fields: str) -> None:
    """Saves `fields` plus the bookkeeping ones (updated_by, version)."""
    claim.updated_by = actor_or_none(actor)
    claim.version += 1
    claim.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
