"""The customer service (servicio de atención al cliente, Orden ECO/734/2004): complaints (quejas) and claims
(reclamaciones) from reception to a reasoned resolution within the deadline of art. 10.3: two months from
presentation, one month when the complainant is a consumer (wording of Orden ECE/482/2019); both periods are
the brokerage's settings (ComplianceSettings)."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.compliance.choices import ComplaintKind, ComplaintOutcome, ComplaintState
from apps.compliance.deadlines import add_months
from apps.compliance.errors import ComplianceError
from apps.compliance.models import Complaint, ComplianceSettings
from apps.core.events import publish

CENT = Decimal("0.01")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    value = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise ComplianceError(_("El importe no puede ser negativo."), code="compliance_amount")
    return value


def complaint_deadline(received_on: datetime.date, *, is_consumer: bool,
                       config: ComplianceSettings | None = None) -> datetime.date:
    config = config or ComplianceSettings.current()
    return add_months(received_on, config.consumer_complaint_months if is_consumer else config.complaint_months)


@transaction.atomic
def complaint_create(*, actor, kind: str, party, received_on: datetime.date, description: str,
                     is_consumer: bool = True, channel: str = "email", reason: str = "other", handler=None,
                     policy=None, claim=None, amount_claimed=None) -> Complaint:
    from apps.insurance.services.numbering import formatted_number

    if kind not in ComplaintKind.values:
        raise ComplianceError(_("Indique si es queja o reclamación."), code="compliance_complaint_kind", field="kind")
    if received_on > timezone.localdate():
        raise ComplianceError(_("La fecha de recepción no puede ser futura."), code="compliance_complaint_received",
                              field="received_on")
    if not (description or "").strip():
        raise ComplianceError(_("Describa los hechos y la petición."), code="compliance_complaint_description",
                              field="description")
    if policy is not None and policy.policyholder_id != party.pk:
        raise ComplianceError(_("La póliza no es de este cliente."), code="compliance_complaint_policy",
                              field="policy")
    if claim is not None and claim.policyholder_id != party.pk:
        raise ComplianceError(_("El siniestro no es de este cliente."), code="compliance_complaint_claim",
                              field="claim")
    complaint = Complaint.objects.create(
        number=formatted_number(series="SAC", year=received_on.year, width=4), kind=kind, party=party,
        is_consumer=is_consumer, channel=channel, received_on=received_on,
        deadline=complaint_deadline(received_on, is_consumer=is_consumer), reason=reason,
        description=description.strip(), handler=handler, policy=policy, claim=claim,
        amount_claimed=_money(amount_claimed), created_by=_user(actor), updated_by=_user(actor))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=complaint, changes={
        "kind": [None, kind], "party": [None, str(party)], "received_on": [None, received_on],
        "deadline": [None, complaint.deadline], "is_consumer": [None, is_consumer]})
    if handler is not None and handler != _user(actor):
        from apps.notifications.services.notifications import notify_assignment

        notify_assignment(actor=actor, assignee=handler, url=reverse("compliance:complaint-detail", args=[complaint.pk]),
                          title=_("%(kind)s %(number)s asignada (plazo %(date)s)") % {
                              "kind": complaint.get_kind_display(), "number": complaint.number,
                              "date": complaint.deadline.strftime("%d/%m/%Y")})
    publish("compliance.complaint.created", pk=complaint.pk, party=party.pk)
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_start(*, actor, complaint: Complaint, handler=None) -> Complaint:
    complaint = _locked(complaint)
    if complaint.state != ComplaintState.RECEIVED:
        raise ComplianceError(_("Solo una queja recibida pasa a «en trámite»."), code="compliance_complaint_state")
    complaint.state = ComplaintState.IN_PROGRESS
    changes = {"state": [ComplaintState.RECEIVED, ComplaintState.IN_PROGRESS]}
    if handler is not None:
        changes["handler"] = [str(complaint.handler or ""), str(handler)]
        complaint.handler = handler
    complaint.updated_by, complaint.version = _user(actor), complaint.version + 1
    complaint.save()
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=complaint, verb="compliance_complaint_state",
                       changes=changes)
    publish("compliance.complaint.changed", pk=complaint.pk)
    return complaint


@transaction.atomic
def complaint_resolve(*, actor, complaint: Complaint, outcome: str, resolution: str,
                      resolved_on: datetime.date | None = None, not_admitted_reason: str = "", criteria: str = "",
                      amount_granted=None) -> Complaint:
    """Closes the case with a reasoned decision (art. 15): estimada, parcialmente estimada, desestimada, or not
    admitted (art. 11, with its cause). A resolution after the deadline is allowed but shows as late."""
    complaint = _locked(complaint)
    if complaint.state == ComplaintState.CLOSED:
        raise ComplianceError(_("La queja %(number)s ya está resuelta.") % {"number": complaint.number},
                              code="compliance_complaint_closed")
    if outcome not in ComplaintOutcome.values:
        raise ComplianceError(_("Elija la resolución."), code="compliance_complaint_outcome", field="outcome")
    if outcome == ComplaintOutcome.NOT_ADMITTED and not not_admitted_reason:
        raise ComplianceError(_("Indique la causa de inadmisión (art. 11 Orden ECO/734/2004)."),
                              code="compliance_complaint_not_admitted", field="not_admitted_reason")
    if not (resolution or "").strip():
        raise ComplianceError(_("Redacte la resolución motivada que se comunica al cliente."),
                              code="compliance_complaint_resolution", field="resolution")
    resolved_on = resolved_on or timezone.localdate()
    if resolved_on < complaint.received_on:
        raise ComplianceError(_("La fecha de resolución es anterior a la recepción."),
                              code="compliance_complaint_date", field="resolved_on")
    granted = _money(amount_granted)
    if granted and outcome not in (ComplaintOutcome.UPHELD, ComplaintOutcome.PARTIALLY_UPHELD):
        raise ComplianceError(_("Solo una resolución estimada (total o parcialmente) reconoce un importe."),
                              code="compliance_complaint_amount", field="amount_granted")
    before = complaint.state
    complaint.state, complaint.outcome, complaint.resolved_on = ComplaintState.CLOSED, outcome, resolved_on
    complaint.not_admitted_reason = not_admitted_reason if outcome == ComplaintOutcome.NOT_ADMITTED else ""
    complaint.resolution, complaint.criteria, complaint.amount_granted = resolution.strip(), criteria.strip(), granted
    complaint.updated_by, complaint.version = _user(actor), complaint.version + 1
    complaint.save()
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=complaint, verb="compliance_complaint_resolve",
                       changes={"state": [before, ComplaintState.CLOSED], "outcome": [None, outcome],
                                "resolved_on": [None, resolved_on], "amount_granted": [None, granted],
                                "en_plazo": resolved_on <= complaint.deadline})
    publish("compliance.complaint.changed", pk=complaint.pk)
    return complaint
