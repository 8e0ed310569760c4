"""Legal holds: a record under an active hold is never anonymised or deleted by retention, and a held client's
erasure is refused (registered as a retention check of apps.crm.services.gdpr)."""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aitcore.registry import registry
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.compliance.errors import ComplianceError
from apps.compliance.models import LegalHold
from apps.core.events import publish


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def holds_for(obj, today: datetime.date | None = None):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return LegalHold.objects.active(today).filter(content_type=content_type, object_id=obj.pk)


def held_ids(model, today: datetime.date | None = None):
    """A subquery of the ids of `model` under an active hold."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return LegalHold.objects.active(today).filter(content_type=content_type).values("object_id")


def hold_reason_text(hold: LegalHold) -> str:
    until = hold.until.strftime("%d/%m/%Y") if hold.until else _("que se levante")
    return _("Retención legal hasta %(until)s: %(reason)s") % {"until": until, "reason": hold.reason}


@transaction.atomic
def legal_hold_place(*, actor, target, reason: str, until: datetime.date | None = None) -> LegalHold:
    reason = (reason or "").strip()
    if not reason:
        raise ComplianceError(_("Indique el motivo de la retención legal."), code="compliance_hold_reason",
                              field="reason")
    if until is not None and until < timezone.localdate():
        raise ComplianceError(_("La fecha «hasta» ya ha pasado."), code="compliance_hold_until", field="until")
    if target is None or target.pk is None:
        raise ComplianceError(_("No existe el registro."), code="compliance_hold_target", status=404)
    hold = LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False), object_id=target.pk,
        reason=reason, until=until, held_by=_user(actor), created_by=_user(actor), updated_by=_user(actor))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=hold, verb="compliance_hold_place",
                       changes={"registro": [None, f"{hold.content_type.app_label}.{hold.content_type.model}."
                                                   f"{hold.object_id}"], "motivo": [None, reason],
                                "hasta": [None, until]})
    publish("compliance.legalhold.placed", pk=hold.pk)
    return hold


@transaction.atomic
def legal_hold_release(*, actor, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ComplianceError(_("Esta retención ya se levantó."), code="compliance_hold_released")
    hold.released_at, hold.released_by, hold.updated_by = timezone.now(), _user(actor), _user(actor)
    hold.version += 1
    hold.save()
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=hold, verb="compliance_hold_release",
                       changes={"levantada": [None, hold.released_at]})
    publish("compliance.legalhold.released", pk=hold.pk)
    return hold


def party_hold_reasons(party) -> list[str]:
    """Retention check for the CRM's erasure: a client under legal hold keeps its data."""
    return [hold_reason_text(hold) for hold in holds_for(party)]


def party_open_case_reasons(party) -> list[str]:
    """A client with an open complaint keeps its data until it is resolved (art. 6.1.c RGPD)."""
    from apps.compliance.models import Complaint
    from apps.compliance.choices import ComplaintState

    numbers = list(Complaint.objects.filter(party=party).exclude(state=ComplaintState.CLOSED)
                   .values_list("number", flat=True)[:3])
    if not numbers:
        return []
    return [_open_cases_text(numbers)]


def _open_cases_text(numbers: list[str]) -> str:
    return (_("Tiene quejas o reclamaciones abiertas (%(numbers)s): resuélvalas antes de anonimizar.")
            % {"numbers": ", ".join(numbers)})


# Set-based twins of the two checks (apps.crm.services.gdpr_bulk): {party id: reasons} for the parties of
# `ids` that must be kept, in one query each, with the same sentences.

def _party_hold_reasons_bulk(ids) -> dict[int, list[str]]:
    from apps.crm.models import Party

    content_type = ContentType.objects.get_for_model(Party, for_concrete_model=False)
    reasons: dict[int, list[str]] = {}
    for hold in LegalHold.objects.active().filter(content_type=content_type, object_id__in=list(ids)):
        reasons.setdefault(hold.object_id, []).append(hold_reason_text(hold))
    return reasons


def _party_open_case_reasons_bulk(ids) -> dict[int, list[str]]:
    from apps.compliance.models import Complaint
    from apps.compliance.choices import ComplaintState

    numbers: dict[int, list[str]] = {}
    rows = Complaint.objects.filter(party_id__in=list(ids)).exclude(state=ComplaintState.CLOSED)
    for party_id, number in rows.values_list("party_id", "number"):
        numbers.setdefault(party_id, []).append(number)
    return {party_id: [_open_cases_text(found[:3])] for party_id, found in numbers.items()}


party_hold_reasons.bulk = _party_hold_reasons_bulk
party_open_case_reasons.bulk = _party_open_case_reasons_bulk
registry.register_retention_check(party_hold_reasons)
registry.register_retention_check(party_open_case_reasons)
