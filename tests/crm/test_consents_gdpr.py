"""GDPR: consents per purpose (grant, withdraw, grant again, history), the access request
(JSON export) and erasure (anonymisation refused while a retention applies)."""
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aitcore.registry import registry
from apps.audit.models import AuditEvent
from apps.crm.models import (
    Activity, Address, BankAccount, CampaignRecipient, Consent, ContactPoint, Opportunity, Party, PartyRelation, Tag,
)
from apps.crm.services.consents import consent_grant, consent_withdraw, party_active_purposes
from apps.crm.services.gdpr import party_anonymise, party_data_export
from tests.conftest import host_client


def make_party(name="Lucía Navarro Ruiz", tax_id="12345678Z", manager=None, email="lucia@example.es", **extra):
    first, last, *second = name.split(" ")
    party = Party.objects.create(display_name=name, kind="person", tax_id=tax_id, first_name=first, last_name=last,
                                 second_last_name=" ".join(second), account_manager=manager, **extra)
    if email:
        ContactPoint.objects.create(party=party, kind="email", value=email, normalized=email.lower(), is_primary=True)
    return party


def events_for(obj, verb=None):
    events = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return events.filter(verb=verb) if verb is not None else events


# --- Consents ----------------------------------------------------------------------------------

def test_grant_withdraw_and_grant_again_keeps_the_history(admin_a):
    party = make_party()
    march = timezone.now() - timedelta(days=60)
    first = consent_grant(actor=admin_a, party=party, purpose="marketing", channel="email",
                          evidence="Casilla web marcada, IP 83.44.1.2", granted_at=march)
    consent_grant(actor=admin_a, party=party, purpose="contract", channel="in_person", evidence="Contrato firmado")
    assert party_active_purposes(party) == {"marketing", "contract"}

    with pytest.raises(ValidationError) as excinfo:
        consent_grant(actor=admin_a, party=party, purpose="marketing", channel="phone", evidence="Llamada grabada")
    message = excinfo.value.message_dict["purpose"][0]
    assert "ya tiene un consentimiento activo para «Comunicaciones comerciales»" in message
    assert march.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in message

    consent_withdraw(actor=admin_a, consent=first, channel="phone")
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawal_channel == "phone"
    assert party_active_purposes(party) == {"contract"}
    with pytest.raises(ValidationError, match="ya se retiró"):
        consent_withdraw(actor=admin_a, consent=first, channel="email")

    again = consent_grant(actor=admin_a, party=party, purpose="marketing", channel="whatsapp", evidence="Mensaje «SÍ»")
    history = list(Consent.objects.filter(party=party, purpose="marketing").order_by("granted_at"))
    assert [c.pk for c in history] == [first.pk, again.pk]
    assert [c.is_active for c in history] == [False, True]
    assert party_active_purposes(party) == {"marketing", "contract"}
    # Every change is audited: two grants and one withdrawal of the marketing purpose, one contract grant.
    assert events_for(first).filter(action="create").count() == 1
    assert events_for(first).filter(action="update").get().changes["withdrawal_channel"] == ["", "phone"]
    assert events_for(again).filter(action="create").count() == 1


def test_consent_needs_evidence_and_a_known_purpose(admin_a):
    party = make_party()
    with pytest.raises(ValidationError) as excinfo:
        consent_grant(actor=admin_a, party=party, purpose="marketing", channel="email", evidence="  ")
    assert "evidencia" in excinfo.value.message_dict["evidence"][0]
    with pytest.raises(ValidationError) as excinfo:
        consent_grant(actor=admin_a, party=party, purpose="spam", channel="email", evidence="x")
    assert "purpose" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        consent_grant(actor=admin_a, party=party, purpose="profiling", channel="email", evidence="x",
                      granted_at=timezone.now() + timedelta(days=3))
    assert "futura" in excinfo.value.message_dict["granted_at"][0]
    assert not Consent.objects.filter(party=party).exists()


# --- Access request ------------------------------------------------------------------------------

