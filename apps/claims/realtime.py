"""Live updates of the claim pages: every claims event is "claims.claim.<event>" with the claim's
pk (apps.claims.services.common.record), so after a commit that changed a claim (state, reserve,
payments, tasks, third parties, documents, details) the pages following "claims.claim.<pk>" on
/ws/records/ are told, and so are its policy's page and its policyholder's 360° page (both list the
claims). Who may follow a claim: whoever may open its page.
"""
from django_tenants.utils import schema_context

from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

CLAIM = "claims.claim"
POLICY = "insurance.policy"
PARTY = "crm.party"


def can_view_claim(user, pk: int) -> bool:
    """The claim page's rule: the view permission and the claim among those the user sees."""
    from apps.claims.selectors import claims_for

    return user.has_perm("claims.view_claim") and claims_for(user).filter(pk=pk).exists()


def keys_of_event(event_name: str, payload: dict) -> set[str]:
    if not event_name.startswith("claims.claim.") or not payload.get("pk"):
        return set()
    from apps.claims.models import Claim

    with schema_context(payload["schema"]):  # one query
        row = Claim.objects.filter(pk=payload["pk"]).values_list("policy_id", "policyholder_id").first()
    policy, holder = row or (None, None)
    keys = {record_key(CLAIM, payload["pk"])}
    if policy:
        keys.add(record_key(POLICY, policy))
    if holder:
        keys.add(record_key(PARTY, holder))
    return keys


def push_claim_changes(event_name: str, payload: dict) -> None:
    for key in sorted(keys_of_event(event_name, payload)):
        record_changed(key, schema=payload.get("schema"))


register_live_record(CLAIM, can_view_claim)
subscribe("*", push_claim_changes)
