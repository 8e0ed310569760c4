"""The PostgreSQL backend: accents and typos tolerated («Martinez» finds «Martínez», «mapfree» finds
«Mapfre»), a policy and a receipt found by number, full-text matches ranked above trigram ones, and the
index kept up to date on commit through the domain events (create, rename, delete)."""
from apps.core.services.records import record_delete
from apps.crm.services.parties import party_create, party_update
from apps.search.models import SearchEntry, SearchPending
from apps.search.selectors import search_for
from apps.search.services.indexing import index_refresh, search_reindex
from tests.fixtures.insurance import make_insurer
from tests.search.conftest import titles


def person(admin, first, last, **extra):
    return party_create(actor=admin, data={"kind": "person", "first_name": first, "last_name": last, **extra})


def company(admin, name, **extra):
    return party_create(actor=admin, data={"kind": "company", "company_name": name, **extra})


def test_martinez_without_accent_finds_martinez_with_it(committed, admin_a):
    with committed():
        person(admin_a, "Lucía", "Martínez Prieto")
        person(admin_a, "Pedro", "Sanz Vela")
    for query in ("Martinez", "martinez", "MARTÍNEZ", "lucia martinez"):
        assert titles(search_for(admin_a, query)) == ["Lucía Martínez Prieto"], query


def test_mapfree_finds_the_insurer_and_the_party_mapfre(committed, admin_a):
    with committed():
        company(admin_a, "Mapfre España")
        company(admin_a, "Allianz Seguros")
    insurer = make_insurer("Mapfre")  # catalog row made with the ORM: no event, so indexed by hand
    index_refresh(kind="insurer", object_ids=[insurer.pk])
    results = search_for(admin_a, "mapfree")
    assert titles(results, "party") == ["Mapfre España"]
    assert titles(results, "insurer") == ["Mapfre"]
    assert [group.label for group in results.groups] == ["Clientes", "Compañías"]


def test_full_text_matches_rank_above_typo_matches(committed, admin_a):
    with committed():
        company(admin_a, "Talleres Garcia Hermanos")
        person(admin_a, "Ana", "Garcíaz Ruiz")  # only a trigram neighbour of «garcia»
    hits = search_for(admin_a, "garcia").groups[0].hits
    assert [hit.title for hit in hits] == ["Talleres Garcia Hermanos", "Ana Garcíaz Ruiz"]
    assert hits[0].score > 1 > hits[1].score


def test_a_policy_and_a_receipt_are_found_by_their_numbers(committed, issued_policy, admin_a):
    with committed():
        policy = issued_policy(number="POL-2026-004217")
    receipt = policy.receipts.order_by("number").first()
    assert titles(search_for(admin_a, "POL-2026-004217"), "policy") == ["POL-2026-004217"]
    assert titles(search_for(admin_a, "004217"), "policy") == ["POL-2026-004217"]  # the last digits alone
    assert titles(search_for(admin_a, receipt.number), "receipt")[0] == receipt.number
    assert policy.receipts.count() == 12  # monthly: every receipt of the issued policy was indexed
    assert SearchEntry.objects.filter(kind="receipt").count() == 12


def test_a_party_created_through_its_service_is_searchable_after_commit(committed, admin_a):
    with committed():
        party = person(admin_a, "Irene", "Quintana Olmo")
        assert not search_for(admin_a, "Quintana").groups  # nothing before the commit
    assert titles(search_for(admin_a, "Quintana")) == ["Irene Quintana Olmo"]
    assert not SearchPending.objects.exists()  # the queue was drained
    with committed():
        party_update(actor=admin_a, party=party, data={"last_name": "Quintanilla Olmo"})
    assert titles(search_for(admin_a, "Quintanilla")) == ["Irene Quintanilla Olmo"]
    with committed():
        record_delete(actor=admin_a, instance=party)
    assert not search_for(admin_a, "Quintanilla").groups
    assert not SearchEntry.objects.filter(kind="party", object_id=party.pk).exists()


def test_renaming_a_client_refreshes_the_text_of_its_policies(committed, issued_policy, coll_holder, admin_a):
    with committed():
        policy = issued_policy(number="POL-REN-1")
    with committed():
        party_update(actor=admin_a, party=coll_holder, data={"last_name": "Ortega Zubizarreta"})
    assert titles(search_for(admin_a, "Zubizarreta"), "policy") == [policy.number]


def test_a_contact_email_finds_its_party(committed, admin_a):
    with committed():
        party_create(actor=admin_a, data={"kind": "person", "first_name": "Nuria", "last_name": "Bosch"},
                     contacts=[{"kind": "email", "value": "nuria.bosch@example.es"}])
    assert titles(search_for(admin_a, "nuria.bosch@example.es")) == ["Nuria Bosch"]


def test_groups_count_every_hit_and_page_through_one_kind(admin_a):
    from apps.crm.models import Party

    Party.objects.bulk_create([Party(kind="person", first_name="Ana", last_name=f"Ferrándiz {n:02d}",
                                     display_name=f"Ana Ferrándiz {n:02d}") for n in range(12)])
    search_reindex(kinds=["party"])
    group = search_for(admin_a, "ferrandiz").groups[0]
    assert (group.total, len(group.hits), group.has_more) == (12, 5, True)
    second = search_for(admin_a, "ferrandiz", kinds=["party"], per_kind=5, page=3).groups[0]
    assert (second.total, len(second.hits)) == (12, 2)


def test_every_word_of_a_misspelt_query_must_resemble_the_title(committed, admin_a):
    with committed():
        company(admin_a, "Talleres Iñaki Ruiz SL")
        company(admin_a, "Talleres Marta Blanco SL")
    assert titles(search_for(admin_a, "Taleres Inaki")) == ["Talleres Iñaki Ruiz SL"]
    assert sorted(titles(search_for(admin_a, "taleres"))) == ["Talleres Iñaki Ruiz SL", "Talleres Marta Blanco SL"]


def test_a_misspelt_number_is_not_a_match(committed, issued_policy, admin_a):
    with committed():
        issued_policy(number="POL-2026-004217")
    assert titles(search_for(admin_a, "POL-2026-004218"), "policy") == []
