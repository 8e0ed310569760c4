"""Parties: tax ids, names, addresses, phones, e-mails, IBANs, relations and the group, with the
issue's numbers; then the create/edit pages and their permissions."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.errors import StaleObjectError
from apps.crm.models import Address, BankAccount, ContactPoint, Party, PartyRelation, Tag
from apps.crm.services.parties import (
    address_add, bank_account_add, contact_add, party_create, party_group, party_update, relation_add,
)
from apps.crm.selectors_parties import party_relations
from tests.conftest import host_client

ADDRESS = {"kind": "fiscal", "street": "Calle de Alcalá, 50", "postal_code": "28013", "city": "Madrid", "province": "28"}
IBAN_OK = "ES91 2100 0418 4502 0005 1332"
IBAN_BAD = "ES00 2100 0418 4502 0005 1332"


def person(actor, tax_id="12345678Z", **extra):
    data = {"kind": "person", "tax_id": tax_id, "first_name": "María", "last_name": "García",
            "second_last_name": "López", "birth_date": date(1980, 5, 17), **extra}
    return party_create(actor=actor, data=data)


def company(actor, tax_id="B86561412", name="Talleres Ruiz S.L.", **extra):
    return party_create(actor=actor, data={"kind": "company", "tax_id": tax_id, "company_name": name, **extra})


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Tax ids ------------------------------------------------------------------------------

@pytest.mark.parametrize("tax_id, kind", [("12345678Z", "person"), ("X1234567L", "person"), ("B86561412", "company")])
def test_valid_tax_ids_are_accepted(admin_a, tax_id, kind):
    party = person(admin_a, tax_id) if kind == "person" else company(admin_a, tax_id)
    assert party.tax_id == tax_id


def test_tax_id_is_stored_compact_and_upper_case(admin_a):
    assert person(admin_a, " 12345678-z ").tax_id == "12345678Z"
    assert person(admin_a, "x-1234567-l", first_name="Ana").tax_id == "X1234567L"


@pytest.mark.parametrize("tax_id, kind, fragment", [
    ("12345678A", "person", "La letra del DNI 12345678A no es correcta: con esos números la letra es Z"),
    ("X1234567A", "person", "La letra del NIE X1234567A no es correcta: con esos números la letra es L"),
    ("B86561413", "company", "El carácter de control del CIF B86561413 no es correcto"),
    ("HOLA", "person", "no es un NIF, NIE ni CIF válido"),
])
def test_invalid_tax_ids_are_refused_with_a_clear_message(admin_a, tax_id, kind, fragment):
    with pytest.raises(ValidationError) as excinfo:
        person(admin_a, tax_id) if kind == "person" else company(admin_a, tax_id)
    assert fragment in errors_of(excinfo)["tax_id"][0]
    assert not Party.objects.exists()


def test_a_person_with_a_cif_and_a_company_with_a_dni_are_refused(admin_a):
    with pytest.raises(ValidationError) as excinfo:
        person(admin_a, "B86561412")
    assert "B86561412 es un CIF de persona jurídica" in errors_of(excinfo)["tax_id"][0]
    with pytest.raises(ValidationError) as excinfo:
        company(admin_a, "12345678Z")
    assert "12345678Z es un NIF de persona física" in errors_of(excinfo)["tax_id"][0]


def test_duplicate_tax_id_is_refused_naming_the_existing_party(admin_a):
    first = person(admin_a)
    with pytest.raises(ValidationError) as excinfo:
        party_create(actor=admin_a, data={"kind": "person", "tax_id": "12345678z", "first_name": "Otra", "last_name": "Persona"})
    message = errors_of(excinfo)["tax_id"][0]
    assert "Ya existe un cliente con el NIF/NIE/CIF 12345678Z" in message and "María García López" in message
    assert str(first.pk) in message
    assert Party.objects.count() == 1


def test_update_keeps_its_own_tax_id_but_not_anothers(admin_a):
    mine = person(admin_a)
    other = person(admin_a, "X1234567L", first_name="Ana")
    party_update(actor=admin_a, party=mine, data={"profession": "Enfermera"}, expected_version=mine.version)
    with pytest.raises(ValidationError) as excinfo:
        party_update(actor=admin_a, party=other, data={"tax_id": "12345678Z"}, expected_version=other.version)
    assert "María García López" in errors_of(excinfo)["tax_id"][0]


# --- Names, display name, CNAE, birth date -------------------------------------------------

def test_display_name_of_a_person_and_of_a_company(admin_a):
    assert person(admin_a).display_name == "María García López"
    assert company(admin_a).display_name == "Talleres Ruiz S.L."
    trade = party_create(actor=admin_a, data={"kind": "company", "company_name": "ACME Seguros S.A.", "trade_name": "Acme"})
    assert trade.display_name == "ACME Seguros S.A."


def test_required_names_by_kind(admin_a):
    with pytest.raises(ValidationError) as excinfo:
        party_create(actor=admin_a, data={"kind": "person", "first_name": "María"})
    assert set(errors_of(excinfo)) == {"last_name"}
    with pytest.raises(ValidationError) as excinfo:
        party_create(actor=admin_a, data={"kind": "company", "trade_name": "Acme"})
    assert errors_of(excinfo)["company_name"] == ["Escriba la razón social."]


def test_cnae_is_four_digits_and_birth_date_not_in_the_future(admin_a):
    with pytest.raises(ValidationError) as excinfo:
        company(admin_a, cnae="662")
    assert "4 dígitos" in errors_of(excinfo)["cnae"][0]
    assert company(admin_a, cnae="6622").cnae == "6622"
    with pytest.raises(ValidationError) as excinfo:
        person(admin_a, birth_date=date(2999, 1, 1))
    assert "birth_date" in errors_of(excinfo)


def test_switching_to_company_clears_the_person_fields(admin_a):
    party = person(admin_a, tax_id=None, gender="female", profession="Abogada")
    party = party_update(actor=admin_a, party=party, data={"kind": "company", "company_name": "García Abogados S.L.P."},
                         expected_version=party.version)
    assert (party.display_name, party.first_name, party.birth_date, party.gender) == ("García Abogados S.L.P.", "", None, "")


# --- Addresses ------------------------------------------------------------------------------

def test_postal_code_of_another_province_is_refused_and_of_its_own_accepted(admin_a):
    party = person(admin_a)
    with pytest.raises(ValidationError) as excinfo:
        address_add(actor=admin_a, party=party, data={**ADDRESS, "postal_code": "46001"})
    assert errors_of(excinfo)["postal_code"] == ["El código postal 46001 no es de la provincia de Madrid (es de Valencia/València)."]
    address = address_add(actor=admin_a, party=party, data=ADDRESS)
    assert (address.postal_code, address.province, address.is_primary) == ("28013", "28", True)


def test_province_is_taken_from_the_postal_code_when_missing(admin_a):
    address = address_add(actor=admin_a, party=person(admin_a), data={**ADDRESS, "province": "", "postal_code": "46001"})
    assert address.province == "46"


def test_nothing_is_saved_when_an_address_is_wrong(admin_a):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        party_create(actor=admin_a, data={"kind": "person", "tax_id": "12345678Z", "first_name": "Ana", "last_name": "Ruiz"},
                     addresses=[ADDRESS, {**ADDRESS, "postal_code": "46001"}],
                     contacts=[{"kind": "phone", "value": "600123456"}], bank_accounts=[{"iban": IBAN_OK}])
    assert list(errors_of(excinfo)) == ["addresses-1-postal_code"]
    assert not Party.objects.exists() and not Address.objects.exists() and not ContactPoint.objects.exists()
    assert not BankAccount.objects.exists() and AuditEvent.objects.count() == events


def test_every_wrong_field_is_reported_at_once(admin_a):
    with pytest.raises(ValidationError) as excinfo:
        party_create(actor=admin_a, data={"kind": "person", "tax_id": "12345678A", "first_name": "Ana"},
                     addresses=[{**ADDRESS, "postal_code": "46001"}],
                     contacts=[{"kind": "email", "value": "ana@"}, {"kind": "phone", "value": "12345"}],
                     bank_accounts=[{"iban": IBAN_BAD}])
    assert set(errors_of(excinfo)) == {"tax_id", "last_name", "addresses-0-postal_code", "contacts-0-value",
                                       "contacts-1-value", "bank_accounts-0-iban"}
    assert not Party.objects.exists()


# --- Phones, e-mails, bank accounts ------------------------------------------------------------

def test_phones_are_normalised_with_34_by_default_and_emails_lower_cased(admin_a):
    party = person(admin_a)
    phone = contact_add(actor=admin_a, party=party, data={"kind": "phone", "value": "+34 600 123 456"})
    assert (phone.value, phone.normalized, phone.is_primary) == ("+34 600 123 456", "34600123456", True)
    assert contact_add(actor=admin_a, party=party, data={"kind": "phone", "value": "0033 1 42 68 53 00"}).normalized == "33142685300"
    email = contact_add(actor=admin_a, party=party, data={"kind": "email", "value": " Maria.Garcia@Correo.ES "})
    assert email.value == email.normalized == "maria.garcia@correo.es"
    with pytest.raises(ValidationError) as excinfo:
        contact_add(actor=admin_a, party=party, data={"kind": "phone", "value": "600123456"})
    assert errors_of(excinfo)["value"] == ["Este teléfono o correo ya figura en el cliente."]
    with pytest.raises(ValidationError) as excinfo:
        contact_add(actor=admin_a, party=party, data={"kind": "phone", "value": "500 123 456"})
    assert "no es un número español válido" in errors_of(excinfo)["value"][0]
    with pytest.raises(ValidationError) as excinfo:
        contact_add(actor=admin_a, party=party, data={"kind": "email", "value": "maria@"})
    assert errors_of(excinfo)["value"] == ["«maria@» no es un correo electrónico válido."]


def test_iban_valid_is_stored_compact_with_bic_and_bad_checksum_refused(admin_a):
    party = person(admin_a)
    account = bank_account_add(actor=admin_a, party=party, data={"iban": IBAN_OK})
    assert (account.iban, account.bic, account.holder_name, account.is_primary) == (
        "ES9121000418450200051332", "CAIXESBB", "María García López", True)
    with pytest.raises(ValidationError) as excinfo:
        bank_account_add(actor=admin_a, party=party, data={"iban": IBAN_BAD})
    assert errors_of(excinfo)["iban"] == [
        "Los dígitos de control del IBAN ES00 2100 0418 4502 0005 1332 no cuadran: revise que esté bien copiado."]
    with pytest.raises(ValidationError) as excinfo:
        bank_account_add(actor=admin_a, party=party, data={"iban": "es91-2100-0418-4502-0005-1332"})
    assert errors_of(excinfo)["iban"] == ["Esta cuenta ya figura en el cliente."]
    assert BankAccount.objects.count() == 1


def test_one_primary_row_per_party(admin_a):
    party = person(admin_a)
    first = address_add(actor=admin_a, party=party, data=ADDRESS)
    second = address_add(actor=admin_a, party=party, data={**ADDRESS, "street": "Calle Mayor 1", "is_primary": True})
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_create_with_rows_tags_and_audit(admin_a, users_a):
    Tag.objects.create(name="VIP")
    party = party_create(
        actor=admin_a, data={"kind": "person", "tax_id": "X1234567L", "first_name": "Lucía", "last_name": "Navarro",
                             "account_manager": users_a["comercial"]},
        addresses=[ADDRESS], contacts=[{"kind": "phone", "value": "600 123 456"}, {"kind": "email", "value": "lucia@correo.es"}],
        bank_accounts=[{"iban": IBAN_OK}], tags=["vip", "Familia numerosa"])
    assert sorted(t.name for t in party.tags.all()) == ["Familia numerosa", "VIP"]
    assert party.contacts.count() == 2 and party.addresses.count() == 1 and party.bank_accounts.count() == 1
    events = AuditEvent.objects.filter(object_id=str(party.pk), content_type__model="party").order_by("id")
    assert [e.action for e in events] == ["create", "update"]
    assert "Teléfonos y correos" in events[1].changes and events[0].actor_id == admin_a.pk


def test_update_syncs_rows_and_checks_the_version(admin_a):
    party = party_create(actor=admin_a, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz"},
                         contacts=[{"kind": "phone", "value": "600123456"}, {"kind": "email", "value": "ana@correo.es"}])
    phone, email = party.contacts.order_by("kind")[1], party.contacts.order_by("kind")[0]
    party = party_update(actor=admin_a, party=party, data={"profession": "Abogada"}, expected_version=party.version,
                         contacts=[{"id": phone.pk, "kind": "phone", "value": "611 222 333"},
                                   {"id": email.pk, "delete": True}, {"kind": "email", "value": "ana.ruiz@correo.es"}])
    assert sorted(party.contacts.values_list("normalized", flat=True)) == ["34611222333", "ana.ruiz@correo.es"]
    with pytest.raises(StaleObjectError):
        party_update(actor=admin_a, party=party, data={"profession": "Jueza"}, expected_version=1)


# --- Relations and the group ---------------------------------------------------------------------

def test_relations_read_from_both_sides_no_self_no_duplicates(admin_a):
    ana = person(admin_a, "12345678Z", first_name="Ana")
    luis = person(admin_a, "X1234567L", first_name="Luis")
    acme = company(admin_a)
    relation_add(actor=admin_a, from_party=ana, to_party=luis, kind="spouse")
    relation_add(actor=admin_a, from_party=luis, to_party=acme, kind="employee")
    assert [(r.label, str(r.other)) for r in party_relations(acme)] == [("Empleador/a de", "Luis García López")]
    assert [(r.label, str(r.other)) for r in party_relations(luis)] == [
        ("Empleado/a de", "Talleres Ruiz S.L."), ("Cónyuge o pareja de", "Ana García López")]
    with pytest.raises(ValidationError) as excinfo:
        relation_add(actor=admin_a, from_party=ana, to_party=ana, kind="spouse")
    assert errors_of(excinfo)["to_party"] == ["Un cliente no puede relacionarse consigo mismo."]
    with pytest.raises(ValidationError) as excinfo:
        relation_add(actor=admin_a, from_party=luis, to_party=ana, kind="spouse")  # the same fact, the other way round
    assert "ya está registrada" in errors_of(excinfo)["to_party"][0]
    assert PartyRelation.objects.count() == 2
    assert AuditEvent.objects.filter(verb="party_relation", object_id=str(ana.pk)).exists()


def test_party_group_walks_the_family_and_the_company(admin_a, django_assert_max_num_queries):
    ana = person(admin_a, "12345678Z", first_name="Ana")
    luis = person(admin_a, "X1234567L", first_name="Luis")
    hijo = person(admin_a, None, first_name="Pablo", birth_date=date(2010, 1, 1))
    acme = company(admin_a)
    socio = person(admin_a, None, first_name="Jorge", last_name="Vidal")
    stranger = person(admin_a, None, first_name="Nadie", last_name="Ajeno")
    relation_add(actor=admin_a, from_party=ana, to_party=luis, kind="spouse")
    relation_add(actor=admin_a, from_party=hijo, to_party=ana, kind="child")
    relation_add(actor=admin_a, from_party=luis, to_party=acme, kind="administrator")
    relation_add(actor=admin_a, from_party=socio, to_party=acme, kind="partner")
    with django_assert_max_num_queries(5):
        group = party_group(hijo)
    assert [m.party for m in group.members][0] == hijo
    assert {m.party.pk for m in group.members} == {ana.pk, luis.pk, hijo.pk, acme.pk, socio.pk}
    assert stranger.pk not in {m.party.pk for m in group.members}
    assert {m.party.pk: m.depth for m in group.members}[socio.pk] == 4
    assert len(group.links) == 4 and not group.truncated
    assert party_group(hijo, limit=3).truncated


# --- Pages ---------------------------------------------------------------------------------------

def detail_url(pk):
    try:
        return reverse("ui:crm-party-detail", args=[pk])
    except Exception:  # pragma: no cover - before the lead registers the page
        return f"/r/crm/party/{pk}/"


def _management(prefix, total=1, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def create_post(**extra):
    data = {"kind": "person", "status": "prospect", "tax_id": "12345678Z", "first_name": "María", "last_name": "García",
            "second_last_name": "López", "birth_date": "1980-05-17", "preferred_language": "es", "preferred_channel": "email",
            **_management("addresses"), **_management("contacts"), **_management("bank_accounts"),
            "addresses-0-kind": "fiscal", "addresses-0-street": "Calle de Alcalá, 50", "addresses-0-postal_code": "28013",
            "addresses-0-city": "Madrid", "addresses-0-province": "28",
            "contacts-0-kind": "phone", "contacts-0-value": "600 123 456", "bank_accounts-0-iban": IBAN_OK}
    data.update(extra)
    return data


def test_create_page_defaults_the_manager_and_creates_the_party(client_a, admin_a):
    page = client_a.get(reverse("crm:party-create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="party-duplicates"' in html and "crm/parties.js" in html
    assert f'<option value="{admin_a.pk}" selected>' in html
    response = client_a.post(reverse("crm:party-create"), create_post(account_manager=admin_a.pk))
    party = Party.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(party.pk)
    assert party.display_name == "María García López" and party.account_manager == admin_a
    assert party.contacts.get().normalized == "34600123456" and party.bank_accounts.get().bic == "CAIXESBB"


def test_create_page_shows_each_error_beside_its_field_and_saves_nothing(client_a):
    response = client_a.post(reverse("crm:party-create"), create_post(
        tax_id="12345678A", **{"addresses-0-postal_code": "46001", "bank_accounts-0-iban": IBAN_BAD}))
    html = response.content.decode()
    assert response.status_code == 200 and not Party.objects.exists()
    assert "La letra del DNI 12345678A no es correcta" in html
    assert "El código postal 46001 no es de la provincia de Madrid" in html
    assert "Los dígitos de control del IBAN" in html


def test_create_page_shows_duplicates_and_asks_to_confirm(client_a, admin_a):
    existing = party_create(actor=admin_a, data={"kind": "person", "first_name": "Maria", "last_name": "Garcia",
                                                 "second_last_name": "Lopez", "birth_date": date(1980, 5, 17)})
    response = client_a.post(reverse("crm:party-create"), create_post(tax_id=""))
    html = response.content.decode()
    assert response.status_code == 200 and Party.objects.count() == 1
    assert "Crear de todos modos" in html and "Maria Garcia Lopez" in html and "misma fecha de nacimiento" in html
    response = client_a.post(reverse("crm:party-create"), create_post(tax_id="", create_anyway="on"))
    assert response.status_code == 302 and Party.objects.count() == 2
    assert existing.pk in Party.objects.values_list("pk", flat=True)


def test_tax_id_duplicate_cannot_be_confirmed_away(client_a, admin_a):
    person(admin_a)
    html = client_a.post(reverse("crm:party-create"), create_post(create_anyway="on")).content.decode()
    assert "Ya existe un cliente con el NIF/NIE/CIF 12345678Z" in html and Party.objects.count() == 1


def test_duplicates_check_endpoint_returns_the_panel(client_a, admin_a):
    existing = party_create(actor=admin_a, data={"kind": "person", "first_name": "María", "last_name": "García",
                                                 "second_last_name": "López"},
                            contacts=[{"kind": "phone", "value": "+34 600 123 456"}])
    response = client_a.get(reverse("crm:party-duplicates-check"), {
        "kind": "person", "first_name": "Maria", "last_name": "Garcia", "second_last_name": "Lopez",
        **_management("contacts"), "contacts-0-kind": "phone", "contacts-0-value": "600123456"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "María García López" in html and "mismo teléfono" in html and detail_url(existing.pk) in html
    empty = client_a.get(reverse("crm:party-duplicates-check"), {"kind": "person", "first_name": "Nadie"}).content.decode()
    assert "No se han encontrado" in empty


def test_edit_page_updates_fields_and_rows(client_a, admin_a):
    party = party_create(actor=admin_a, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz"},
                         addresses=[ADDRESS], contacts=[{"kind": "phone", "value": "600123456"}])
    address, phone = party.addresses.get(), party.contacts.get()
    url = reverse("crm:party-update", args=[party.pk])
    html = client_a.get(url).content.decode()
    assert "Calle de Alcalá, 50" in html and 'value="600123456"' in html
    data = {"kind": "person", "status": "client", "first_name": "Ana", "last_name": "Ruiz", "second_last_name": "Gil",
            "preferred_language": "es", "preferred_channel": "phone", "version": party.version,
            **_management("addresses", 2, 1), **_management("contacts", 1, 1), **_management("bank_accounts", 0),
            "addresses-0-id": address.pk, "addresses-0-kind": "fiscal", "addresses-0-street": "Calle de Alcalá, 50",
            "addresses-0-postal_code": "28013", "addresses-0-city": "Madrid", "addresses-0-province": "28",
            "addresses-1-kind": "postal", "addresses-1-street": "Calle de Colón 1", "addresses-1-postal_code": "46004",
            "addresses-1-city": "Valencia", "addresses-1-province": "46",
            "contacts-0-id": phone.pk, "contacts-0-kind": "phone", "contacts-0-value": "600123456", "contacts-0-DELETE": "on"}
    response = client_a.post(url, data)
    assert response.status_code == 302 and response["Location"] == detail_url(party.pk)
    party.refresh_from_db()
    assert party.display_name == "Ana Ruiz Gil" and party.status == "client" and party.version == 2
    assert party.addresses.count() == 2 and not party.contacts.exists()
    stale = client_a.post(url, data).content.decode()
    assert "mientras usted lo editaba" in stale


def test_comercial_cannot_open_or_edit_another_managers_party(tenants, users_a, admin_a):
    mine = person(admin_a, "12345678Z", account_manager=users_a["comercial"])
    other = person(admin_a, "X1234567L", first_name="Jorge", account_manager=users_a["direccion"])
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    for name in ("crm:party-update", "crm:party-merge", "crm:party-relation-add"):
        assert comercial.get(reverse(name, args=[other.pk])).status_code == 404, name
        assert comercial.get(reverse(name, args=[mine.pk])).status_code == 200, name
    assert comercial.post(reverse("crm:party-update", args=[other.pk]), {"first_name": "X"}).status_code == 404
    boss = host_client(tenants.alfa_host, users_a["direccion"])
    for name in ("crm:party-update", "crm:party-merge", "crm:party-relation-add"):
        assert boss.get(reverse(name, args=[other.pk])).status_code == 200, name


def test_comercial_creates_parties_for_itself_only(tenants, users_a):
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    html = comercial.get(reverse("crm:party-create")).content.decode()
    assert f'<option value="{users_a["direccion"].pk}"' not in html
    response = comercial.post(reverse("crm:party-create"), create_post(account_manager=users_a["direccion"].pk))
    assert response.status_code == 200 and not Party.objects.exists()
    response = comercial.post(reverse("crm:party-create"), create_post(account_manager=users_a["comercial"].pk))
    assert response.status_code == 302 and Party.objects.get().account_manager == users_a["comercial"]


def test_roles_without_crm_change_rights_are_refused(tenants, users_a, admin_a):
    party = person(admin_a)
    reader = host_client(tenants.alfa_host, users_a["contabilidad"])  # crm: view only
    assert reader.get(reverse("crm:party-create")).status_code == 403
    assert reader.get(reverse("crm:party-update", args=[party.pk])).status_code == 403
    assert reader.get(reverse("crm:party-merge", args=[party.pk])).status_code == 403
    outsider = host_client(tenants.alfa_host, users_a["rrhh"])
    assert outsider.get(reverse("crm:party-duplicates-check")).status_code == 403
    assert host_client(tenants.alfa_host).get(reverse("crm:party-create")).status_code == 302


def test_relation_page_adds_a_relation_and_shows_the_group(client_a, admin_a):
    ana = person(admin_a, "12345678Z", first_name="Ana")
    acme = company(admin_a)
    url = reverse("crm:party-relation-add", args=[ana.pk])
    html = client_a.get(url, {"q": "talleres"}).content.decode()
    assert "Talleres Ruiz S.L." in html
    response = client_a.post(url, {"other": acme.pk, "kind": "~employee"})
    assert response.status_code == 302
    relation = PartyRelation.objects.get()
    assert (relation.from_party, relation.to_party, relation.kind) == (acme, ana, "employee")
    html = client_a.get(url).content.decode()
    assert "Empleador/a de" in html and "Talleres Ruiz S.L." in html
    again = client_a.post(url, {"other": acme.pk, "kind": "~employee"}).content.decode()
    assert "ya está registrada" in again
    itself = client_a.post(url, {"other": ana.pk, "kind": "spouse"}).content.decode()
    assert "consigo mismo" in itself


def test_duplicates_and_field_errors_are_shown_together(client_a, admin_a):
    person(admin_a, "X1234567L", first_name="Maria", last_name="Garcia", second_last_name="Lopez")
    html = client_a.post(reverse("crm:party-create"), create_post(
        tax_id="12345678A", **{"addresses-0-postal_code": "46001"})).content.decode()
    assert "Crear de todos modos" in html and "La letra del DNI 12345678A no es correcta" in html
    assert "El código postal 46001 no es de la provincia de Madrid" in html and Party.objects.count() == 1


def test_blank_rows_of_the_create_page_are_ignored(client_a):
    data = create_post(**_management("contacts", 2), **{"contacts-1-kind": "email", "contacts-1-value": "",
                                                         "bank_accounts-0-iban": ""})
    response = client_a.post(reverse("crm:party-create"), data)
    assert response.status_code == 302
    party = Party.objects.get()
    assert list(party.contacts.values_list("kind", flat=True)) == ["phone"] and not party.bank_accounts.exists()


def test_relation_can_be_removed_from_the_page(client_a, admin_a):
    ana, luis = person(admin_a, "12345678Z", first_name="Ana"), person(admin_a, "X1234567L", first_name="Luis")
    relation = relation_add(actor=admin_a, from_party=ana, to_party=luis, kind="spouse")
    response = client_a.post(reverse("crm:party-relation-delete", args=[luis.pk, relation.pk]))
    assert response.status_code == 302 and not PartyRelation.objects.exists()
    assert AuditEvent.objects.filter(verb="party_relation", object_id=str(luis.pk)).count() == 2
