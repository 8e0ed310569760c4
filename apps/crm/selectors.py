"""Reads for the client 360° page: a fixed number of queries whatever the party holds."""
from apps.core.permissions import visible_to
from apps.crm.choices import OPEN_STAGES
from apps.crm.models import Activity, Consent, Opportunity, Party, PartyRelation


def party_360_context(party: Party, request) -> dict:
    user = request.user
    relations = list(
        PartyRelation.objects.filter(from_party=party).select_related("to_party")
    ) + list(PartyRelation.objects.filter(to_party=party).select_related("from_party"))
    opportunities = list(visible_to(Opportunity.objects.filter(party=party), user, "owner").select_related("owner")
                         .order_by("-created_at")[:20])
    activities = list(
        visible_to(Activity.objects.filter(party=party), user, "owner").select_related("owner").order_by("done_at", "due_at")[:20]
    )
    return {
        "party": party,
        "contacts": list(party.contacts.all()),
        "addresses": list(party.addresses.all()),
        "bank_accounts": list(party.bank_accounts.all()),
        "tags": list(party.tags.all()),
        "relations_out": [r for r in relations if r.from_party_id == party.pk],
        "relations_in": [r for r in relations if r.to_party_id == party.pk],
        "consents": list(Consent.objects.filter(party=party).order_by("purpose", "-granted_at")),
        "opportunities": opportunities,
        "open_premium": sum((o.expected_premium for o in opportunities if o.stage in OPEN_STAGES), start=0),
        "activities": activities,
        "campaign_messages": list(party.campaign_messages.select_related("campaign").order_by("-processed_at")[:10]),
    }


def parties_for(user):
    """Parties this user may see (Comercial: the ones it manages)."""
    return visible_to(Party.objects.all(), user, "account_manager")
