"""Live updates of the policy and quote pages: after a commit that changed a policy (issued,
endorsed, suspended, renewed…), a quote (rated, sent, accepted…) or something a policy page shows
(its renewal proposal), the pages following "insurance.policy.<pk>" / "insurance.quote.<pk>" on
/ws/records/ are told and re-read themselves. A policy change also reaches its policyholder's 360°
page (it lists the client's policies). Who may follow: whoever may open the record's page.
"""
from django_tenants.utils import schema_context

from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

POLICY = "insurance.policy"
QUOTE = "insurance.quote"
PARTY = "crm.party"


def can_view_policy(user, pk: int) -> bool:
    """The policy page's rule: the view permission and the policy among those the user sees."""
    from apps.insurance.selectors_policies import policies_for

    return user.has_perm("insurance.view_policy") and policies_for(user).filter(pk=pk).exists()


def can_view_quote(user, pk: int) -> bool:
    """The quote page's rule (a Comercial: only its clients' quotes)."""
    from apps.insurance.selectors_quotes import quotes_for

    return user.has_perm("insurance.view_quote") and quotes_for(user).filter(pk=pk).exists()


def _policyholder_of(schema: str, pk) -> int | None:
    from apps.insurance.models import Policy

    with schema_context(schema):  # one query; a row gone is a page gone
        return Policy.objects.filter(pk=pk).values_list("policyholder_id", flat=True).first()


def keys_of_event(event_name: str, payload: dict) -> set[str]:
    """The live keys whose page shows what insurance event `event_name` changed."""
    app_label, _sep, rest = event_name.partition(".")
    if app_label != "insurance":
        return set()
    model_name = rest.split(".", 1)[0]
    pk = payload.get("pk")
    keys = set()
    if model_name == "policy" and pk:
        keys.add(record_key(POLICY, pk))
        holder = _policyholder_of(payload["schema"], pk)
        if holder:
            keys.add(record_key(PARTY, holder))
    elif model_name == "quote" and pk:
        keys.add(record_key(QUOTE, pk))
    elif model_name == "renewal":  # a renewal proposal is shown on its policy's page
        keys |= {record_key(POLICY, p) for p in (payload.get("policy"), payload.get("renewed_policy")) if p}
    return keys


def push_insurance_changes(event_name: str, payload: dict) -> None:
    for key in sorted(keys_of_event(event_name, payload)):
        record_changed(key, schema=payload.get("schema"))


register_live_record(POLICY, can_view_policy)
register_live_record(QUOTE, can_view_quote)
subscribe("*", push_insurance_changes)
