from apps.audit.services.chain import (
    audit_chain_verify, audit_event_record, audit_events_record, diff_instances, snapshot,
)
from apps.audit.services.sensitive import sensitive_reveal
from apps.audit.services.verification import audit_verification_run

__all__ = ["audit_chain_verify", "audit_event_record", "audit_events_record", "audit_verification_run", "diff_instances",
           "sensitive_reveal", "snapshot"]
