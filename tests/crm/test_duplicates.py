"""Likely duplicates: same tax id; similar name (accents ignored) plus the same birth date or a
shared phone or e-mail; never a similar name alone."""
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.crm.models import Party
from apps.crm.services.duplicates import find_duplicates, find_duplicates_of
from apps.crm.services.parties import party_create

BORN = date(1980, 5, 17)


def maria(actor, **extra):
    data = {"kind": "person", "first_name": "María", "last_name": "García", "second_last_name": "López", "birth_date": BORN}
    contacts = extra.pop("contacts", ())
    return party_create(actor=actor, data={**data, **extra}, contacts=contacts)


def test_same_tax_id_is_a_duplicate_whatever_the_name(admin_a):
    existing = maria(admin_a, tax_id="12345678Z")
    found = find_duplicates(tax_id="12345678-z", display_name="Otro Nombre")
    assert [d.party for d in found] == [existing]
    assert found[0].reasons == ["Mismo NIF/NIE/CIF (12345678Z)"]


def test_similar_name_without_accents_and_same_birth_date_is_found(admin_a):
    existing = maria(admin_a)
    [(party, reasons)] = find_duplicates(display_name="Maria Garcia Lopez", birth_date=BORN)
    assert party == existing
    assert reasons == ["Nombre parecido (100 %) y misma fecha de nacimiento"]


def test_surname_first_order_is_found_too(admin_a):
    existing = maria(admin_a)
    assert [d.party for d in find_duplicates(display_name="GARCIA LOPEZ, MARIA", birth_date=BORN)] == [existing]


def test_same_name_but_different_birth_date_and_no_shared_contact_is_not_found(admin_a):
    maria(admin_a, contacts=[{"kind": "phone", "value": "600123456"}])
    assert find_duplicates(display_name="María García López", birth_date=date(1990, 1, 1)) == []
    assert find_duplicates(display_name="María García López") == []
    assert find_duplicates(display_name="María García López", phones=["611 000 000"], emails=["otra@correo.es"]) == []


def test_shared_phone_written_differently_is_found(admin_a):
    existing = maria(admin_a, birth_date=None, contacts=[{"kind": "phone", "value": "+34 600 123 456"}])
    [(party, reasons)] = find_duplicates(display_name="Maria Garcia Lopez", birth_date=date(1990, 1, 1), phones=["600123456"])
    assert party == existing
    assert reasons == ["Nombre parecido (100 %) y mismo teléfono (+34 600 123 456)"]
    assert [d.party for d in find_duplicates(display_name="María García", phones=["0034600123456"])] == [existing]


def test_shared_email_in_other_case_is_found(admin_a):
    existing = maria(admin_a, contacts=[{"kind": "email", "value": "maria.garcia@correo.es"}])
    found = find_duplicates(display_name="Maria Garcia Lopez", emails=["Maria.Garcia@Correo.es"])
    assert [d.party for d in found] == [existing] and "mismo correo" in found[0].reasons[0]


def test_a_shared_phone_with_a_different_name_is_not_a_duplicate(admin_a):
    maria(admin_a, contacts=[{"kind": "phone", "value": "912 345 678"}])
    assert find_duplicates(display_name="Luis Pérez Gil", phones=["912345678"]) == []


def test_tax_id_match_comes_first_and_is_not_repeated(admin_a):
    by_tax = maria(admin_a, tax_id="12345678Z")
    by_name = maria(admin_a, tax_id="X1234567L")
    found = find_duplicates(tax_id="12345678Z", display_name="María García López", birth_date=BORN)
    assert [d.party for d in found] == [by_tax, by_name]
    assert find_duplicates(tax_id="12345678Z", display_name="María García López", birth_date=BORN, exclude_pk=by_tax.pk)[0].party == by_name


def test_duplicates_of_a_stored_party_exclude_itself(admin_a):
    first = maria(admin_a)
    second = maria(admin_a)
    assert [d.party for d in find_duplicates_of(second)] == [first]


def test_query_uses_indexed_equalities_only(admin_a):
    """The candidates come from the birth date and contact indexes: the planner never needs to read every party."""
    maria(admin_a, contacts=[{"kind": "phone", "value": "600123456"}])
    # A realistic table: on a handful of rows any plan is as good as another and the planner's pick is noise.
    Party.objects.bulk_create(
        Party(first_name=f"Cliente {n}", display_name=f"Cliente {n}", birth_date=BORN - timedelta(days=n % 9000))
        for n in range(1, 5001))
    with CaptureQueriesContext(connection) as queries:
        assert len(find_duplicates(display_name="Maria Garcia Lopez", birth_date=BORN, phones=["600123456"])) == 1
    [sql] = [q["sql"] for q in queries.captured_queries if "union" in q["sql"].lower()]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE crm_party, crm_contactpoint")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "crm_party_birth_idx" in plan and "normalized" in plan, plan
    assert "Seq Scan on crm_party " not in plan, plan
