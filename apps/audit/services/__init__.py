from apps.audit.services.chain import (
    audit_chain_verify, audit_event_record, audit_events_record, diff_instances, snapshot,
)

__all__ = ["audit_chain_verify", "audit_event_record", "audit_events_record", "diff_instances", "snapshot"]