def test_data_export_contains_contacts_addresses_consents_and_more(admin_a, users_a):
    party = make_party(manager=users_a["comercial"], birth_date=date(1980, 5, 17), notes="Prefiere tardes")
    ContactPoint.objects.create(party=party, kind="phone", value="600 112 233", normalized="34600112233")
    Address.objects.create(party=party, street="Calle de Colón, 12", postal_code="46004", city="Valencia", province="46")
    BankAccount.objects.create(party=party, iban="ES9121000418450200051332")
    consent_grant(actor=admin_a, party=party, purpose="marketing", channel="email", evidence="Casilla web")
    spouse = make_party("Luis Gil Mora", tax_id="X1234567L", email=None)
    PartyRelation.objects.create(from_party=spouse, to_party=party, kind="spouse")
    Opportunity.objects.create(party=party, title="Hogar Colón", line_of_business="hogar")
    party.tags.add(Tag.objects.create(name="VIP"))

    data = party_data_export(actor=admin_a, party=party)
    json.dumps(data)  # JSON-serialisable as it is
    assert data["cliente"]["tax_id"] == "12345678Z"
    assert data["cliente"]["birth_date"] == "1980-05-17"
    assert data["cliente"]["account_manager"]["id"] == users_a["comercial"].pk
    assert data["cliente"]["tags"] == ["VIP"]
    related = data["relacionados"]
    assert {c["value"] for c in related["contacts"]["filas"]} == {"lucia@example.es", "600 112 233"}
    assert related["addresses"]["filas"][0]["street"] == "Calle de Colón, 12"
    assert related["addresses"]["filas"][0]["province_display"] == "Valencia/València"
    assert related["bank_accounts"]["filas"][0]["iban"] == "ES9121000418450200051332"
    consent = related["consents"]["filas"][0]
    assert consent["purpose"] == "marketing" and consent["purpose_display"] == "Comunicaciones comerciales"
    assert consent["evidence"] == "Casilla web" and consent["withdrawn_at"] is None
    assert related["relations_in"]["filas"][0]["from_party"]["nombre"] == "Luis Gil Mora"
    assert related["opportunities"]["filas"][0]["title"] == "Hogar Colón"
    assert "party" not in related["contacts"]["filas"][0]  # the back-pointer is implied
    assert events_for(party, "gdpr_access").count() == 1


