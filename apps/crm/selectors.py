"""Reads for the client 360° page: a fixed number of queries whatever the party holds."""
from django.utils import timezone

from aitcore.registry import registry
from apps.core.permissions import visible_to
from apps.core.tables import columns_for, display_value
from apps.crm.choices import OPEN_STAGES, PartyKind
from apps.crm.models import Activity, Consent, Opportunity, Party, PartyRelation

# The "Datos" card of the 360° page: what describes a person, what describes a company.
PERSON_DETAIL_FIELDS = ["kind", "status", "tax_id", "birth_date", "gender", "profession", "cnae", "preferred_language",
                        "preferred_channel", "account_manager", "notes"]
COMPANY_DETAIL_FIELDS = ["kind", "status", "tax_id", "company_name", "trade_name", "cnae", "preferred_language",
                         "preferred_channel", "account_manager", "notes"]
# Shown for a person only when filled in (a self-employed client's activity code).
PERSON_OPTIONAL_FIELDS = {"cnae"}


def party_detail_fields(party: Party) -> list[tuple[str, str]]:
    """(label, value) of the fields that describe this kind of party (no query: account_manager is joined)."""
    if party.kind == PartyKind.COMPANY:
        names = COMPANY_DETAIL_FIELDS
    else:
        names = [n for n in PERSON_DETAIL_FIELDS if n not in PERSON_OPTIONAL_FIELDS or getattr(party, n)]
    return [(c.label, display_value(party, c.name)) for c in columns_for(Party, names)]


def _sees_every_party(user) -> bool:
    from apps.identity.services.roles import user_own_only_modules

    return Party._meta.app_label not in user_own_only_modules(user)


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
    # Related parties this user may open: the others are named without a link to a page it would get a 404 on.
    # parties_for's rule applied to the rows already loaded: no query per relation.
    others = [r.to_party if r.from_party_id == party.pk else r.from_party for r in relations]
    sees_all = user.is_superuser or _sees_every_party(user)
    visible_ids = {o.pk for o in others if sees_all or o.account_manager_id == user.pk}
    return {
        "party": party,
        "party_fields": party_detail_fields(party),
        "now": timezone.now(),
        "contacts": list(party.contacts.all()),
        "addresses": list(party.addresses.all()),
        "bank_accounts": list(party.bank_accounts.all()),
        "tags": list(party.tags.all()),
        "relations_out": [r for r in relations if r.from_party_id == party.pk],
        "relations_in": [r for r in relations if r.to_party_id == party.pk],
        "visible_party_ids": visible_ids,
        "consents": list(Consent.objects.filter(party=party).order_by("purpose", "-granted_at")),
        "opportunities": opportunities,
        "open_premium": sum((o.expected_premium for o in opportunities if o.stage in OPEN_STAGES), start=0),
        "activities": activities,
        "campaign_messages": list(party.campaign_messages.select_related("campaign").order_by("-processed_at")[:10]),
        "live_record_key": f"crm.party.{party.pk}",
        "record_panels": registry.panels_for("crm.party", party, request),
    }


def parties_for(user):
    """Parties this user may see (Comercial: the ones it manages)."""
    return visible_to(Party.objects.all(), user, "account_manager")
