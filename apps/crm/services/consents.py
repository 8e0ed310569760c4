"""GDPR consents: one row per grant; withdrawing closes it, granting again opens a new one.

The history of a purpose is therefore the list of its rows (never edited except to record
the withdrawal), and every change leaves an audit event through apps.core.services.records.
"""
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.core.services.records import record_create, record_update
from apps.crm.choices import Channel, ConsentPurpose
from apps.crm.models import Consent, Party


# --- selectors ---------------------------------------------------------------------------

def party_active_purposes(party: Party) -> set[str]:
    """The purposes this party has an active (not withdrawn) consent for."""
    return set(Consent.objects.filter(party=party, withdrawn_at__isnull=True).values_list("purpose", flat=True))


def party_consent_active(party: Party, purpose: str) -> Consent | None:
    return Consent.objects.filter(party=party, purpose=purpose, withdrawn_at__isnull=True).first()


def active_consent_exists(purpose: str, party_ref: str = "pk") -> Exists:
    """`Exists(...)` to annotate or filter a Party queryset by an active consent for `purpose`."""
    return Exists(Consent.objects.filter(party=OuterRef(party_ref), purpose=purpose, withdrawn_at__isnull=True))


def parties_with_consent(queryset: QuerySet, purpose: str) -> QuerySet:
    return queryset.filter(active_consent_exists(purpose))


def party_consent_history(party: Party) -> list[Consent]:
    return list(Consent.objects.filter(party=party).select_related("created_by", "updated_by")
                .order_by("purpose", "-granted_at", "-pk"))


# --- services ----------------------------------------------------------------------------

def _check_choice(value, choices, field, label):
    if value not in choices.values:
        raise ValidationError({field: _("«%(value)s» no es un %(label)s válido.") % {"value": value, "label": label}})


@transaction.atomic
def consent_grant(*, actor, party: Party, purpose: str, channel: str, evidence: str,
                  granted_at: datetime | None = None) -> Consent:
    """Records a consent for one purpose. Refuses a second active consent for the same purpose."""
    _check_choice(purpose, ConsentPurpose, "purpose", _("finalidad"))
    _check_choice(channel, Channel, "channel", _("canal"))
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Indique cómo consta el consentimiento (formulario firmado, grabación, "
                                             "casilla web con fecha e IP…): sin evidencia no se puede demostrar.")})
    now = timezone.now()
    granted_at = granted_at or now
    if granted_at > now + timedelta(minutes=5):
        raise ValidationError({"granted_at": _("La fecha del consentimiento no puede ser futura.")})
    # One writer per party at a time, so two simultaneous grants cannot both pass the check.
    locked = Party.objects.select_for_update().get(pk=party.pk)
    if locked.anonymised_at:
        raise ValidationError(_("Este cliente está anonimizado: no se pueden registrar consentimientos."))
    current = party_consent_active(locked, purpose)
    if current is not None:
        raise ValidationError({"purpose": _(
            "«%(party)s» ya tiene un consentimiento activo para «%(purpose)s» desde el %(date)s. "
            "Retírelo antes de registrar uno nuevo."
        ) % {"party": locked, "purpose": ConsentPurpose(purpose).label,
             "date": formats.date_format(timezone.localtime(current.granted_at), "SHORT_DATE_FORMAT")}})
    return record_create(actor=actor, model=Consent, data={
        "party": locked, "purpose": purpose, "channel": channel, "evidence": evidence, "granted_at": granted_at,
    })


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, channel: str, withdrawn_at: datetime | None = None) -> Consent:
    """Closes an active consent; the row stays as history (and proof of the earlier grant)."""
    _check_choice(channel, Channel, "withdrawal_channel", _("canal"))
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.withdrawn_at is not None:
        raise ValidationError(_("Este consentimiento ya se retiró el %(date)s.") % {
            "date": formats.date_format(timezone.localtime(current.withdrawn_at), "SHORT_DATE_FORMAT")})
    withdrawn_at = withdrawn_at or timezone.now()
    if withdrawn_at < current.granted_at:
        raise ValidationError({"withdrawn_at": _("La retirada no puede ser anterior a la concesión.")})
    return record_update(actor=actor, instance=current,
                         data={"withdrawn_at": withdrawn_at, "withdrawal_channel": channel})
