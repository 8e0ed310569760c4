"""The register of processing activities: created, changed and exported through audited services."""
from django.db import transaction
from django.utils.functional import Promise

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.compliance.default_activities import ACTIVITIES
from apps.compliance.models import ProcessingActivity
from apps.core.services.records import record_create, record_update


@transaction.atomic
def processing_activity_create(*, actor, data: dict) -> ProcessingActivity:
    return record_create(actor=actor, model=ProcessingActivity, data=data)


@transaction.atomic
def processing_activity_update(*, actor, activity: ProcessingActivity, data: dict,
                               expected_version: int | None = None) -> ProcessingActivity:
    return record_update(actor=actor, instance=activity, data=data, expected_version=expected_version)


@transaction.atomic
def processing_activities_seed_defaults(*, actor=None) -> int:
    """A brokerage's standard activities (those whose code exists are left as they are), in one audit event."""
    existing = set(ProcessingActivity.objects.values_list("code", flat=True))
    user = actor if getattr(actor, "pk", None) else None
    rows = [ProcessingActivity(**{key: (str(value) if isinstance(value, Promise) else value)
                                  for key, value in spec.items()}, created_by=user, updated_by=user)
            for spec in ACTIVITIES if spec["code"] not in existing]
    if not rows:
        return 0
    created = ProcessingActivity.objects.bulk_create(rows)
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=created[0], verb="compliance_activities_seed",
                       changes={"actividades": [row.code for row in created]})
    return len(created)
