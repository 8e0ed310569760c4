"""Live updates of the remittance page: after a commit that created, generated, charged, cancelled
a SEPA remittance or returned one of its debits, the pages following "treasury.remittance.<pk>" on
/ws/records/ are told. A mandate's change reaches its client's 360° page (its «Mandatos SEPA»
panel). Who may follow a remittance: whoever may open its page (treasury's view permission).
"""
from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

REMITTANCE = "treasury.remittance"
PARTY = "crm.party"


def can_view_remittance(user, pk: int) -> bool:
    from apps.treasury.models import Remittance

    return user.has_perm("treasury.view_remittance") and Remittance.objects.filter(pk=pk).exists()


def keys_of_event(event_name: str, payload: dict) -> set[str]:
    app_label, _sep, rest = event_name.partition(".")
    if app_label != "treasury":
        return set()
    model_name = rest.split(".", 1)[0]
    if model_name == "remittance" and payload.get("pk"):
        return {record_key(REMITTANCE, payload["pk"])}
    if model_name == "remittance_item" and payload.get("remittance"):
        return {record_key(REMITTANCE, payload["remittance"])}
    if model_name == "mandate" and payload.get("party"):
        return {record_key(PARTY, payload["party"])}
    return set()


def push_treasury_changes(event_name: str, payload: dict) -> None:
    for key in sorted(keys_of_event(event_name, payload)):
        record_changed(key, schema=payload.get("schema"))


register_live_record(REMITTANCE, can_view_remittance)
subscribe("*", push_treasury_changes)
