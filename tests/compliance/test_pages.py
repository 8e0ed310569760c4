"""Pages, API and permissions of «Cumplimiento»: Dirección manages, Contabilidad only views, Comercial sees
nothing; lists keep a fixed number of queries; PDF and CSV downloads; the menu entry."""
import datetime

import pytest

from apps.compliance.choices import ComplaintKind, RequestKind
from apps.compliance.services.activities import processing_activities_seed_defaults
from apps.compliance.services.complaints import complaint_create
from apps.compliance.services.requests import dsr_create
from tests.conftest import host_client

PAGES = ["/cumplimiento/actividades/", "/cumplimiento/conservacion/", "/cumplimiento/solicitudes/",
         "/cumplimiento/quejas/", "/cumplimiento/quejas/informe-anual/?ejercicio=2026",
         "/cumplimiento/conservacion/ejecuciones/"]


@pytest.fixture
def cases(person, admin_a, rules):
    processing_activities_seed_defaults(actor=admin_a)
    party = person("Pilar", "Navas")
    made = {"requests": [], "complaints": []}
    for day in range(1, 6):
        made["requests"].append(dsr_create(actor=admin_a, kind=RequestKind.ACCESS, party=party,
                                           received_on=datetime.date(2026, 11, day), handler=admin_a))
        made["complaints"].append(complaint_create(actor=admin_a, kind=ComplaintKind.QUEJA, party=party,
                                                   received_on=datetime.date(2026, 10, day), description="Retraso",
                                                   handler=admin_a))
    return made


def test_pages_for_direccion(tenants, admin_a, cases):
    client = host_client(tenants.alfa_host, admin_a)
    for url in PAGES + [f"/cumplimiento/solicitudes/{cases['requests'][0].pk}/",
                        f"/cumplimiento/quejas/{cases['complaints'][0].pk}/",
                        "/cumplimiento/solicitudes/nueva/", "/cumplimiento/quejas/nueva/",
                        "/cumplimiento/conservacion/retenciones/nueva/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Cumplimiento" in client.get("/cumplimiento/quejas/").content.decode()


def test_contabilidad_views_but_does_not_change(tenants, users_a, cases):
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert client.get("/cumplimiento/quejas/").status_code == 200
    assert client.get("/cumplimiento/actividades/").status_code == 200
    assert client.get("/cumplimiento/quejas/nueva/").status_code == 403
    pk = cases["complaints"][0].pk
    assert client.post(f"/cumplimiento/quejas/{pk}/tramitar/").status_code == 403
    assert client.post("/cumplimiento/conservacion/ejecutar/").status_code == 403


def test_comercial_has_no_access(tenants, users_a, cases):
    client = host_client(tenants.alfa_host, users_a["comercial"])
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_downloads(tenants, admin_a, cases):
    client = host_client(tenants.alfa_host, admin_a)
    pdf = client.get("/cumplimiento/actividades/?export=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = client.get("/cumplimiento/actividades/?export=csv").content.decode("utf-8-sig")
    assert "Clientes y pólizas" in csv and "Base jurídica" in csv
    report = client.get("/cumplimiento/quejas/informe-anual/?ejercicio=2026&export=pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    rows = client.get("/cumplimiento/quejas/informe-anual/?ejercicio=2026&export=csv").content.decode("utf-8-sig")
    assert "Quejas y reclamaciones recibidas;5" in rows
    listing = b"".join(client.get("/cumplimiento/quejas/?export=csv").streaming_content).decode("utf-8-sig")
    assert listing.count("SAC-2026-") == 5


def test_list_query_counts_do_not_grow(tenants, admin_a, cases, person, django_assert_max_num_queries):
    client = host_client(tenants.alfa_host, admin_a)
    for url in ["/cumplimiento/solicitudes/", "/cumplimiento/quejas/"]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_api(tenants, admin_a, users_a, cases, person):
    client = host_client(tenants.alfa_host, admin_a)
    listing = client.get("/api/v1/compliance/complaints/")
    assert listing.status_code == 200 and listing.json()["count"] == 5
    party = person("Ramón", "Vega")
    created = client.post("/api/v1/compliance/requests/", {
        "kind": "portability", "party": party.pk, "received_on": "2026-11-30", "channel": "email"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["deadline"] == "2026-12-30"
    pk = created.json()["id"]
    extended = client.post(f"/api/v1/compliance/requests/{pk}/extend/", {"reason": ""},
                           content_type="application/json")
    assert extended.status_code == 400
    report = client.get("/api/v1/compliance/complaints/report/?year=2026").json()
    assert report["total"] == 5
    readonly = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert readonly.get("/api/v1/compliance/requests/").status_code == 200
    assert readonly.post(f"/api/v1/compliance/requests/{pk}/start/").status_code == 403
