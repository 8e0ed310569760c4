"""The on-commit path: events queue records (SearchPending), one search_flush per burst drains the queue in
batches; a flush refreshes what changed and forgets what is gone; the demo seeder indexes everything."""
import pytest
from django.core.cache import cache

from aitcore.celery import app
from apps.crm.models import Party
from apps.search.models import SearchEntry, SearchPending
from apps.search.services.indexing import pending_add, search_pending_flush
from apps.search.subscriptions import FLUSH_KEY, keys_for_event, on_event
from apps.search.tasks import search_flush


@pytest.fixture(autouse=True)
def empty_queue(tenant_a):
    """Browser and live-server tests commit changes in alfa with a broker and no worker: their queued records
    stay behind. Each test here starts from an empty queue (inside its own rolled back transaction)."""
    SearchPending.objects.all().delete()


def test_the_queue_is_drained_in_batches(tenant_a):
    parties = Party.objects.bulk_create([Party(kind="person", first_name="Eva", last_name=f"Lluch {n}",
                                               display_name=f"Eva Lluch {n}") for n in range(1200)])
    assert pending_add(("party", p.pk) for p in parties + parties[:10]) == 1200  # a record queued twice, once
    assert search_pending_flush(batch=500) == 1200
    assert SearchEntry.objects.filter(kind="party", title__startswith="Eva Lluch").count() == 1200
    assert not SearchPending.objects.exists()


def test_a_flush_forgets_records_that_are_gone(tenant_a):
    party = Party.objects.create(kind="person", first_name="Iker", last_name="Zabala", display_name="Iker Zabala")
    pending_add([("party", party.pk)])
    search_pending_flush()
    pk = party.pk
    party.delete()
    pending_add([("party", pk)])
    search_pending_flush()
    assert not SearchEntry.objects.filter(kind="party", object_id=pk).exists()


def test_events_name_their_records_and_the_records_that_show_them(tenant_a):
    assert keys_for_event("crm.party.updated", {"pk": 7}) == {("party", 7)}
    assert keys_for_event("crm.campaign.sent", {"pk": 7}) == set()
    assert keys_for_event("accounting.invoice.validated", {"pk": 3}) == {("invoice", 3)}


def test_one_flush_is_sent_per_burst_of_events(tenant_a, monkeypatch):
    """With a broker (not eager) the first event sends search_flush a second later and the next ones find
    it sent; once the task has run, the next event sends another. Sends are recorded, not queued."""
    sent, eager = [], app.conf.task_always_eager
    monkeypatch.setattr(search_flush, "apply_async", lambda **options: sent.append(options))
    cache.delete(FLUSH_KEY)
    app.conf.task_always_eager = False
    try:
        party = Party.objects.create(kind="person", first_name="Olga", last_name="Sáez", display_name="Olga Sáez")
        for _ in range(3):
            on_event("crm.party.updated", {"pk": party.pk, "schema": "alfa"})
        assert sent == [{"countdown": 1}] and SearchPending.objects.count() == 1
        search_flush.apply()  # what the worker runs a second later
        assert not SearchPending.objects.exists() and SearchEntry.objects.filter(title="Olga Sáez").exists()
        on_event("crm.party.updated", {"pk": party.pk, "schema": "alfa"})
        assert len(sent) == 2
    finally:
        app.conf.task_always_eager = eager
        cache.delete(FLUSH_KEY)


def test_the_demo_seeder_indexes_every_kind(tenant_a, admin_a):
    from aitcore.registry import registry
    from apps.search.demo import search_demo_seed

    Party.objects.create(kind="company", company_name="Demo Seguros", display_name="Demo Seguros")
    assert search_demo_seed in registry.demo_seeders
    counts = search_demo_seed(admin=admin_a)
    assert set(counts) >= {"party", "policy", "receipt", "claim", "invoice", "employee", "insurer"}
    assert SearchEntry.objects.filter(title="Demo Seguros").exists()


def test_the_index_is_written_in_the_brokerage_language_whoever_triggers_it(tenant_a):
    from django.utils import translation

    from apps.crm.choices import PartyKind
    from apps.search.services.indexing import index_refresh

    party = Party.objects.create(kind=PartyKind.COMPANY, company_name="Grúas Ebro", display_name="Grúas Ebro",
                                 tax_id="B12345674")
    with translation.override("en"):
        index_refresh(kind="party", object_ids=[party.pk])
    with translation.override("es"):
        label = str(PartyKind.COMPANY.label)
    assert SearchEntry.objects.get(kind="party", object_id=party.pk).subtitle.startswith(f"B12345674 · {label} · ")
