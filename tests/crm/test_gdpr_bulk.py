"""GDPR bulk erasure (the retention run over many parties): a party anonymised in bulk ends exactly as one
anonymised alone (fields, related rows, copies, audit event); retentions keep a party with the same reasons;
a failed chunk loses nothing already done and leaves no party half-anonymised."""
import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.audit.services import audit_chain_verify
from apps.compliance.services.holds import legal_hold_place
from apps.crm.models import (
    Activity, Address, BankAccount, Campaign, CampaignRecipient, Consent, ContactPoint, Lead, Opportunity, Party,
    PartyRelation, Segment, Tag,
)
from apps.crm.services import gdpr_bulk
from apps.crm.services.consents import consent_grant
from apps.crm.services.gdpr import party_anonymise, party_retention_reasons
from apps.crm.services.gdpr_bulk import parties_anonymise_bulk, party_retention_reasons_bulk
from apps.search.models import SearchEntry, SearchPending
from apps.search.services.indexing import search_pending_flush

REASON = "Conservación vencida: cliente sin relación activa, 60 meses"
TIMESTAMPS = {"id", "created_at", "updated_at", "anonymised_at"}


def _rich_party(admin, users, n: int, kind="person") -> Party:
    """A party with everything the erasure touches: contacts, address, IBAN, relation, tag, consent,
    activity, campaign copy, converted lead."""
    names = {"first_name": f"Lucía{n}", "last_name": "Navarro", "second_last_name": "Ruiz"} if kind == "person" \
        else {"company_name": f"Talleres Ebro {n}", "trade_name": "Ebro"}
    party = Party.objects.create(kind=kind, display_name=f"Cliente {n}", tax_id=f"1234567{n}Z", notes="Hijo con asma",
                                 birth_date=datetime.date(1980, 5, 17), gender="female", profession="Enfermera",
                                 account_manager=users["comercial"], **names)
    ContactPoint.objects.create(party=party, kind="email", value=f"c{n}@example.es", normalized=f"c{n}@example.es")
    ContactPoint.objects.create(party=party, kind="phone", value="600 112 233", normalized="34600112233")
    Address.objects.create(party=party, street="Calle de Colón, 12", postal_code="46004", city="Valencia",
                           province="46")
    BankAccount.objects.create(party=party, iban="ES9121000418450200051332", holder_name="Lucía Navarro")
    spouse = Party.objects.create(kind="person", display_name=f"Luis {n}", first_name="Luis", last_name=f"Gil {n}")
    PartyRelation.objects.create(from_party=party, to_party=spouse, kind="spouse")
    party.tags.add(Tag.objects.get_or_create(name="VIP")[0])
    consent_grant(actor=admin, party=party, purpose="marketing", channel="email", evidence="Casilla web, IP 83.44.1.2")
    Activity.objects.create(party=party, subject="Llamar", notes="Habló de su hijo", owner=users["comercial"])
    campaign = Campaign.objects.create(name=f"Verano {n}", segment=Segment.objects.create(name=f"Todos {n}"),
                                       subject="Hola", body="Hola")
    CampaignRecipient.objects.create(campaign=campaign, party=party, email=f"c{n}@example.es", status="sent")
    Lead.objects.create(name="Lucía N.", company="Hospital", email="l@example.es", phone="600000000",
                        notes="Vino de web", converted_party=party)
    Opportunity.objects.create(party=party, title="Hogar", line_of_business="hogar", stage="lost")  # closed: no reason
    return party


