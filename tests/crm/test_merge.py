"""Merging duplicates: every related row of every domain ends on the survivor, collisions keep one
row and record the other, the survivor's gaps are filled, both sides are audited, nothing is lost."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.crm.models import (
    Activity, Address, BankAccount, Campaign, CampaignRecipient, Consent, ContactPoint, Lead, Opportunity, Party,
    PartyRelation, Segment,
)
from apps.crm.services.merge import MergeError, merge_preview, party_merge
from apps.crm.services.parties import party_create, relation_add
from tests.conftest import host_client

IBAN_SHARED = "ES9121000418450200051332"
IBAN_OTHER = "ES7921000813610123456789"
NOW = timezone.now()


def _person(actor, first, tax_id=None, **extra):
    contacts = extra.pop("contacts", ())
    addresses = extra.pop("addresses", ())
    banks = extra.pop("bank_accounts", ())
    tags = extra.pop("tags", ())
    data = {"kind": "person", "tax_id": tax_id, "first_name": first, "last_name": "García", "second_last_name": "López", **extra}
    return party_create(actor=actor, data=data, contacts=contacts, addresses=addresses, bank_accounts=banks, tags=tags)


@pytest.fixture
def pair(admin_a, users_a):
    """A survivor and its duplicate with rows in every CRM table, some of them colliding."""
    survivor = _person(admin_a, "María", "12345678Z", account_manager=users_a["comercial"], notes="Cliente desde 2010.",
                       contacts=[{"kind": "email", "value": "maria@correo.es"}],
                       addresses=[{"street": "Calle de Alcalá 50", "postal_code": "28013", "city": "Madrid"}],
                       bank_accounts=[{"iban": IBAN_SHARED}], tags=["VIP"])
    duplicate = _person(admin_a, "Maria", "X1234567L", birth_date=date(1980, 5, 17), profession="Enfermera",
                        status="client", notes="Llamar por la tarde.",
                        contacts=[{"kind": "email", "value": "MARIA@correo.es"}, {"kind": "phone", "value": "600123456"}],
                        addresses=[{"street": "Calle de Colón 1", "postal_code": "46004", "city": "Valencia"}],
                        bank_accounts=[{"iban": IBAN_SHARED, "holder_name": "María García"}, {"iban": IBAN_OTHER}],
                        tags=["VIP", "Autónomo"])
    spouse = _person(admin_a, "Luis")
    child = _person(admin_a, "Pablo")
    acme = party_create(actor=admin_a, data={"kind": "company", "company_name": "Acme S.L."})
    relation_add(actor=admin_a, from_party=duplicate, to_party=spouse, kind="spouse")          # moves (out)
    relation_add(actor=admin_a, from_party=child, to_party=duplicate, kind="child")            # moves (in)
    relation_add(actor=admin_a, from_party=survivor, to_party=duplicate, kind="partner")       # would be self: dropped
    relation_add(actor=admin_a, from_party=survivor, to_party=acme, kind="employee")
    relation_add(actor=admin_a, from_party=duplicate, to_party=acme, kind="employee")          # same as survivor's: dropped
    relation_add(actor=admin_a, from_party=spouse, to_party=survivor, kind="spouse")           # equal to the moved one: dropped
    for party, purpose, withdrawn in [(survivor, "marketing", None), (duplicate, "marketing", None),
                                      (duplicate, "marketing", NOW - timedelta(days=30)), (duplicate, "contract", None)]:
        Consent.objects.create(party=party, purpose=purpose, granted_at=NOW - timedelta(days=60), channel="email",
                               evidence=f"Formulario {party.first_name}", withdrawn_at=withdrawn)
    opportunity = Opportunity.objects.create(party=duplicate, title="Hogar", line_of_business="hogar",
                                             expected_premium=Decimal("350.00"))
    Opportunity.objects.create(party=duplicate, title="Autos", line_of_business="autos")
    Activity.objects.create(party=duplicate, subject="Llamar", owner=admin_a)
    Activity.objects.create(opportunity=opportunity, subject="Enviar propuesta", owner=admin_a)
    segment = Segment.objects.create(name="Todos")
    first, second = (Campaign.objects.create(name=n, segment=segment, subject="Hola", body="Hola") for n in ("C1", "C2"))
    CampaignRecipient.objects.create(campaign=first, party=survivor, status="sent")
    CampaignRecipient.objects.create(campaign=first, party=duplicate, status="sent")
    CampaignRecipient.objects.create(campaign=second, party=duplicate, status="sent")
    Lead.objects.create(name="María García", converted_party=duplicate, status="converted")
    return survivor, duplicate


def _counts(*parties):
    pks = [p.pk for p in parties]
    return {
        "contacts": ContactPoint.objects.filter(party__in=pks).count(),
        "addresses": Address.objects.filter(party__in=pks).count(),
        "bank_accounts": BankAccount.objects.filter(party__in=pks).count(),
        "relations": PartyRelation.objects.filter(from_party__in=pks).count()
        + PartyRelation.objects.filter(to_party__in=pks).exclude(from_party__in=pks).count(),
        "consents": Consent.objects.filter(party__in=pks).count(),
        "opportunities": Opportunity.objects.filter(party__in=pks).count(),
        "activities": Activity.objects.filter(party__in=pks).count(),
        "recipients": CampaignRecipient.objects.filter(party__in=pks).count(),
        "leads": Lead.objects.filter(converted_party__in=pks).count(),
    }


def test_merge_moves_every_related_row_and_loses_nothing(pair, admin_a):
    survivor, duplicate = pair
    BankAccount.objects.filter(party=survivor).update(holder_name="")
    before = _counts(survivor, duplicate)
    result = party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    assert not Party.objects.filter(pk=duplicate.pk).exists()
    after = _counts(survivor)
    dropped = {}
    for entry in result.dropped:
        dropped[entry["tabla"]] = dropped.get(entry["tabla"], 0) + 1
    # Exactly the colliding rows were dropped, each one written down; the rest moved.
    assert dropped == {"Contactos": 1, "Cuentas bancarias": 1, "Relaciones": 3,
                       "Consentimientos": 1, "Destinatarios": 1}
    assert after == {
        "contacts": before["contacts"] - 1, "addresses": before["addresses"], "bank_accounts": before["bank_accounts"] - 1,
        "relations": before["relations"] - 3, "consents": before["consents"] - 1,
        "opportunities": before["opportunities"], "activities": before["activities"],
        "recipients": before["recipients"] - 1, "leads": before["leads"],
    }
    assert result.moved == {"Contactos": 1, "Direcciones": 1, "Cuentas bancarias": 1, "Relaciones": 1,
                            "Consentimientos": 2, "Oportunidades": 2, "Actividades": 1, "Destinatarios": 1,
                            "Contactos comerciales": 1, "Etiquetas": 1}
    # Relations: the spouse and the child now point at the survivor, read from both sides.
    assert set(PartyRelation.objects.filter(to_party=survivor).values_list("kind", flat=True)) == {"child", "spouse"}
    assert not PartyRelation.objects.filter(from_party=survivor, to_party=survivor).exists()
    # Tags are the union; consents keep one active per purpose plus the history.
    assert sorted(survivor.tags.values_list("name", flat=True)) == ["Autónomo", "VIP"]
    assert sorted((c.purpose, c.is_active) for c in Consent.objects.filter(party=survivor)) == [
        ("contract", True), ("marketing", False), ("marketing", True)]
    assert Consent.objects.get(party=survivor, purpose="marketing", withdrawn_at__isnull=True).evidence == "Formulario María"
    # The kept bank account took the dropped one's holder name; one primary row of each kind.
    assert BankAccount.objects.get(party=survivor, iban=IBAN_SHARED).holder_name == "María García"
    assert Address.objects.filter(party=survivor, is_primary=True).count() == 1
    assert BankAccount.objects.filter(party=survivor, is_primary=True).count() == 1
    assert Lead.objects.get().converted_party == survivor


def test_merge_fills_empty_fields_and_keeps_the_survivors_values(pair, admin_a):
    survivor, duplicate = pair
    result = party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    survivor.refresh_from_db()
    assert (survivor.birth_date, survivor.profession, survivor.status) == (date(1980, 5, 17), "Enfermera", "client")
    assert survivor.tax_id == "12345678Z" and survivor.first_name == "María" and survivor.version == 2
    assert "Cliente desde 2010." in survivor.notes and "Llamar por la tarde." in survivor.notes
    assert "X1234567L" in survivor.notes  # the other tax id is not lost
    assert result.conflicts["tax_id"] == ["12345678Z", "X1234567L"]
    assert result.conflicts["first_name"] == ["María", "Maria"]


def test_merge_is_audited_on_both_parties_with_the_counts(pair, admin_a):
    survivor, duplicate = pair
    duplicate_pk = duplicate.pk
    result = party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    on_survivor = AuditEvent.objects.filter(content_type__model="party", object_id=str(survivor.pk), verb="party_merge").get()
    on_duplicate = AuditEvent.objects.filter(content_type__model="party", object_id=str(duplicate_pk), verb="party_merge").get()
    assert on_survivor.action == "update" and on_duplicate.action == "delete"
    assert on_survivor.actor_id == admin_a.pk
    assert on_survivor.changes["Registros movidos"] == result.moved
    assert on_survivor.changes["Registros movidos"]["Oportunidades"] == 2
    assert on_survivor.changes["Registros movidos"]["Destinatarios"] == 1
    assert on_survivor.changes["birth_date"] == [None, "1980-05-17"]
    assert on_survivor.changes["tags"] == [["VIP"], ["Autónomo", "VIP"]]
    assert on_duplicate.changes["tax_id"] == ["X1234567L", None]
    # Every dropped row is kept whole in the log.
    dropped = on_survivor.changes["Datos descartados"]
    assert len(dropped) == len(result.dropped) == 7
    consent = next(d for d in dropped.values() if d["tabla"] == "Consentimientos")
    assert consent["datos"]["evidence"] == "Formulario Maria" and consent["conservado"]


def test_preview_shows_the_same_and_changes_nothing(pair, admin_a):
    survivor, duplicate = pair
    before = _counts(survivor, duplicate)
    events = AuditEvent.objects.count()
    preview = merge_preview(survivor=survivor, duplicate=duplicate)
    assert Party.objects.filter(pk=duplicate.pk).exists() and _counts(survivor, duplicate) == before
    assert AuditEvent.objects.count() == events
    result = party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    assert preview.moved == result.moved and len(preview.dropped) == len(result.dropped)
    assert preview.filled.keys() == result.filled.keys()


def test_refusals(admin_a):
    ana = _person(admin_a, "Ana")
    with pytest.raises(MergeError, match="consigo mismo"):
        party_merge(actor=admin_a, survivor=ana, duplicate=ana)
    acme = party_create(actor=admin_a, data={"kind": "company", "company_name": "Acme S.L."})
    with pytest.raises(MergeError, match="persona física con una persona jurídica"):
        party_merge(actor=admin_a, survivor=ana, duplicate=acme)


def test_survivor_without_tax_id_takes_the_duplicates(admin_a):
    survivor = _person(admin_a, "Ana")
    duplicate = _person(admin_a, "Ana", "12345678Z")
    party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    survivor.refresh_from_db()
    assert survivor.tax_id == "12345678Z"


# --- A domain that does not exist yet is covered too ---------------------------------------------

@pytest.fixture
def future_domain(tenant_a):
    """A policy-like model of a later domain: a hidden PROTECT key, a nullable key, a many-to-many and a
    unique constraint, created for this test only."""
    class MergeProbePolicy(models.Model):
        number = models.CharField(max_length=20)
        holder = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
        payer = models.ForeignKey(Party, on_delete=models.SET_NULL, null=True, related_name="merge_probe_paid")
        insured = models.ManyToManyField(Party, related_name="merge_probe_insured")

        class Meta:
            app_label = "crm"
            constraints = [models.UniqueConstraint(fields=["holder", "number"], name="merge_probe_unique")]

    with connection.schema_editor() as editor:
        editor.create_model(MergeProbePolicy)
    yield MergeProbePolicy
    through = MergeProbePolicy.insured.through
    for model in (through, MergeProbePolicy):
        del apps.all_models["crm"][model._meta.model_name]
    apps.clear_cache()


def test_rows_of_a_future_domain_are_moved_generically(future_domain, admin_a):
    survivor, duplicate = _person(admin_a, "Ana"), _person(admin_a, "Ana")
    kept = future_domain.objects.create(number="P-1", holder=survivor)
    clash = future_domain.objects.create(number="P-1", holder=duplicate, payer=duplicate)
    policy = future_domain.objects.create(number="P-2", holder=duplicate, payer=duplicate)
    policy.insured.add(duplicate, survivor)
    kept.insured.add(duplicate)
    result = party_merge(actor=admin_a, survivor=survivor, duplicate=duplicate)
    policy.refresh_from_db()
    assert (policy.holder, policy.payer) == (survivor, survivor)
    assert list(policy.insured.all()) == [survivor] and list(kept.insured.all()) == [survivor]
    assert not future_domain.objects.filter(pk=clash.pk).exists()
    assert [d["motivo"] for d in result.dropped] == ["ya existía en el cliente que se conserva"]
    assert future_domain.objects.count() == 2


# --- The merge page ---------------------------------------------------------------------------

def test_merge_page_previews_and_confirms(client_a, pair):
    survivor, duplicate = pair
    url = reverse("crm:party-merge", args=[survivor.pk])
    html = client_a.get(url).content.decode()
    assert "Maria García López" in html  # offered as a likely duplicate (similar name, same e-mail)
    html = client_a.get(url, {"other": duplicate.pk, "survivor": survivor.pk}).content.decode()
    assert "Oportunidades" in html and "Se descartan" in html and "Confirmar la fusión" in html
    response = client_a.post(url, {"other": duplicate.pk, "survivor": survivor.pk, "confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{survivor.pk}/")
    assert not Party.objects.filter(pk=duplicate.pk).exists()


def test_merge_page_needs_confirmation_and_can_keep_the_other(client_a, pair):
    survivor, duplicate = pair
    url = reverse("crm:party-merge", args=[survivor.pk])
    response = client_a.post(url, {"other": duplicate.pk, "survivor": duplicate.pk})
    assert response.status_code == 200 and Party.objects.filter(pk=survivor.pk).exists()
    response = client_a.post(url, {"other": duplicate.pk, "survivor": duplicate.pk, "confirm": "on"})
    assert response.status_code == 302 and not Party.objects.filter(pk=survivor.pk).exists()


def test_comercial_cannot_merge_with_a_party_it_does_not_see(tenants, users_a, pair):
    survivor, duplicate = pair  # the survivor is the Comercial's, the duplicate has no manager
    client = host_client(tenants.alfa_host, users_a["comercial"])
    url = reverse("crm:party-merge", args=[survivor.pk])
    assert client.get(url, {"other": duplicate.pk}).status_code == 404
    assert client.post(url, {"other": duplicate.pk, "survivor": survivor.pk, "confirm": "on"}).status_code == 404
    assert Party.objects.filter(pk=duplicate.pk).exists()
