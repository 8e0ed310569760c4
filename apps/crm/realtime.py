"""Live updates of the client 360° page: after a commit that changed a party or anything shown
on its page (contacts, relations, consents, opportunities, activities…), the pages following
"crm.party.<pk>" on /ws/records/ are told, and re-read the page.

The CRM's domain events are "crm.<model>.<verb>" with the row's pk (apps.core.events); this maps
each one to the parties it concerns. Who may follow a party: whoever may open its 360° page.
"""
from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist
from django_tenants.utils import schema_context

from apps.core.events import subscribe
from apps.notifications.realtime import record_changed, record_key, register_live_record

PARTY = "crm.party"


def can_view_party(user, pk: int) -> bool:
    """The 360° page's rule: the CRM's view permission and the party among those the user sees."""
    from apps.crm.selectors import parties_for

    return user.has_perm("crm.view_party") and parties_for(user).filter(pk=pk).exists()


def parties_of_event(event_name: str, payload: dict) -> set[int]:
    """The parties whose 360° page shows what event `event_name` changed."""
    app_label, _sep, rest = event_name.partition(".")
    model_name = rest.split(".", 1)[0]
    if app_label != "crm" or not model_name:
        return set()
    # "parties": the events that touch several parties say which (relations, erasure).
    listed = {int(pk) for pk in payload.get("parties") or () if pk}
    if model_name == "party":
        if event_name.endswith(".created"):
            return listed  # no page follows a party before it exists (and an import creates thousands)
        return listed | {pk for pk in (payload.get("pk"), payload.get("duplicate_pk")) if pk}
    if listed:
        return listed
    try:
        model = django_apps.get_model("crm", model_name)
        model._meta.get_field("party")
    except (LookupError, FieldDoesNotExist):
        return set()
    if not payload.get("pk"):
        return set()
    with schema_context(payload["schema"]):  # one query; a deleted row is gone, and so is its page's row
        return {pk for pk in model._base_manager.filter(pk=payload["pk"]).values_list("party_id", flat=True) if pk}


def push_party_changes(event_name: str, payload: dict) -> None:
    for pk in sorted(parties_of_event(event_name, payload)):
        record_changed(record_key(PARTY, pk), schema=payload.get("schema"))


register_live_record(PARTY, can_view_party)
subscribe("*", push_party_changes)
