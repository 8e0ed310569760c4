"""Data subject requests (arts. 12 and 15-20 RGPD) as cases: received → in progress → resolved / denied.

Deadline: one month from reception; extendable once by two further months, with the reason, while the first
month runs (art. 12.3 RGPD). Access and portability attach the CRM export (apps.crm.services.gdpr) as an
evidence document of the case; erasure calls the CRM anonymisation and is refused with the retention checks'
reasons when the law requires keeping the data (art. 17.3.b RGPD)."""
import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.compliance.choices import OPEN_REQUEST_STATES, RequestKind, RequestState
from apps.compliance.deadlines import add_months
from apps.compliance.errors import ComplianceError
from apps.compliance.models import DataSubjectRequest
from apps.core.events import publish

DEADLINE_MONTHS = 1
EXTENSION_MONTHS = 2
EXPORT_KINDS = (RequestKind.ACCESS, RequestKind.PORTABILITY)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def dsr_deadline(received_on: datetime.date) -> datetime.date:
    return add_months(received_on, DEADLINE_MONTHS)


def dsr_extended_deadline(received_on: datetime.date) -> datetime.date:
    return add_months(received_on, DEADLINE_MONTHS + EXTENSION_MONTHS)


def _locked(request: DataSubjectRequest) -> DataSubjectRequest:
    return DataSubjectRequest.objects.select_for_update().select_related("party").get(pk=request.pk)


def _require_open(request: DataSubjectRequest) -> None:
    if request.state not in OPEN_REQUEST_STATES:
        raise ComplianceError(_("La solicitud %(number)s ya está %(state)s.") % {
            "number": request.number, "state": str(request.get_state_display()).lower()}, code="compliance_dsr_closed")


def _save(request, actor, changes: dict, verb: str) -> DataSubjectRequest:
    request.updated_by = _user(actor)
    request.version += 1
    request.save()
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=request, verb=verb, changes=changes)
    publish("compliance.datasubjectrequest.changed", pk=request.pk, party=request.party_id)
    return request


@transaction.atomic
def dsr_create(*, actor, kind: str, party, received_on: datetime.date, channel: str = "email",
               description: str = "", handler=None) -> DataSubjectRequest:
    from apps.insurance.services.numbering import formatted_number

    if kind not in RequestKind.values:
        raise ComplianceError(_("Indique el derecho ejercido."), code="compliance_dsr_kind", field="kind")
    if received_on > timezone.localdate():
        raise ComplianceError(_("La fecha de recepción no puede ser futura."), code="compliance_dsr_received",
                              field="received_on")
    request = DataSubjectRequest.objects.create(
        number=formatted_number(series="SD", year=received_on.year, width=4), kind=kind, party=party,
        received_on=received_on, deadline=dsr_deadline(received_on), channel=channel, description=description,
        handler=handler, created_by=_user(actor), updated_by=_user(actor))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=request, changes={
        "kind": [None, kind], "party": [None, str(party)], "received_on": [None, received_on],
        "deadline": [None, request.deadline]})
    if handler is not None and handler != _user(actor):
        from apps.notifications.services.notifications import notify_assignment

        notify_assignment(actor=actor, assignee=handler, url=reverse("compliance:dsr-detail", args=[request.pk]),
                          title=_("Solicitud de derechos %(number)s asignada (plazo %(date)s)") % {
                              "number": request.number, "date": request.deadline.strftime("%d/%m/%Y")})
    publish("compliance.datasubjectrequest.created", pk=request.pk, party=party.pk)
    return request


@transaction.atomic
def dsr_start(*, actor, request: DataSubjectRequest) -> DataSubjectRequest:
    request = _locked(request)
    if request.state != RequestState.RECEIVED:
        raise ComplianceError(_("Solo una solicitud recibida pasa a «en curso»."), code="compliance_dsr_state")
    request.state = RequestState.IN_PROGRESS
    return _save(request, actor, {"state": [RequestState.RECEIVED, RequestState.IN_PROGRESS]}, "compliance_dsr_state")


@transaction.atomic
def dsr_extend(*, actor, request: DataSubjectRequest, reason: str,
               today: datetime.date | None = None) -> DataSubjectRequest:
    """Two more months (three from reception), once, with the reason, before the first month ends."""
    today = today or timezone.localdate()
    request = _locked(request)
    _require_open(request)
    reason = (reason or "").strip()
    if not reason:
        raise ComplianceError(_("Indique el motivo de la ampliación (complejidad o número de solicitudes): hay que "
                                "comunicarlo al interesado."), code="compliance_dsr_extension_reason", field="reason")
    if request.extended_deadline:
        raise ComplianceError(_("El plazo ya se amplió hasta el %(date)s: el RGPD permite una sola ampliación de "
                                "dos meses.") % {"date": request.extended_deadline.strftime("%d/%m/%Y")},
                              code="compliance_dsr_extended")
    if today > request.deadline:
        raise ComplianceError(_("El primer mes terminó el %(date)s: la ampliación debe comunicarse dentro de ese "
                                "mes (art. 12.3 RGPD).") % {"date": request.deadline.strftime("%d/%m/%Y")},
                              code="compliance_dsr_extension_late")
    request.extended_deadline = dsr_extended_deadline(request.received_on)
    request.extension_reason = reason
    if request.state == RequestState.RECEIVED:
        request.state = RequestState.IN_PROGRESS
    return _save(request, actor, {"extended_deadline": [None, request.extended_deadline],
                                  "extension_reason": [None, reason]}, "compliance_dsr_extend")