def _state(party: Party) -> dict:
    """Everything the erasure leaves of a party, its own id written as «#PK» so two parties compare."""
    def plain(value):
        return value.replace(f"#{party.pk}", "#PK") if isinstance(value, str) else value

    row = {k: plain(v) for k, v in Party.objects.values().get(pk=party.pk).items() if k not in TIMESTAMPS}
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(Party), object_id=str(party.pk),
                                   verb="gdpr_erasure")
    return {
        "party": row,
        "anonymised": Party.objects.get(pk=party.pk).anonymised_at is not None,
        "contacts": ContactPoint.objects.filter(party=party).count(),
        "addresses": Address.objects.filter(party=party).count(),
        "bank_accounts": BankAccount.objects.filter(party=party).count(),
        "relations": PartyRelation.objects.filter(from_party=party).count() + PartyRelation.objects.filter(
            to_party=party).count(),
        "tags": party.tags.count(),
        "consents": [(c.purpose, c.evidence, c.withdrawn_at is None) for c in Consent.objects.filter(party=party)],
        "activities": list(Activity.objects.filter(party=party).values_list("subject", "notes")),
        "campaign_emails": list(CampaignRecipient.objects.filter(party=party).values_list("email", flat=True)),
        "leads": [tuple(plain(v) for v in lead) for lead in
                  Lead.objects.filter(converted_party=party).values_list("name", "company", "email", "phone", "notes")],
        "event": (event.action, plain(event.object_repr), event.actor_id, event.changes),
    }


@pytest.mark.parametrize("kind", ["person", "company"])
def test_bulk_result_equals_the_single_erasure_field_by_field(admin_a, users_a, kind):
    alone, bulk = _rich_party(admin_a, users_a, 1, kind), _rich_party(admin_a, users_a, 2, kind)
    party_anonymise(actor=admin_a, party=alone, reason=REASON)
    result = parties_anonymise_bulk(actor=admin_a, ids=[bulk.pk], reason=REASON)

    assert result.done == [bulk.pk] and not result.kept and not result.errors
    expected, got = _state(alone), _state(bulk)
    for key in expected:
        assert got[key] == expected[key], key
    bulk.refresh_from_db()
    assert bulk.display_name == f"Anonimizado #{bulk.pk}" and bulk.version == 2
    assert bulk.anonymised_at == bulk.updated_at
    assert audit_chain_verify().ok  # the bulk events are chained like the others


def test_retentions_keep_a_party_with_the_same_reasons(admin_a, users_a):
    from apps.insurance.models import Policy
    from tests.fixtures.insurance import make_insurer, make_product

    holder, opportunity, held, free = (_rich_party(admin_a, users_a, n) for n in range(1, 5))
    product = make_product("hogar", make_insurer("Aseguradora Bulk"))
    Policy.objects.create(insurer=product.insurer, number="BULK-1", product=product, line=product.line,
                          policyholder=holder, state="in_force", start_date=datetime.date(2026, 1, 1),
                          expiry_date=datetime.date(2026, 12, 31), net_premium=Decimal("300.00"),
                          total_premium=Decimal("324.00"))
    Opportunity.objects.create(party=opportunity, title="Seguro de vida", line_of_business="vida", stage="proposal")
    legal_hold_place(actor=admin_a, target=held, reason="Procedimiento judicial 12/2026")
    Opportunity.objects.create(party=held, title="Decesos", line_of_business="decesos", stage="new")
    before = Party.objects.values().get(pk=held.pk)

    reasons = party_retention_reasons_bulk([p.pk for p in (holder, opportunity, held, free)])
    for party in (holder, opportunity, held):
        assert reasons[party.pk] == party_retention_reasons(party)
    assert free.pk not in reasons
    assert len(reasons[held.pk]) == 2 and "Procedimiento judicial 12/2026" in reasons[held.pk][0]

    result = parties_anonymise_bulk(actor=admin_a, ids=[p.pk for p in (holder, opportunity, held, free)],
                                    reason=REASON)
    assert result.done == [free.pk]
    assert result.kept[holder.pk] == ("Cliente 1", party_retention_reasons(holder))
    assert Party.objects.values().get(pk=held.pk) == before  # untouched, related rows too
    assert ContactPoint.objects.filter(party=held).count() == 2 and BankAccount.objects.filter(party=held).exists()
    assert not AuditEvent.objects.filter(verb="gdpr_erasure", object_id__in=[str(holder.pk), str(held.pk)]).exists()


