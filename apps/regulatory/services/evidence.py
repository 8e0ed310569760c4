"""Recording the LDS distribution duties of a policy (RDL 3/2020, libro II).

evidence_record: one delivery (IPID, pre-contract information, demands-and-needs test with its
answers and suitability statement, remuneration disclosure with its nature). evidence_from_quote:
what the quote the policy came from already proves (its demands-and-needs record, the proposal sent
by e-mail). remuneration_default: the nature the product's commission setting implies."""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.regulatory.choices import DeliveryChannel, EvidenceKind, RemunerationNature
from apps.regulatory.errors import RegulatoryError
from apps.regulatory.models import DistributionEvidence
from apps.regulatory.questionnaire import suitability_statement

FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def remuneration_default(policy) -> str:
    """Commission when an agreement with the insurer covers the product (the premium carries the
    broker's commission), fees otherwise."""
    from apps.insurance.models import CommissionAgreement
    from django.db.models import Q

    agreed = CommissionAgreement.objects.filter(Q(product=policy.product_id) | Q(product__isnull=True),
                                                insurer=policy.insurer_id).exists()
    return RemunerationNature.COMMISSION if agreed else RemunerationNature.FEES


def _check_document(policy, document) -> None:
    if document is None:
        return
    policy_type = ContentType.objects.get_for_model(type(policy))
    if document.content_type_id != policy_type.pk or document.object_id != policy.pk:
        raise RegulatoryError(_("El documento no está archivado en la póliza %s.") % policy.number,
                              code="evidence_document_foreign", field="document")


def _delivered_at(value) -> datetime.datetime:
    if value is None:
        return timezone.now()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = timezone.make_aware(datetime.datetime.combine(value, datetime.time(12, 0)))
    if not isinstance(value, datetime.datetime):
        raise RegulatoryError(_("Indique la fecha de entrega."), code="evidence_date_missing", field="delivered_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise RegulatoryError(_("La fecha de entrega no puede ser futura."), code="evidence_date_future",
                              field="delivered_at")
    return value


@transaction.atomic
def evidence_record(*, actor, policy, kind: str, channel: str, delivered_at: datetime.datetime | None = None,
                    document=None, answers: dict | None = None, statement: str = "",
                    remuneration_nature: str = "", notes: str = "") -> DistributionEvidence:
    """Records that `kind` was delivered for `policy` through `channel` on `delivered_at` (now if
    None). The demands-and-needs test needs its answers (the statement defaults to the product's
    suitability statement); the remuneration disclosure needs its nature (defaults from the
    product's commission setting)."""
    if kind not in EvidenceKind.values:
        raise RegulatoryError(_("Obligación desconocida: %s.") % kind, code="evidence_kind_invalid", field="kind")
    if channel not in DeliveryChannel.values:
        raise RegulatoryError(_("Elija el medio de entrega."), code="evidence_channel_invalid", field="channel")
    when = _delivered_at(delivered_at)
    _check_document(policy, document)
    answers = dict(answers or {})
    statement = (statement or "").strip()
    nature = remuneration_nature or ""
    if kind == EvidenceKind.DEMANDS_NEEDS:
        if not answers:
            raise RegulatoryError(_("El test de exigencias y necesidades necesita las respuestas del cliente."),
                                  code="evidence_answers_missing", field="answers")
        statement = statement or suitability_statement(policy, answers)
    else:
        answers = {}
    if kind == EvidenceKind.REMUNERATION:
        nature = nature or remuneration_default(policy)
        if nature not in RemunerationNature.values:
            raise RegulatoryError(_("Naturaleza de la remuneración no válida."), code="evidence_nature_invalid",
                                  field="remuneration_nature")
    else:
        nature = ""
    evidence = DistributionEvidence.objects.create(
        policy=policy, kind=kind, delivered_at=when, channel=channel, document=document, answers=answers,
        statement=statement, remuneration_nature=nature, notes=(notes or "").strip()[:300],
        recorded_by=_actor(actor), created_by=_actor(actor), updated_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="distribution_evidence_record",
                       obj=evidence, changes={"póliza": [None, policy.number], "obligación": [None, kind],
                                              "medio": [None, channel], "entregado": [None, when.isoformat()],
                                              **({"remuneración": [None, nature]} if nature else {})})
    publish("regulatory.evidence.recorded", pk=evidence.pk, policy=policy.pk, kind=kind)
    return evidence


@transaction.atomic
def evidence_from_quote(*, actor, policy) -> list[DistributionEvidence]:
    """What the policy's quote already proves, for the kinds the policy has no evidence of yet: the
    demands-and-needs record (answers and statement, when the quote was created) and, when the
    proposal was sent, the IPID and the pre-contract information (e-mail, when it was sent)."""
    quote = policy.quote
    if quote is None:
        raise RegulatoryError(_("La póliza %s no procede de un proyecto.") % policy.number,
                              code="evidence_no_quote", field="policy")
    have = set(DistributionEvidence.objects.filter(policy=policy).values_list("kind", flat=True))
    made = []
    note = _("Registrado desde el proyecto %s.") % quote.number
    if EvidenceKind.DEMANDS_NEEDS not in have and quote.demands_and_needs:
        made.append(evidence_record(actor=actor, policy=policy, kind=EvidenceKind.DEMANDS_NEEDS,
                                    channel=DeliveryChannel.PAPER, delivered_at=quote.created_at,
                                    answers=quote.demands_and_needs, statement=quote.needs_statement, notes=note))
    if quote.sent_at:
        for kind in (EvidenceKind.IPID, EvidenceKind.PRECONTRACT):
            if kind not in have:
                made.append(evidence_record(actor=actor, policy=policy, kind=kind, channel=DeliveryChannel.EMAIL,
                                            delivered_at=quote.sent_at, notes=note))
    if not made:
        raise RegulatoryError(_("El proyecto %s no aporta ninguna evidencia nueva (sin test o sin envío).")
                              % quote.number, code="evidence_quote_empty", field="policy")
    return made
