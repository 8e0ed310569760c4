"""SEPA direct-debit mandates (Rulebook CORE/B2B).

Sequence: OOFF for a one-off mandate; FRST while the mandate was never used or its account was
changed since the last debit (previous_iban is kept until the next debit is registered, so the
remittance can report the amendment); RCUR otherwise. A mandate expires 36 months after its last
debit, or after its signature when never used. A one-off mandate serves one debit only.
"""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.insurance.services.policy_dates import add_months
from apps.treasury.choices import MandateKind, MandateScheme, MandateState, SequenceType
from apps.treasury.errors import TreasuryError
from apps.treasury.models import Mandate
from apps.treasury.services.accounts import bic_clean, iban_clean
from apps.treasury.validators import mandate_reference_check

EXPIRY_MONTHS = 36


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(mandate) -> Mandate:
    return (Mandate.objects.select_for_update(of=("self",)).select_related("party")
            .get(pk=getattr(mandate, "pk", mandate)))


def _today() -> datetime.date:
    return timezone.localdate()


def _choice(value, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise TreasuryError(_("%(label)s no válido: «%(value)s».") % {"label": label, "value": value},
                            code="treasury_mandate_choice", field=field)
    return value


def _next_reference(party) -> str:
    count = Mandate.objects.filter(party=party).count() + 1
    while True:
        reference = f"AIT-{party.pk:06d}-{count:03d}"
        if not Mandate.objects.filter(reference=reference).exists():
            return reference
        count += 1


@transaction.atomic
def mandate_create(*, actor, party, iban: str, signature_date: datetime.date, reference: str = "", bic: str = "",
                   scheme: str = MandateScheme.CORE, kind: str = MandateKind.RECURRENT) -> Mandate:
    """A mandate signed by `party`; without `reference` one is numbered AIT-<party>-<n>."""
    reference = mandate_reference_check(reference) if (reference or "").strip() else _next_reference(party)
    if Mandate.objects.filter(reference=reference).exists():
        raise TreasuryError(_("Ya existe un mandato con la referencia %s.") % reference,
                            code="treasury_mandate_duplicate", field="reference")
    if not isinstance(signature_date, datetime.date):
        raise TreasuryError(_("Indique la fecha de firma."), code="treasury_mandate_signature", field="signature_date")
    if signature_date > _today():
        raise TreasuryError(_("La fecha de firma del mandato no puede ser posterior a hoy."),
                            code="treasury_mandate_signature", field="signature_date")
    mandate = Mandate.objects.create(
        reference=reference, party=party, iban=iban_clean(iban), bic=bic_clean(bic), signature_date=signature_date,
        scheme=_choice(scheme, MandateScheme, field="scheme", label=_("Esquema")),
        kind=_choice(kind, MandateKind, field="kind", label=_("Tipo de mandato")), created_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=mandate, changes={
        "referencia": [None, reference], "deudor": [None, str(party)], "IBAN": [None, mandate.iban],
        "firma": [None, signature_date.isoformat()], "esquema": [None, mandate.scheme], "tipo": [None, mandate.kind]})
    publish("treasury.mandate.created", pk=mandate.pk, party=party.pk)
    return mandate


def _check_active(mandate: Mandate) -> None:
    if mandate.state == MandateState.REVOKED:
        raise TreasuryError(_("El mandato %s está revocado.") % mandate.reference, code="treasury_mandate_revoked",
                            status=409)


@transaction.atomic
def mandate_amend(*, actor, mandate: Mandate, iban: str, bic: str = "",
                  on_date: datetime.date | None = None) -> Mandate:
    """The debtor's new account: the old IBAN goes to previous_iban and the next debit is FRST again."""
    mandate = _locked(mandate)
    _check_active(mandate)
    new_iban = iban_clean(iban)
    if new_iban == mandate.iban:
        raise TreasuryError(_("El nuevo IBAN es el mismo que el actual."), code="treasury_mandate_same_iban",
                            field="iban")
    on_date = on_date or _today()
    before = mandate.iban
    # An amendment not yet presented keeps the account the bank knows from the last debit.
    mandate.previous_iban = mandate.previous_iban or before
    mandate.iban, mandate.bic, mandate.amended_on = new_iban, bic_clean(bic), on_date
    mandate.updated_by = _actor(actor)
    mandate.save(update_fields=["iban", "bic", "previous_iban", "amended_on", "updated_by", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="mandate_amend", obj=mandate,
                       changes={"IBAN": [before, new_iban], "modificado": [None, on_date.isoformat()]})
    publish("treasury.mandate.amended", pk=mandate.pk, party=mandate.party_id)
    return mandate


@transaction.atomic
def mandate_revoke(*, actor, mandate: Mandate, on_date: datetime.date | None = None) -> Mandate:
    mandate = _locked(mandate)
    _check_active(mandate)
    on_date = on_date or _today()
    mandate.state, mandate.revoked_on, mandate.updated_by = MandateState.REVOKED, on_date, _actor(actor)
    mandate.save(update_fields=["state", "revoked_on", "updated_by", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="mandate_revoke", obj=mandate,
                       changes={"estado": [MandateState.ACTIVE, MandateState.REVOKED],
                                "revocado": [None, on_date.isoformat()]})
    publish("treasury.mandate.revoked", pk=mandate.pk, party=mandate.party_id)
    return mandate


def mandate_expires_on(mandate: Mandate) -> datetime.date:
    """The first day the mandate is no longer usable for lack of use."""
    return add_months(mandate.last_used_on or mandate.signature_date, EXPIRY_MONTHS)


def mandate_is_usable(mandate: Mandate, on_date: datetime.date) -> tuple[bool, str]:
    """(True, "") or (False, the reason in Spanish) for a debit due on `on_date`."""
    if mandate.state == MandateState.REVOKED:
        return False, _("El mandato %s está revocado.") % mandate.reference
    if on_date < mandate.signature_date:
        return False, _("El mandato %s aún no estaba firmado en esa fecha.") % mandate.reference
    if on_date >= mandate_expires_on(mandate):
        return False, _("El mandato %(ref)s caducó el %(date)s: 36 meses sin adeudos.") % {
            "ref": mandate.reference, "date": mandate_expires_on(mandate).strftime("%d/%m/%Y")}
    if mandate.kind == MandateKind.ONE_OFF and mandate.uses:
        return False, _("El mandato %s es de un único adeudo y ya se usó.") % mandate.reference
    return True, ""


def mandate_sequence_type(mandate: Mandate) -> str:
    if mandate.kind == MandateKind.ONE_OFF:
        return SequenceType.ONE_OFF.value
    if not mandate.uses or mandate.previous_iban:
        return SequenceType.FIRST.value
    return SequenceType.RECURRENT.value


@transaction.atomic
def mandate_register_use(*, actor=None, mandate: Mandate, on_date: datetime.date) -> Mandate:
    """A debit presented on `on_date`: uses += 1, last_used_on, and the pending amendment is consumed."""
    mandate = _locked(mandate)
    usable, reason = mandate_is_usable(mandate, on_date)
    if not usable:
        raise TreasuryError(reason, code="treasury_mandate_unusable", status=409)
    sequence = mandate_sequence_type(mandate)
    mandate.uses += 1
    mandate.last_used_on = max(on_date, mandate.last_used_on or on_date)
    mandate.previous_iban = ""
    mandate.save(update_fields=["uses", "last_used_on", "previous_iban", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="mandate_use", obj=mandate,
                       changes={"adeudos": [mandate.uses - 1, mandate.uses], "secuencia": [None, sequence],
                                "fecha": [None, on_date.isoformat()]})
    publish("treasury.mandate.used", pk=mandate.pk, sequence=sequence)
    return mandate