def test_a_check_without_a_bulk_twin_is_asked_party_by_party(admin_a, users_a, monkeypatch):
    from aitcore.registry import registry

    parties = [_rich_party(admin_a, users_a, n) for n in range(1, 4)]
    monkeypatch.setattr(registry, "retention_checks",
                        [lambda party: "Tiene la póliza 123 en vigor" if party.pk == parties[1].pk else None])
    result = parties_anonymise_bulk(actor=admin_a, ids=[p.pk for p in parties], reason=REASON)
    assert result.done == [parties[0].pk, parties[2].pk]
    assert result.kept[parties[1].pk][1] == ["Tiene la póliza 123 en vigor"]


def test_chunks_commit_on_their_own_and_a_failed_chunk_leaves_no_half_anonymised_party(
        admin_a, users_a, monkeypatch):
    parties = [_rich_party(admin_a, users_a, n) for n in range(1, 6)]
    real, calls = gdpr_bulk.audit_events_record, []

    def failing_second_chunk(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disco lleno")
        return real(**kwargs)

    def failing_single(**kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(gdpr_bulk, "audit_events_record", failing_second_chunk)
    monkeypatch.setattr(gdpr_bulk, "party_anonymise", failing_single)
    result = parties_anonymise_bulk(actor=admin_a, ids=[p.pk for p in parties], reason=REASON, chunk=2)

    first, failed = parties[:2], parties[2:4]
    assert result.done == [p.pk for p in first] + [parties[4].pk]  # the chunks after the failure still run
    assert sorted(result.errors) == [p.pk for p in failed]
    assert "disco lleno" in result.errors[failed[0].pk][1]
    for party in first:
        assert Party.objects.get(pk=party.pk).anonymised_at is not None
    for party in failed:  # all or nothing: names, contacts, IBAN and consents as they were
        party.refresh_from_db()
        assert party.anonymised_at is None and party.first_name.startswith("Lucía") and party.tax_id
        assert ContactPoint.objects.filter(party=party).count() == 2
        assert BankAccount.objects.filter(party=party).exists()
        assert Consent.objects.get(party=party).withdrawn_at is None


def test_a_failed_chunk_is_retried_party_by_party(admin_a, users_a, monkeypatch):
    parties = [_rich_party(admin_a, users_a, n) for n in range(1, 4)]

    def failing(**kwargs):
        raise RuntimeError("bloqueo")

    monkeypatch.setattr(gdpr_bulk, "audit_events_record", failing)
    result = parties_anonymise_bulk(actor=admin_a, ids=[p.pk for p in parties], reason=REASON)
    assert result.done == [p.pk for p in parties] and not result.errors
    assert AuditEvent.objects.filter(verb="gdpr_erasure", object_id__in=[str(p.pk) for p in parties]).count() == 3


def test_already_anonymised_parties_are_skipped_and_a_reason_is_required(admin_a, users_a):
    party = _rich_party(admin_a, users_a, 1)
    party_anonymise(actor=admin_a, party=party, reason=REASON)
    with pytest.raises(ValidationError):
        parties_anonymise_bulk(actor=admin_a, ids=[party.pk], reason="  ")
    result = parties_anonymise_bulk(actor=admin_a, ids=[party.pk], reason=REASON)
    assert (result.done, result.skipped) == ([], 1)
    assert AuditEvent.objects.filter(verb="gdpr_erasure", object_id=str(party.pk)).count() == 1


def test_search_index_forgets_the_names(admin_a, users_a, monkeypatch, django_capture_on_commit_callbacks):
    from apps.search import subscriptions

    monkeypatch.setattr(subscriptions, "schedule_flush", lambda: None)  # the worker's flush is run below
    SearchPending.objects.all().delete()
    party = _rich_party(admin_a, users_a, 1)
    with django_capture_on_commit_callbacks(execute=True):
        parties_anonymise_bulk(actor=admin_a, ids=[party.pk], reason=REASON)
    assert SearchPending.objects.filter(kind="party", object_id=party.pk).exists()
    search_pending_flush()
    entry = SearchEntry.objects.get(kind="party", object_id=party.pk)
    assert entry.title == f"Anonimizado #{party.pk}" and "c1@example.es" not in entry.body
    assert not SearchEntry.objects.filter(kind="party", title__contains="Lucía1").exists()
