"""A user never sees a hit for a record they may not read, on the page, in the dropdown or through the
API: a Comercial finds only the clients they manage and those clients' claims, HR finds employees and a
manager only their team, invoices need the accounting permission. Counts leave hidden records out too."""
import datetime

import pytest

from apps.claims.services.claims import claim_open
from apps.crm.services.parties import party_create
from apps.search.selectors import search_for
from apps.search.services.indexing import search_reindex
from tests.conftest import host_client
from tests.search.conftest import titles


@pytest.fixture
def two_clients(committed, users_a, admin_a):
    """«Rosa Villalobos Mínguez» managed by the Comercial user, «Raúl Villalobos Ortiz» by nobody."""
    with committed():
        mine = party_create(actor=admin_a, data={"kind": "person", "first_name": "Rosa",
                                                 "last_name": "Villalobos Mínguez", "account_manager": users_a["comercial"]})
        other = party_create(actor=admin_a, data={"kind": "person", "first_name": "Raúl",
                                                  "last_name": "Villalobos Ortiz"})
    return mine, other


@pytest.fixture
def claims_of_both(committed, two_clients, issued_policy, admin_a):
    mine, other = two_clients
    made = []
    with committed():
        for n, holder in enumerate((mine, other), start=1):
            policy = issued_policy(number=f"VILLA-{n}", holder=holder)
            made.append(claim_open(actor=admin_a, policy=policy, loss_date=datetime.date(2026, 3, 2),
                                   reported_date=datetime.date(2026, 3, 3), cause="water", coverage_code="death",
                                   description="Filtración en casa de Villalobos", today=datetime.date(2026, 3, 3)))
    return made


def test_a_comercial_finds_only_the_clients_they_manage(two_clients, users_a, admin_a):
    assert titles(search_for(admin_a, "villalobos"), "party") == ["Raúl Villalobos Ortiz", "Rosa Villalobos Mínguez"]
    results = search_for(users_a["comercial"], "villalobos")
    assert titles(results, "party") == ["Rosa Villalobos Mínguez"]
    assert results.groups[0].total == 1  # the other client is not even counted


def test_claims_follow_the_claim_list_rules(claims_of_both, users_a, admin_a):
    mine, other = claims_of_both
    assert sorted(titles(search_for(admin_a, "villalobos"), "claim")) == sorted([mine.number, other.number])
    assert titles(search_for(users_a["comercial"], "villalobos"), "claim") == [mine.number]
    assert sorted(titles(search_for(users_a["siniestros"], "villalobos"), "claim")) == sorted([mine.number, other.number])
    assert not titles(search_for(users_a["rrhh"], "villalobos"))  # no CRM, insurance or claims permission
    assert titles(search_for(users_a["comercial"], other.number)) == []  # not even by its number


def test_hidden_records_stay_hidden_on_the_pages_and_the_api(claims_of_both, tenants, users_a):
    mine, other = claims_of_both
    client = host_client(tenants.alfa_host, users_a["comercial"])
    for url in ("/buscar/?q=villalobos", "/buscar/sugerencias/?q=villalobos", "/buscar/?q=villalobos&tipo=claim"):
        page = client.get(url).content.decode()
        assert "Rosa Villalobos" in page or mine.number in page, url
        assert "Raúl Villalobos" not in page and other.number not in page, url
    body = client.get("/api/v1/search/?q=villalobos").json()
    found = {(g["kind"], h["title"]) for g in body["groups"] for h in g["hits"]}
    assert ("party", "Rosa Villalobos Mínguez") in found and ("claim", mine.number) in found
    assert not {title for _kind, title in found} & {"Raúl Villalobos Ortiz", other.number, "VILLA-2"}
    assert {g["kind"]: g["total"] for g in body["groups"]}["claim"] == 1


def test_employees_are_found_as_apps_hr_access_allows(hr_people, users_a):
    search_reindex(kinds=["employee"])
    assert titles(search_for(users_a["rrhh"], "martinez"), "employee") == [
        "Ana Martínez Ruiz", "Laura Gil Martín"]  # full-text first, then the trigram neighbour «Martín»
    assert titles(search_for(users_a["contabilidad"], "Ana Martinez"), "employee") == ["Ana Martínez Ruiz"]  # her boss
    assert titles(search_for(users_a["siniestros"], "Ana Martinez"), "employee") == []  # not his team
    assert titles(search_for(users_a["cobros"], "Pedro Sanz"), "employee") == []  # not an employee
    assert titles(search_for(users_a["siniestros"], "Pedro Sanz"), "employee") == ["Pedro Sanz Vela"]  # himself


def test_invoices_need_the_accounting_permission(committed, admin_a, users_a):
    from apps.accounting.services.invoices import invoice_create

    with committed():
        party = party_create(actor=admin_a, data={"kind": "company", "company_name": "Consultoría Albarracín",
                                                   "tax_id": "B12345674"})
        invoice_create(actor=admin_a, kind="received", party=party, issue_date=datetime.date(2026, 2, 1),
                       full_number="F-ALB-77", lines=[{"description": "Asesoría", "unit_price": "100", "vat": "IVAS21"}])
    assert titles(search_for(users_a["contabilidad"], "F-ALB-77"), "invoice") == ["F-ALB-77"]
    assert titles(search_for(users_a["contabilidad"], "albarracin"), "invoice") == ["F-ALB-77"]
    assert titles(search_for(users_a["comercial"], "albarracin"), "invoice") == []


def test_an_anonymous_visitor_gets_the_login_page_and_the_api_refuses(tenants):
    client = host_client(tenants.alfa_host)
    assert client.get("/buscar/?q=villalobos").status_code == 302
    assert client.get("/api/v1/search/?q=villalobos").status_code in (401, 403)
