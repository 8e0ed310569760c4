"""Running the hash-chain verification and keeping its result for the audit viewer."""
from django.db import transaction

from apps.audit.choices import AuditAction
from apps.audit.models import AuditVerification
from apps.audit.services.chain import audit_chain_verify, audit_event_record


@transaction.atomic
def audit_verification_run(*, actor=None, job_id: int | None = None) -> AuditVerification:
    """Verifies the whole chain of the current schema, stores the result and audits the run."""
    report = audit_chain_verify()
    first_id, first_reason = report.broken[0] if report.broken else (None, "")
    verification = AuditVerification.objects.create(
        ok=report.ok, checked=report.checked, broken_count=len(report.broken), first_broken_id=first_id,
        first_broken_reason=str(first_reason)[:200], broken=[[pk, str(reason)] for pk, reason in report.broken[:50]],
        actor_id=getattr(actor, "pk", None), actor_label=(getattr(actor, "email", "") or "")[:254] if actor else "",
        job_id=job_id,
    )
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=verification, verb="audit_verify",
                       changes={"resultado": "OK" if report.ok else "ROTA", "comprobados": report.checked,
                                "rotos": len(report.broken)})
    return verification
