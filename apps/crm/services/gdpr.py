"""GDPR rights of a party: access (export of everything we hold) and erasure (anonymisation).

Erasure is refused while any legal retention applies. Domains declare their reasons with
`registry.register_retention_check(check)`, where `check(party)` returns a Spanish sentence
("Tiene la póliza 123 en vigor") or None; the CRM adds its own (open opportunities).
"""
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aitcore.registry import registry
from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.encryption import BlindIndexField
from apps.core.events import publish
from apps.crm.choices import OPEN_STAGES, PartyKind
from apps.crm.models import Consent, Lead, Opportunity, Party, PartyRelation

# Readable names of this module's audit verbs (apps.audit.choices.VERB_LABELS is the registry).
for _verb, _label in {
    "gdpr_access": gettext_lazy("derecho de acceso: exportación de datos"),
    "gdpr_erasure": gettext_lazy("derecho de supresión: anonimización"),
}.items():
    VERB_LABELS.setdefault(_verb, _label)

# Party fields that hold personal data and what they become (None / "" / computed name).
_ERASED_FIELDS = ("first_name", "last_name", "second_last_name", "company_name", "trade_name", "display_name",
                  "tax_id", "birth_date", "gender", "profession", "notes")
_SECRET_NAMES = ("password",)


# --- access request -----------------------------------------------------------------------

def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def _row(obj, skip: str | None = None) -> dict:
    """A record as plain data: choices with their label, foreign keys as {id, name}."""
    data = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name == skip:
            continue
        # encrypted fields (IBAN...) are the subject's own data and go in clear; their HMAC indexes are ours
        if field.name in _SECRET_NAMES or isinstance(field, BlindIndexField):
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            related = getattr(obj, field.name) if related_id is not None else None
            data[field.name] = None if related is None else {"id": related_id, "nombre": str(related)}
            continue
        value = getattr(obj, field.attname)
        data[field.name] = _json_value(value)
        if field.choices and value not in (None, ""):
            data[f"{field.name}_display"] = str(getattr(obj, f"get_{field.name}_display")())
    for field in obj._meta.many_to_many:
        data[field.name] = [str(item) for item in getattr(obj, field.name).all()]
    return data


def _related_sections(party: Party) -> dict:
    """Every row of every model that points at Party, found generically (new domains included)."""
    sections = {}
    for rel in Party._meta.related_objects:
        model = rel.related_model
        key = rel.get_accessor_name() or f"{model._meta.label_lower}.{rel.field.name}"
        queryset = model._default_manager.filter(**{rel.field.name: party})
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name != rel.field.name]
        if fk_names:
            queryset = queryset.select_related(*fk_names)
        if model._meta.many_to_many:
            queryset = queryset.prefetch_related(*[f.name for f in model._meta.many_to_many])
        rows = [_row(obj, skip=rel.field.name if not rel.many_to_many else None) for obj in queryset.order_by("pk")]
        if rows or not rel.hidden:
            sections[key] = {"modelo": str(model._meta.verbose_name_plural), "filas": rows}
    return sections


def party_data_export(*, actor, party: Party) -> dict:
    """Everything held about the party (GDPR art. 15), JSON-serialisable; logged as an access request."""
    party = Party.objects.select_related("account_manager", "created_by", "updated_by").get(pk=party.pk)
    data = {
        "exportado_el": _json_value(timezone.now()),
        "responsable": str(getattr(actor, "email", "") or actor or ""),
        "cliente": _row(party),
        "relacionados": _related_sections(party),
    }
    with transaction.atomic():
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="gdpr_access", obj=party,
                           changes={"secciones": sorted(data["relacionados"])})
    return data


# --- erasure --------------------------------------------------------------------------------

def crm_retention_reasons(party: Party) -> list[str]:
    """The CRM's own reason to keep the data: a pre-contractual process still open (art. 6.1.b RGPD).

    Closing the opportunity (won or lost) lifts it; past ones hold nothing personal.
    """
    titles = list(Opportunity.objects.filter(party=party, stage__in=OPEN_STAGES).order_by("pk")
                  .values_list("title", flat=True)[:4])
    if not titles:
        return []
    count = Opportunity.objects.filter(party=party, stage__in=OPEN_STAGES).count()
    return [open_opportunities_text(count, titles)]