@transaction.atomic
def dsr_export(*, actor, request: DataSubjectRequest):
    """Access / portability: the CRM export of everything held (JSON, structured and machine-readable, art. 20),
    stored as an evidence document of the case. Returns the document."""
    from apps.crm.services.gdpr import party_data_export
    from apps.documents.services.documents import document_store_bytes

    request = _locked(request)
    _require_open(request)
    if request.kind not in EXPORT_KINDS:
        raise ComplianceError(_("La exportación corresponde a solicitudes de acceso o portabilidad."),
                              code="compliance_dsr_export_kind")
    data = party_data_export(actor=actor, party=request.party)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    document = document_store_bytes(
        actor=actor, key=f"compliance.datasubjectrequest.{request.pk}",
        filename=f"{request.number}-datos-json.txt", content=content,  # documents accept no .json: JSON text
        title=_("Exportación de datos (%(kind)s) %(number)s") % {"kind": request.get_kind_display(),
                                                                 "number": request.number})
    if request.state == RequestState.RECEIVED:
        request.state = RequestState.IN_PROGRESS
    _save(request, actor, {"documento": [None, document.pk], "bytes": [None, len(content)]}, "compliance_dsr_export")
    return document


@transaction.atomic
def dsr_rectify(*, actor, request: DataSubjectRequest, notes: str) -> DataSubjectRequest:
    """Records what was corrected (the correction itself is made on the client's record)."""
    request = _locked(request)
    _require_open(request)
    notes = (notes or "").strip()
    if request.kind != RequestKind.RECTIFICATION or not notes:
        raise ComplianceError(_("Describa los datos rectificados (solo en solicitudes de rectificación)."),
                              code="compliance_dsr_rectify", field="notes")
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    before = request.rectification_notes
    request.rectification_notes = f"{before}\n{stamp}: {notes}".strip()
    if request.state == RequestState.RECEIVED:
        request.state = RequestState.IN_PROGRESS
    return _save(request, actor, {"rectification_notes": [before, request.rectification_notes]}, "compliance_dsr_state")


def dsr_erase(*, actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Erasure by anonymisation; when a retention applies it is refused with every reason and the refusal is
    audited (deny the request with those reasons: art. 17.3 RGPD)."""
    from apps.crm.services.gdpr import party_anonymise

    if request.kind != RequestKind.ERASURE:
        raise ComplianceError(_("La anonimización corresponde a solicitudes de supresión."),
                              code="compliance_dsr_erase_kind")
    try:
        with transaction.atomic():
            request = _locked(request)
            _require_open(request)
            party_anonymise(actor=actor, party=request.party, reason=_("Solicitud de supresión %(number)s") % {
                "number": request.number})
            request.state, request.resolved_on = RequestState.RESOLVED, timezone.localdate()
            request.resolution = _("Datos del interesado anonimizados el %(date)s.") % {
                "date": request.resolved_on.strftime("%d/%m/%Y")}
            return _save(request, actor, {"state": [RequestState.IN_PROGRESS, RequestState.RESOLVED]},
                         "compliance_dsr_state")
    except ValidationError as exc:
        reasons = exc.messages
        with transaction.atomic():
            audit_event_record(actor=actor, action=AuditAction.ACTION, obj=request,
                               verb="compliance_dsr_erasure_refused", changes={"motivos": reasons})
        raise ComplianceError(_("No se puede suprimir: %(reasons)s") % {"reasons": " ".join(reasons)},
                              code="compliance_dsr_must_keep") from exc


@transaction.atomic
def dsr_close(*, actor, request: DataSubjectRequest, outcome: str, text: str,
              resolved_on: datetime.date | None = None) -> DataSubjectRequest:
    """Resolve (answer given) or deny (with the reason told to the person)."""
    request = _locked(request)
    _require_open(request)
    text = (text or "").strip()
    if outcome not in (RequestState.RESOLVED, RequestState.DENIED):
        raise ComplianceError(_("Elija resolver o denegar."), code="compliance_dsr_outcome", field="outcome")
    if not text:
        raise ComplianceError(_("Indique la respuesta dada o el motivo de la denegación."),
                              code="compliance_dsr_text", field="text")
    resolved_on = resolved_on or timezone.localdate()
    if resolved_on < request.received_on:
        raise ComplianceError(_("La fecha de resolución es anterior a la recepción."), code="compliance_dsr_date",
                              field="resolved_on")
    before = request.state
    request.state, request.resolved_on = outcome, resolved_on
    if outcome == RequestState.DENIED:
        request.denial_reason = text
    else:
        request.resolution = text
    return _save(request, actor, {"state": [before, outcome], "resolved_on": [None, resolved_on]},
                 "compliance_dsr_state")
