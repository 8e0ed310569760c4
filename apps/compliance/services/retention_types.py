"""What each retention record type means: which records are expired on a date, which actions apply and what
anonymising or deleting one does. Other domains are reached through their services where they exist
(the CRM's party_anonymise, and parties_anonymise_bulk for a whole run); the claim, quote, consent and
document steps change only the personal fields or rows the rule names."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.compliance.choices import RecordType, RetentionAction
from apps.compliance.deadlines import add_months

ANONYMISED = "[anonimizado]"


@dataclass(frozen=True)
class TypeSpec:
    code: str
    model: Callable  # () -> model class (imported late)
    starts: str  # what starts the period, for people
    actions: tuple[str, ...]
    candidates: Callable  # (cutoff: date) -> QuerySet of expired records
    apply: Callable  # (obj, action, *, actor, reason) -> dict of what changed (audit), raises to keep it
    label: Callable = str
    # set-based path of a whole run: (ids, *, actor, reason, scope, progress) -> apps.crm.services.gdpr_bulk.BulkErasure
    bulk: Callable | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- parties ---------------------------------------------------------------------------------

def _party_model():
    from apps.crm.models import Party
    return Party


def _party_candidates(cutoff: datetime.date) -> QuerySet:
    """Not yet anonymised and untouched since the cutoff; who must be kept (policyholders, open
    opportunities, holds, open complaints) is decided per party by the registered retention checks."""
    return _party_model().objects.filter(anonymised_at__isnull=True, updated_at__lt=_start_of(cutoff))


def _party_apply(party, action, *, actor, reason):
    from apps.crm.services.gdpr import party_anonymise

    party_anonymise(actor=actor, party=party, reason=reason)  # audited there (gdpr_erasure), per party
    return None


def _party_bulk(ids, *, actor, reason, scope, progress=None):
    from apps.crm.services.gdpr_bulk import parties_anonymise_bulk

    return parties_anonymise_bulk(actor=actor, ids=ids, reason=reason, scope=scope, progress=progress)


# --- claims ----------------------------------------------------------------------------------

def _claim_model():
    from apps.claims.models import Claim
    return Claim


def _claim_candidates(cutoff: datetime.date) -> QuerySet:
    return _claim_model().objects.filter(closed_on__lt=cutoff).exclude(description=ANONYMISED)


def _claim_apply(claim, action, *, actor, reason):
    from apps.claims.models import ThirdParty

    claim.description, claim.location = ANONYMISED, ""
    claim.save(update_fields=["description", "location", "updated_at"])
    third = ThirdParty.objects.filter(claim=claim).update(name=_("Tercero anonimizado"), tax_id="", phone="",
                                                          email="", vehicle_plate="", notes="")
    return {"campos_anonimizados": ["description", "location"], "terceros_anonimizados": third}


# --- quotes ----------------------------------------------------------------------------------

def _quote_model():
    from apps.insurance.models import Quote
    return Quote


def _quote_candidates(cutoff: datetime.date) -> QuerySet:
    from apps.insurance.choices import QuoteState

    return _quote_model().objects.filter(state__in=[QuoteState.REJECTED, QuoteState.EXPIRED], valid_until__lt=cutoff,
                                         policies__isnull=True)


def _quote_apply(quote, action, *, actor, reason):
    deleted, _rows = quote.delete()
    return {"filas_borradas": deleted}


# --- consents --------------------------------------------------------------------------------

def _consent_model():
    from apps.crm.models import Consent
    return Consent


def _consent_candidates(cutoff: datetime.date) -> QuerySet:
    from apps.crm.choices import ConsentPurpose

    return _consent_model().objects.filter(purpose__in=[ConsentPurpose.MARKETING, ConsentPurpose.PROFILING],
                                           withdrawn_at__lt=_start_of(cutoff))


def _consent_apply(consent, action, *, actor, reason):
    consent.delete()
    return {"finalidad": consent.purpose}


# --- documents -------------------------------------------------------------------------------

def _document_model():
    from apps.documents.models import Document
    return Document


def _document_candidates(cutoff: datetime.date) -> QuerySet:
    """Live documents older than the cutoff whose category sets no retention of its own (the documents' own
    purge applies a category's years) and without the document's own legal-hold flag."""
    return _document_model().objects.filter(created_at__lt=_start_of(cutoff), legal_hold=False).filter(
        Q(category__isnull=True) | Q(category__retention_years__isnull=True))


def _document_apply(document, action, *, actor, reason):
    document.deleted_at = timezone.now()
    document.deleted_by = actor if getattr(actor, "pk", None) else None
    document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return {"registro": f"{document.content_type.app_label}.{document.content_type.model}.{document.object_id}"}


TYPES: dict[str, TypeSpec] = {spec.code: spec for spec in [
    TypeSpec(RecordType.PARTY_INACTIVE, _party_model, _l("última modificación del cliente"),
             (RetentionAction.ANONYMISE,), _party_candidates, _party_apply, bulk=_party_bulk),
    TypeSpec(RecordType.CLAIM_CLOSED, _claim_model, _l("fecha de cierre del siniestro"),
             (RetentionAction.ANONYMISE,), _claim_candidates, _claim_apply),
    TypeSpec(RecordType.QUOTE_NOT_ACCEPTED, _quote_model, _l("fin de validez del proyecto rechazado o caducado"),
             (RetentionAction.DELETE,), _quote_candidates, _quote_apply),
    TypeSpec(RecordType.CONSENT_REVOKED, _consent_model, _l("fecha de retirada del consentimiento"),
             (RetentionAction.DELETE,), _consent_candidates, _consent_apply),
    TypeSpec(RecordType.DOCUMENT, _document_model, _l("fecha de subida del documento"),
             (RetentionAction.DELETE,), _document_candidates, _document_apply),
]}


def cutoff_for(rule, today: datetime.date) -> datetime.date:
    """Records whose period started before this date have expired."""
    return add_months(today, -int(rule.period_months))


# Default rules a brokerage starts with (record type, months, action, ground).
DEFAULT_RULES = [
    (RecordType.PARTY_INACTIVE, 60, RetentionAction.ANONYMISE,
     _l("Cinco años sin relación: prescripción de las acciones personales (art. 1964 CC) y bloqueo (art. 32 LOPDGDD)")),
    (RecordType.CLAIM_CLOSED, 120, RetentionAction.ANONYMISE,
     _l("Diez años tras el cierre: diligencia debida (art. 25 Ley 10/2010) y contratos de seguro")),
    (RecordType.QUOTE_NOT_ACCEPTED, 12, RetentionAction.DELETE,
     _l("Un año desde el fin de su validez: sin contrato no hay base para conservarlo")),
    (RecordType.CONSENT_REVOKED, 36, RetentionAction.DELETE,
     _l("Tres años desde la retirada: prescripción de las infracciones muy graves (art. 72 LOPDGDD)")),
]
