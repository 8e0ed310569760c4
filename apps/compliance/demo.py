"""Demo compliance for the demo brokerage: the standard register of processing activities and retention rules,
an access request received ten days ago (in progress), and three complaints: one resolved in time (partially
upheld, 150,00 € recognised), one not admitted (already before the courts) and one open near its deadline.
Runs once: skipped when the brokerage already has requests or complaints."""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aitcore.registry import registry


def compliance_demo_seed(*, admin, today: datetime.date | None = None) -> dict:
    from apps.compliance.choices import (
        ComplaintKind, ComplaintOutcome, ComplaintReason, NotAdmittedReason, RequestKind,
    )
    from apps.compliance.models import Complaint, DataSubjectRequest
    from apps.compliance.services.activities import processing_activities_seed_defaults
    from apps.compliance.services.complaints import complaint_create, complaint_resolve
    from apps.compliance.services.requests import dsr_create, dsr_start
    from apps.compliance.services.retention import retention_rules_seed_defaults
    from apps.crm.models import Party

    today = today or timezone.localdate()
    done = {"activities": processing_activities_seed_defaults(actor=admin),
            "rules": retention_rules_seed_defaults(actor=admin)}
    if DataSubjectRequest.objects.exists() or Complaint.objects.exists():
        return done
    parties = list(Party.objects.filter(anonymised_at__isnull=True).order_by("pk")[:4])
    if len(parties) < 4:
        return done
    with transaction.atomic():
        request = dsr_create(actor=admin, kind=RequestKind.ACCESS, party=parties[0],
                             received_on=today - datetime.timedelta(days=10), channel="email", handler=admin,
                             description="Solicita copia de todos sus datos personales y de las pólizas contratadas.")
        dsr_start(actor=admin, request=request)
        first = complaint_create(
            actor=admin, kind=ComplaintKind.RECLAMACION, party=parties[1], received_on=today - datetime.timedelta(days=50),
            reason=ComplaintReason.RECEIPTS, handler=admin, amount_claimed=Decimal("300.00"),
            description="Reclama el recargo de devolución de un recibo que afirma haber pagado a tiempo.")
        complaint_resolve(actor=admin, complaint=first, outcome=ComplaintOutcome.PARTIALLY_UPHELD,
                          resolved_on=today - datetime.timedelta(days=30), amount_granted=Decimal("150.00"),
                          criteria="Los gastos de devolución imputables a la correduría se reintegran al cliente.",
                          resolution="Se reintegra el recargo cobrado por error; la prima del recibo es debida.")
        second = complaint_create(
            actor=admin, kind=ComplaintKind.RECLAMACION, party=parties[2], received_on=today - datetime.timedelta(days=20),
            reason=ComplaintReason.CLAIM, handler=admin, amount_claimed=Decimal("2400.00"),
            description="Disconforme con la valoración del perito del siniestro de daños por agua.")
        complaint_resolve(actor=admin, complaint=second, outcome=ComplaintOutcome.NOT_ADMITTED,
                          not_admitted_reason=NotAdmittedReason.JUDICIAL, resolved_on=today - datetime.timedelta(days=15),
                          resolution="El asunto está pendiente de resolución judicial (art. 11.1 Orden ECO/734/2004).")
        complaint_create(actor=admin, kind=ComplaintKind.QUEJA, party=parties[3],
                         received_on=today - datetime.timedelta(days=25), reason=ComplaintReason.SERVICE, handler=admin,
                         description="Se queja de no haber recibido respuesta a tres correos sobre su renovación.")
    done.update({"requests": 1, "complaints": 3})
    return done


registry.register_demo_seeder(compliance_demo_seed)