def open_opportunities_text(count: int, titles: list[str]) -> str:
    """The sentence of crm_retention_reasons (shared with the bulk erasure): `titles`, the first four."""
    return _("Tiene %(count)d oportunidad(es) abierta(s) (%(titles)s): ciérrelas como ganadas o perdidas antes "
             "de anonimizar.") % {"count": count, "titles": ", ".join(f"«{t}»" for t in titles)}


def party_retention_reasons(party: Party) -> list[str]:
    """Why the party's data must be kept: every registered check plus the CRM's own."""
    reasons = []
    for check in list(registry.retention_checks):
        reasons.extend(reason_texts(check(party)))
    reasons.extend(crm_retention_reasons(party))
    return reasons


def reason_texts(result) -> list[str]:
    """A retention check's answer (None, a sentence or a list of them) as a list of sentences."""
    if not result:
        return []
    return [str(r) for r in result if r] if isinstance(result, (list, tuple)) else [str(result)]


@transaction.atomic
def party_anonymise(*, actor, party: Party, reason: str) -> Party:
    """GDPR erasure (art. 17) by anonymisation: the record stays (other domains point at it) but
    nothing identifies the person any more. Refused, with every reason, while a retention applies.

    The audit event lists field names and counts only, never the erased values.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo (p. ej. «Solicitud de supresión recibida por correo el "
                                           "12/03/2026»).")})
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.anonymised_at:
        raise ValidationError(_("Este cliente ya se anonimizó el %(date)s.") % {
            "date": timezone.localtime(party.anonymised_at).strftime("%d/%m/%Y")})
    reasons = party_retention_reasons(party)
    if reasons:
        raise ValidationError([ValidationError(r, code="retention") for r in reasons])

    now = timezone.now()
    alias = _("Anonimizado #%(pk)s") % {"pk": party.pk}
    erased = [name for name in _ERASED_FIELDS if getattr(party, name) not in (None, "")]
    party.first_name = alias if party.kind == PartyKind.PERSON else ""
    party.company_name = alias if party.kind == PartyKind.COMPANY else ""
    party.last_name = party.second_last_name = party.trade_name = ""
    party.display_name = alias
    party.tax_id = None
    party.birth_date = None
    party.gender = party.profession = party.notes = ""
    party.anonymised_at = now
    party.version += 1
    party.updated_by = actor if getattr(actor, "pk", None) else None
    party.save()

    relations = PartyRelation.objects.filter(models.Q(from_party=party) | models.Q(to_party=party))
    related = {pk for pair in relations.values_list("from_party_id", "to_party_id") for pk in pair} - {party.pk}
    deleted = {
        "contactos": party.contacts.all().delete()[0],
        "direcciones": party.addresses.all().delete()[0],
        "cuentas_bancarias": party.bank_accounts.all().delete()[0],
        "relaciones": relations.delete()[0],
    }
    tags = party.tags.count()
    if tags:
        party.tags.clear()
        deleted["etiquetas"] = tags
    # Consents are closed, not deleted (they prove past processing was lawful); their free-text
    # evidence may name the person, so it goes too.
    withdrawn = Consent.objects.filter(party=party, withdrawn_at__isnull=True).update(withdrawn_at=now)
    Consent.objects.filter(party=party).update(evidence=_("[anonimizado]"))
    # Copies of personal data held beside the party in the CRM.
    emails = party.campaign_messages.exclude(email="").update(email="")
    leads = Lead.objects.filter(converted_party=party).update(name=alias, company="", email="", phone="", notes="")
    activity_notes = party.activities.exclude(notes="").update(notes="")

    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="gdpr_erasure", obj=party, changes={
        "campos_anonimizados": erased,
        "borrados": deleted,
        "consentimientos_retirados": withdrawn,
        "copias_borradas": {"correos_de_campañas": emails, "contactos_comerciales": leads,
                            "notas_de_actividades": activity_notes},
        "motivo": reason,
    })
    publish("crm.party.anonymised", pk=party.pk, parties=sorted(related))  # their relations went too
    return party
