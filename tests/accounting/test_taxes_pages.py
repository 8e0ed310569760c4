"""Tax pages and API (issue 4, item 7): permissions, shape, exports and query counts."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounting.choices import EntryKind
from apps.accounting.models import Entry
from apps.accounting.services.invoices import invoice_issue
from apps.crm.services.parties import party_create
from tests.conftest import host_client

PAGES = ["accounting:taxes", "accounting:tax-vat-books", "accounting:tax-303", "accounting:tax-111-115",
         "accounting:tax-347", "accounting:tax-390", "accounting:tax-vat-settle"]
Q1 = {"year": "2026", "period": "1T"}


@pytest.fixture
def invoices(year_2026, admin_a):
    client = party_create(actor=None, data={"kind": "company", "company_name": "Talleres Gil SL",
                                            "tax_id": "B12345674"})
    insurer = party_create(actor=None, data={"kind": "company", "company_name": "Aseguradora Mediterránea SA",
                                             "tax_id": "A28141935"})
    supplier = party_create(actor=None, data={"kind": "company", "company_name": "Papelería Central SL",
                                              "tax_id": "B76543214"})
    day = datetime.date(2026, 2, 10)
    created = [
        invoice_issue(actor=admin_a, kind="issued", party=client, issue_date=day, lines=[
            {"description": "Honorarios", "unit_price": "1000.00", "vat": "IVA21"},
            {"description": "Otros", "unit_price": "500.00", "vat": "IVA10"}]),
        invoice_issue(actor=admin_a, kind="issued", party=insurer, issue_date=day, lines=[
            {"description": "Comisiones", "unit_price": "3000.00", "vat": "EXENTO20"}]),
        invoice_issue(actor=admin_a, kind="received", party=supplier, issue_date=day, full_number="PC-77", lines=[
            {"description": "Papel", "unit_price": "400.00", "vat": "IVAS21"}]),
    ]
    return {"client": client, "insurer": insurer, "supplier": supplier, "invoices": created}


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_the_accounting_permission(tenants, users_a, year_2026, name):
    response = host_client(tenants.alfa_host, users_a["comercial"]).get(reverse(name))
    assert response.status_code == 403
    response = host_client(tenants.alfa_host, users_a["contabilidad"]).get(reverse(name), Q1)
    assert response.status_code == 200


def test_303_page_shows_the_boxes_and_exports(client_a, invoices):
    response = client_a.get(reverse("accounting:tax-303"), Q1)
    html = response.content.decode()
    assert 'id="m303-box-09">210,00<' in html
    assert 'id="m303-box-83">3.000,00<' in html
    assert 'id="m303-result-value">176,00 €<' in html
    assert "prorrata" in html and 'id="settle-link"' in html
    csv = client_a.get(reverse("accounting:tax-303"), {**Q1, "format": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="modelo-303-2026-1T.csv"' in csv["Content-Disposition"]
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "303;IVA deducible;[45];Total a deducir;84,00" in body
    assert "303;Resultado;[71];Resultado de la liquidación ([69] − [70]);176,00" in body
    xlsx = client_a.get(reverse("accounting:tax-303"), {**Q1, "format": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = {row[2]: row[4] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["[27]"] == 260 and values["[71]"] == 176


def test_vat_book_page_export_and_query_count(client_a, invoices, admin_a, django_assert_num_queries):
    url = reverse("accounting:tax-vat-books")
    client_a.get(url, Q1)  # warm the session and caches
    with CaptureQueriesContext(connection) as first:
        response = client_a.get(url, Q1)
    html = response.content.decode()
    assert 'id="vat-book-base">4.500,00<' in html and 'id="vat-book-total">4.760,00<' in html
    assert "Aseguradora Mediterránea SA" in html and "E1" in html
    for number in range(5):
        invoice_issue(actor=admin_a, kind="issued", party=invoices["client"], issue_date=datetime.date(2026, 3, 1),
                      lines=[{"description": f"Servicio {number}", "unit_price": "10.00", "vat": "IVA21"}])
    with django_assert_num_queries(len(first.captured_queries)):
        client_a.get(url, Q1)
    received = client_a.get(url, {**Q1, "kind": "received", "format": "xlsx"})
    assert received["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="libro-iva-recibidas-2026-1T.xlsx"' in received["Content-Disposition"]
    csv = client_a.get(url, {**Q1, "format": "csv"})
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "B12345674;Talleres Gil SL;1000,00;21,00;210,00" in body
    assert body.strip().splitlines()[-1].startswith(";;;;Totales;4550,00")


def test_111_115_347_390_pages(client_a, invoices):
    page = client_a.get(reverse("accounting:tax-111-115"), Q1)
    assert 'id="m111-box-28">0,00<' in page.content.decode()
    detail = client_a.get(reverse("accounting:tax-111-115"), {**Q1, "format": "csv", "part": "detail"})
    assert 'filename="perceptores-111-115-2026-1T.csv"' in detail["Content-Disposition"]
    m347 = client_a.get(reverse("accounting:tax-347"), {"year": "2026"})
    # The insurer's 3.000,00 and the client's 1.760,00 are both below the threshold.
    assert "Ningún tercero supera el umbral" in m347.content.decode()
    assert "Aseguradora Mediterránea SA" not in m347.content.decode()
    export = client_a.get(reverse("accounting:tax-347"), {"year": "2026", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    m390 = client_a.get(reverse("accounting:tax-390"), {"year": "2026"})
    assert 'id="m390-box-105">3.000,00<' in m390.content.decode()
    assert 'id="m390-result">176,00<' in m390.content.decode()
    bad = client_a.get(reverse("accounting:tax-303"), {"year": "1800", "period": "1T"})
    assert bad.status_code == 400


def test_vat_settlement_page_posts_once(client_a, invoices):
    url = reverse("accounting:tax-vat-settle")
    preview = client_a.get(url, Q1)
    assert 'id="settle-preview"' in preview.content.decode()
    response = client_a.post(url, {**Q1, "date": "2026-03-31"})
    entry = Entry.objects.get(kind=EntryKind.VAT_SETTLEMENT)
    assert response.status_code == 302 and response["Location"] == reverse("accounting:entry-detail", args=[entry.pk])
    again = client_a.post(url, {**Q1, "date": "2026-03-31"})
    assert again.status_code == 400 and "ya está liquidado" in again.content.decode()
    index = client_a.get(reverse("accounting:taxes"))
    assert index.status_code == 200


def test_vat_settlement_page_needs_permission_to_post(tenants, users_a, invoices):
    response = host_client(tenants.alfa_host, users_a["comercial"]).post(reverse("accounting:tax-vat-settle"), Q1)
    assert response.status_code == 403
    assert not Entry.objects.filter(kind=EntryKind.VAT_SETTLEMENT).exists()


def test_api(tenants, api_token_a, invoices):
    from django.test import Client

    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    m303 = api.get("/api/v1/accounting/model-303/", Q1)
    assert m303.status_code == 200
    body = m303.json()
    assert body["boxes"]["71"] == "176.00" and body["period"]["date_to"] == "2026-03-31"
    book = api.get("/api/v1/accounting/vat-books/", {**Q1, "kind": "received"}).json()
    assert [row["number"] for row in book["rows"]] == ["PC-77"]
    assert api.get("/api/v1/accounting/model-347/", {"year": "2026"}).json()["rows"] == []
    assert api.get("/api/v1/accounting/model-390/", {"year": "2026"}).json()["boxes"]["86"] == "176.00"
    assert api.get("/api/v1/accounting/model-111-115/", Q1).json()["m115"]["boxes"]["03"] == "0.00"
    preview = api.get("/api/v1/accounting/vat-settlements/", Q1).json()
    assert preview["result"] == "176.00" and preview["settled_by"] is None
    created = api.post("/api/v1/accounting/vat-settlements/", {**Q1, "date": "2026-03-31"},
                       content_type="application/json")
    assert created.status_code == 201 and created.json()["total"] == "260.00"
    again = api.post("/api/v1/accounting/vat-settlements/", Q1, content_type="application/json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert api.get("/api/v1/accounting/model-303/", {"year": "2026", "period": "9T"}).status_code == 400
