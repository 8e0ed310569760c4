"""Who may follow (and attach evidence documents to) a data subject request or a complaint: whoever may open
its page. The documents panel of both pages relies on this (apps.documents.access)."""
from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

REQUEST = "compliance.datasubjectrequest"
COMPLAINT = "compliance.complaint"


def can_view_request(user, pk: int) -> bool:
    from apps.compliance.models import DataSubjectRequest

    return user.has_perm("compliance.view_datasubjectrequest") and DataSubjectRequest.objects.filter(pk=pk).exists()


def can_view_complaint(user, pk: int) -> bool:
    from apps.compliance.models import Complaint

    return user.has_perm("compliance.view_complaint") and Complaint.objects.filter(pk=pk).exists()


def push_compliance_changes(event_name: str, payload: dict) -> None:
    kinds = {"compliance.datasubjectrequest.changed": REQUEST, "compliance.complaint.changed": COMPLAINT}
    if event_name in kinds and payload.get("pk"):
        record_changed(record_key(kinds[event_name], payload["pk"]), schema=payload.get("schema"))


register_live_record(REQUEST, can_view_request)
register_live_record(COMPLAINT, can_view_complaint)
subscribe("compliance.datasubjectrequest.changed", push_compliance_changes)
subscribe("compliance.complaint.changed", push_compliance_changes)