def test_export_page_downloads_json_and_respects_own_clients(tenants, users_a):
    mine = make_party(manager=users_a["comercial"])
    other = make_party("Jorge Vidal Sanz", tax_id="X1234567L", manager=users_a["direccion"], email="jorge@example.es")
    client = host_client(tenants.alfa_host, users_a["comercial"])
    response = client.post(f"/crm/clientes/{mine.pk}/rgpd/exportar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["cliente"]["display_name"] == "Lucía Navarro Ruiz"
    assert client.post(f"/crm/clientes/{other.pk}/rgpd/exportar/").status_code == 404
    assert client.get(f"/crm/clientes/{mine.pk}/rgpd/exportar/").status_code == 405
    # A role without CRM access gets nothing.
    assert host_client(tenants.alfa_host, users_a["rrhh"]).post(f"/crm/clientes/{mine.pk}/rgpd/exportar/").status_code == 403


# --- Erasure ----------------------------------------------------------------------------------

@pytest.fixture
def policy_in_force(monkeypatch):
    """The insurance domain does not exist yet: a retention check standing in for it."""
    protected = set()

    def policies_in_force(party):
        return "Tiene la póliza 123 en vigor" if party.pk in protected else None

    monkeypatch.setattr(registry, "retention_checks", [policies_in_force])
    return protected


def _full_party(admin_a, users_a):
    party = make_party(manager=users_a["comercial"], birth_date=date(1980, 5, 17), notes="Hijo con discapacidad",
                       gender="female", profession="Enfermera")
    ContactPoint.objects.create(party=party, kind="phone", value="600 112 233", normalized="34600112233")
    Address.objects.create(party=party, street="Calle de Colón, 12", postal_code="46004", city="Valencia", province="46")
    BankAccount.objects.create(party=party, iban="ES9121000418450200051332")
    PartyRelation.objects.create(from_party=party, to_party=make_party("Luis Gil Mora", tax_id="X1234567L", email=None),
                                 kind="spouse")
    party.tags.add(Tag.objects.create(name="VIP"))
    consent_grant(actor=admin_a, party=party, purpose="marketing", channel="email", evidence="Casilla web, IP 83.44.1.2")
    Activity.objects.create(party=party, subject="Llamar", notes="Habló de su hijo", owner=users_a["comercial"])
    return party


def test_erasure_refuses_while_a_policy_is_in_force(admin_a, users_a, policy_in_force):
    party = _full_party(admin_a, users_a)
    policy_in_force.add(party.pk)
    before = Party.objects.values().get(pk=party.pk)
    with pytest.raises(ValidationError) as excinfo:
        party_anonymise(actor=admin_a, party=party, reason="Solicitud por correo del 12/03/2026")
    assert excinfo.value.messages == ["Tiene la póliza 123 en vigor"]
    # Nothing changed.
    assert Party.objects.values().get(pk=party.pk) == before
    assert party.contacts.count() == 2 and party.addresses.count() == 1 and party.bank_accounts.count() == 1
    assert PartyRelation.objects.filter(from_party=party).count() == 1 and party.tags.count() == 1
    assert party_active_purposes(party) == {"marketing"}
    assert not events_for(party, "gdpr_erasure").exists()


def test_erasure_refuses_with_every_reason_including_open_opportunities(admin_a, users_a, policy_in_force):
    party = _full_party(admin_a, users_a)
    policy_in_force.add(party.pk)
    Opportunity.objects.create(party=party, title="Seguro de vida", line_of_business="vida", stage="proposal")
    with pytest.raises(ValidationError) as excinfo:
        party_anonymise(actor=admin_a, party=party, reason="Solicitud")
    assert excinfo.value.messages[0] == "Tiene la póliza 123 en vigor"
    assert "1 oportunidad(es) abierta(s) («Seguro de vida»)" in excinfo.value.messages[1]


def test_erasure_anonymises_when_no_retention_applies(admin_a, users_a, policy_in_force):
    party = _full_party(admin_a, users_a)
    Opportunity.objects.create(party=party, title="Hogar", line_of_business="hogar", stage="lost")  # closed: no reason
    party_anonymise(actor=admin_a, party=party, reason="Solicitud por correo del 12/03/2026")
    party.refresh_from_db()
    alias = f"Anonimizado #{party.pk}"
    assert party.display_name == alias and party.first_name == alias
    assert (party.last_name, party.second_last_name, party.tax_id, party.birth_date) == ("", "", None, None)
    assert (party.gender, party.profession, party.notes) == ("", "", "")
    assert party.anonymised_at is not None
    assert not party.contacts.exists() and not party.addresses.exists() and not party.bank_accounts.exists()
    assert not PartyRelation.objects.filter(from_party=party).exists() and not party.tags.exists()
    assert party_active_purposes(party) == set()
    consent = Consent.objects.get(party=party)
    assert consent.withdrawn_at is not None and "83.44" not in consent.evidence
    assert Activity.objects.get(party=party).notes == ""

    event = events_for(party, "gdpr_erasure").get()
    assert set(event.changes["campos_anonimizados"]) >= {"first_name", "last_name", "tax_id", "birth_date", "notes"}
    assert event.changes["borrados"] == {"contactos": 2, "direcciones": 1, "cuentas_bancarias": 1, "relaciones": 1,
                                         "etiquetas": 1}
    stored = json.dumps(event.changes, ensure_ascii=False) + event.object_repr
    for secret in ("Lucía", "Navarro", "12345678Z", "1980-05-17", "lucia@example.es", "600 112 233", "Colón",
                   "ES9121000418450200051332", "discapacidad", "Enfermera"):
        assert secret not in stored, secret
    with pytest.raises(ValidationError, match="ya se anonimizó"):
        party_anonymise(actor=admin_a, party=party, reason="otra vez")


def test_anonymised_party_leaves_campaign_copies_empty(admin_a, users_a, policy_in_force):
    from apps.crm.models import Campaign, Segment

    party = _full_party(admin_a, users_a)
    campaign = Campaign.objects.create(name="Verano", segment=Segment.objects.create(name="Todos"), subject="Hola",
                                       body="Hola")
    CampaignRecipient.objects.create(campaign=campaign, party=party, email="lucia@example.es", status="sent")
    party_anonymise(actor=admin_a, party=party, reason="Solicitud")
    assert CampaignRecipient.objects.get(party=party).email == ""


def test_gdpr_page_shows_consents_and_refusal_reasons(client_a, admin_a, users_a, policy_in_force):
    party = _full_party(admin_a, users_a)
    policy_in_force.add(party.pk)
    page = client_a.get(f"/crm/clientes/{party.pk}/rgpd/").content.decode()
    for text in ("Protección de datos", "Comunicaciones comerciales", "Casilla web", "Tiene la póliza 123 en vigor",
                 "Descargar sus datos"):
        assert text in page, text
    response = client_a.post(f"/crm/clientes/{party.pk}/rgpd/anonimizar/", {"reason": "Solicitud", "confirm": "on"})
    assert response.status_code == 200 and "Tiene la póliza 123 en vigor" in response.content.decode()
    assert Party.objects.get(pk=party.pk).anonymised_at is None

    policy_in_force.clear()
    response = client_a.post(f"/crm/clientes/{party.pk}/rgpd/anonimizar/", {"reason": "Solicitud", "confirm": "on"})
    assert response.status_code == 302
    assert Party.objects.get(pk=party.pk).anonymised_at is not None


def test_consent_pages_grant_and_withdraw(client_a, tenants, users_a):
    party = make_party(manager=users_a["comercial"])
    response = client_a.post(f"/crm/clientes/{party.pk}/rgpd/consentimientos/",
                             {"purpose": "insurer_sharing", "channel": "post", "evidence": "Formulario ref. 2026/77"})
    assert response.status_code == 302
    consent = Consent.objects.get(party=party)
    assert consent.purpose == "insurer_sharing" and consent.channel == "post"
    again = client_a.post(f"/crm/clientes/{party.pk}/rgpd/consentimientos/",
                          {"purpose": "insurer_sharing", "channel": "post", "evidence": "Otra"})
    assert again.status_code == 200 and "ya tiene un consentimiento activo" in again.content.decode()
    assert client_a.post(f"/crm/consentimientos/{consent.pk}/retirar/", {"channel": "email"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawal_channel == "email"
    # A Comercial reaches only the clients it manages.
    other = make_party("Jorge Vidal Sanz", tax_id="X1234567L", manager=users_a["direccion"], email=None)
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    assert comercial.get(f"/crm/clientes/{party.pk}/rgpd/").status_code == 200
    assert comercial.get(f"/crm/clientes/{other.pk}/rgpd/").status_code == 404
