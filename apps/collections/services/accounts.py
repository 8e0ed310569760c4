"""The insurer's current account in the books (4000xxxxxx under the «insurers» role): premiums
the broker collects for an insurer are not the broker's income, they sit there until settled."""
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounting.services import mapped_account, party_subaccount
from apps.crm.models import Party
from apps.insurance.models import Insurer


@transaction.atomic
def insurer_party(insurer, *, actor=None) -> Party:
    """The insurer's crm Party, created (company, its CIF when valid) and linked on first use."""
    from apps.crm.services.parties import party_create

    party_id = Insurer.objects.filter(pk=insurer.pk).values_list("party_id", flat=True).first()
    if party_id:
        if insurer.party_id != party_id:
            insurer.party = Party.objects.get(pk=party_id)
        return insurer.party
    party = Party.objects.filter(tax_id=insurer.tax_id).first() if insurer.tax_id else None
    if party is None:
        data = {"kind": "company", "company_name": insurer.legal_name or insurer.name, "status": "prospect"}
        try:
            party = party_create(actor=actor, data={**data, "tax_id": insurer.tax_id})
        except ValidationError:  # a CIF the crm refuses (test data, foreign insurers): no tax id
            party = party_create(actor=actor, data=data)
    Insurer.objects.filter(pk=insurer.pk).update(party=party)
    insurer.party = party
    return party


def insurer_account(insurer, *, actor=None):
    """The insurer's subaccount of the «insurers» account (e.g. 4000000123)."""
    return party_subaccount(actor=actor, party=insurer_party(insurer, actor=actor),
                            base_code=mapped_account("insurers").code)
