"""Live updates of the receipt pages and of the pages that show receipts: after a commit that
collected, returned or cancelled a receipt, the pages following "collections.receipt.<pk>" on
/ws/records/ are told, and so are its policy's page (receipts, cover state and commission panel)
and its policyholder's 360° page (unpaid receipts). Receipts generated for a policy and a
collaborator's share set or removed reach the policy's page. Who may follow a receipt: whoever may
open its page.
"""
from django_tenants.utils import schema_context

from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

RECEIPT = "collections.receipt"
POLICY = "insurance.policy"
PARTY = "crm.party"


def can_view_receipt(user, pk: int) -> bool:
    """The receipt page's rule: the view permission and the receipt among those the user sees."""
    from apps.collections.selectors_pages import receipts_for

    return user.has_perm("collections.view_receipt") and receipts_for(user).filter(pk=pk).exists()


def _receipt_owners(schema: str, pk) -> tuple[int | None, int | None]:
    from apps.collections.models import Receipt

    with schema_context(schema):  # one query
        row = Receipt.objects.filter(pk=pk).values_list("policy_id", "policyholder_id").first()
    return row or (None, None)


def keys_of_event(event_name: str, payload: dict) -> set[str]:
    """The live keys whose page shows what collections event `event_name` changed."""
    app_label, _sep, rest = event_name.partition(".")
    if app_label != "collections":
        return set()
    model_name = rest.split(".", 1)[0]
    keys = set()
    if model_name == "receipt" and payload.get("pk"):
        policy, holder = _receipt_owners(payload["schema"], payload["pk"])
        keys.add(record_key(RECEIPT, payload["pk"]))
        keys |= {record_key(POLICY, p) for p in (payload.get("policy"), policy) if p}
        if holder:
            keys.add(record_key(PARTY, holder))
    elif model_name == "receipts":  # generated for these policies
        keys |= {record_key(POLICY, p) for p in payload.get("policies") or () if p}
    elif model_name == "share" and payload.get("policy"):
        keys.add(record_key(POLICY, payload["policy"]))
    return keys


def push_collections_changes(event_name: str, payload: dict) -> None:
    for key in sorted(keys_of_event(event_name, payload)):
        record_changed(key, schema=payload.get("schema"))


register_live_record(RECEIPT, can_view_receipt)
subscribe("*", push_collections_changes)
