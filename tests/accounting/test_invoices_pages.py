"""Invoice pages, PDF and API: permissions, shape, pinned list queries, the services behind them."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounting.choices import InvoiceState
from apps.accounting.models import Invoice, InvoiceSeries
from apps.accounting.services.invoices import invoice_create, invoice_issue
from apps.accounting.services.invoices_pdf import invoice_pdf_html
from apps.crm.services.parties import party_create
from tests.accounting.conftest import balance_of
from tests.conftest import host_client

D = Decimal
DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def accountant(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["contabilidad"])


@pytest.fixture
def insurer(tenant_a):
    return party_create(actor=None, data={"kind": "company", "company_name": "Aseguradora Atlántica SA",
                                          "tax_id": "A08169294"})


@pytest.fixture
def supplier(tenant_a):
    return party_create(actor=None, data={"kind": "company", "company_name": "Despacho Legal SL",
                                          "tax_id": "B65410011"})


def commission(actor, party, amount="1000.00", **kwargs):
    return invoice_issue(actor=actor, kind="issued", party=party, issue_date=DAY, lines=[
        {"description": "Comisiones de mediación", "unit_price": amount, "vat": "EXENTO20"}], **kwargs)


def form_data(rows, *, party, series="F", issue_date="2026-03-15", save="draft", extra=None):
    data = {"party": party, "series": series, "issue_date": issue_date, "save": save,
            "lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{index}-{name}"] = value
    data.update(extra or {})
    return data


# --- Permissions -----------------------------------------------------------------------------

def test_comercial_gets_403_on_every_invoice_page_and_endpoint(tenants, users_a, year_2026, admin_a, insurer):
    invoice = commission(admin_a, insurer)
    client = host_client(tenants.alfa_host, users_a["comercial"])
    for url in ("/contabilidad/facturas/emitidas/", "/contabilidad/facturas/recibidas/",
                f"/contabilidad/facturas/{invoice.pk}/", f"/contabilidad/facturas/{invoice.pk}/pdf/",
                "/contabilidad/facturas/nueva/issued/", f"/contabilidad/facturas/{invoice.pk}/rectificar/",
                "/r/accounting/invoiceseries/", "/api/v1/accounting/invoices/",
                f"/api/v1/accounting/invoices/{invoice.pk}/pdf/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/contabilidad/facturas/{invoice.pk}/validar/").status_code == 403


def test_accountant_sees_the_menu_entries_and_the_lists(accountant, year_2026, admin_a, insurer):
    commission(admin_a, insurer)
    html = accountant.get("/contabilidad/facturas/emitidas/").content.decode()
    assert "Facturas emitidas" in html and "Facturas recibidas" in html
    assert "F-2026-00001" in html and "Aseguradora Atlántica SA" in html and "1.000,00 €" in html
    assert accountant.get("/contabilidad/facturas/recibidas/").status_code == 200


# --- List -------------------------------------------------------------------------------------

def test_invoice_list_queries_are_pinned(accountant, year_2026, admin_a, insurer):
    commission(admin_a, insurer)
    url = "/contabilidad/facturas/emitidas/?state=validated&q=F-2026"
    accountant.get(url)
    with CaptureQueriesContext(connection) as few:
        assert accountant.get(url).status_code == 200
    for _ in range(6):
        commission(admin_a, insurer)
    with CaptureQueriesContext(connection) as many:
        html = accountant.get(url).content.decode()
    assert "F-2026-00007" in html
    assert len(few) == len(many) == 11, [q["sql"][:90] for q in many.captured_queries]


def test_list_filters_search_and_export(accountant, year_2026, admin_a, insurer, supplier):
    commission(admin_a, insurer)
    invoice_create(actor=admin_a, kind="issued", party=supplier, issue_date=datetime.date(2026, 4, 1), lines=[
        {"description": "Honorarios", "unit_price": "50", "vat": "IVA21"}])
    html = accountant.get("/contabilidad/facturas/emitidas/", {"state": "draft"}).content.decode()
    assert "Despacho Legal SL" in html and "Aseguradora Atlántica" not in html and "Borrador #" in html
    html = accountant.get("/contabilidad/facturas/emitidas/", {"date_from": "2026-03-01", "date_to": "2026-03-31",
                                                              "party": "A08169294"}).content.decode()
    assert "Aseguradora Atlántica" in html and "Despacho Legal" not in html
    html = accountant.get("/contabilidad/facturas/emitidas/", {"q": "despacho"}).content.decode()
    assert "Despacho Legal SL" in html and "Aseguradora Atlántica" not in html
    response = accountant.get("/contabilidad/facturas/emitidas/", {"export": "csv", "state": "validated"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "F-2026-00001" in body and "1000,00" in body and "Despacho" not in body
    response = accountant.get("/contabilidad/facturas/emitidas/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- Detail and PDF -------------------------------------------------------------------------------

def test_detail_shows_lines_taxes_per_rate_and_the_entry(accountant, year_2026, admin_a, insurer):
    invoice = commission(admin_a, insurer)
    html = accountant.get(f"/contabilidad/facturas/{invoice.pk}/").content.decode()
    assert 'id="tax-summary"' in html and "Exento art. 20 LIVA" in html and "art. 20.Uno.16º" in html
    assert f'href="/contabilidad/asientos/{invoice.entry_id}/"' in html
    assert 'id="pdf-link"' in html and "Rectificar" in html and 'id="validate-button"' not in html


def test_pdf_is_a_pdf_with_the_exemption_mention(accountant, year_2026, admin_a, insurer):
    invoice = commission(admin_a, insurer)
    html = invoice_pdf_html(invoice)
    assert "Operación exenta de IVA según el art. 20.Uno.16º de la Ley 37/1992" in html
    assert "F-2026-00001" in html and "A08169294" in html and "1.000,00 €" in html
    assert "http://" not in html and "https://" not in html  # nothing remote
    response = accountant.get(f"/contabilidad/facturas/{invoice.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="factura-F-2026-00001.pdf"' in response["Content-Disposition"]
    pypdf = pytest.importorskip("pypdf")  # installed with xhtml2pdf
    import io

    text = " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "art. 20.Uno.16º de la Ley 37/1992" in text and "Total factura 1.000,00 €" in text


# --- Form -------------------------------------------------------------------------------------

def test_create_a_draft_then_validate_it_from_the_pages(accountant, year_2026, insurer):
    response = accountant.get("/contabilidad/facturas/nueva/issued/")
    assert response.status_code == 200 and 'id="lines-template"' in response.content.decode()
    rows = [{"description": "Honorarios", "quantity": "2", "unit_price": "500,00", "vat": "IVA21",
             "withholding": "IRPF15"}, {"description": "", "unit_price": ""}]
    response = accountant.post("/contabilidad/facturas/nueva/issued/", form_data(rows, party="A08169294"))
    invoice = Invoice.objects.get(party=insurer)
    assert response.status_code == 302 and response["Location"] == f"/contabilidad/facturas/{invoice.pk}/"
    assert invoice.state == InvoiceState.DRAFT and invoice.total == D("1060.00") and invoice.lines.count() == 1
    edit = accountant.get(f"/contabilidad/facturas/{invoice.pk}/editar/").content.decode()
    assert 'value="500"' in edit and 'value="A08169294"' in edit
    response = accountant.post(f"/contabilidad/facturas/{invoice.pk}/validar/")
    invoice.refresh_from_db()
    assert invoice.full_number == "F-2026-00001" and invoice.entry is not None
    assert balance_of(f"4300{insurer.pk:06d}") == D("1060.00")


def test_form_errors_are_shown_beside_the_line_and_nothing_is_saved(accountant, year_2026, insurer):
    rows = [{"description": "Honorarios", "unit_price": "100", "vat": "IVA21"},
            {"description": "Cuenta mal", "unit_price": "10", "account": "9999"}]
    response = accountant.post("/contabilidad/facturas/nueva/issued/", form_data(rows, party="A08169294", save="validate"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Línea 2: la cuenta 9999 no existe." in html and not Invoice.objects.exists()
    response = accountant.post("/contabilidad/facturas/nueva/issued/", form_data(rows[:1], party="99999999"))
    assert "No hay ningún tercero" in response.content.decode()
    response = accountant.post("/contabilidad/facturas/nueva/issued/",
                               form_data(rows, party="A08169294", extra={"add_rows": "1"}))
    assert response.status_code == 200 and 'name="lines-4-description"' in response.content.decode()


def test_received_invoice_page_asks_for_the_supplier_number(accountant, year_2026, supplier):
    rows = [{"description": "Minuta", "unit_price": "500", "vat": "IVAS21", "withholding": "IRPF15"}]
    data = form_data(rows, party=str(supplier.pk), series="P", save="validate")
    response = accountant.post("/contabilidad/facturas/nueva/received/", data)
    assert response.status_code == 400 and not Invoice.objects.exists()
    data["full_number"] = "LEX-88"
    response = accountant.post("/contabilidad/facturas/nueva/received/", data)
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and invoice.full_number == "LEX-88" and invoice.state == InvoiceState.VALIDATED
    assert balance_of(f"4100{supplier.pk:06d}") == D("-530.00")


def test_rectify_page_cancels_the_invoice(accountant, year_2026, admin_a, insurer):
    invoice = commission(admin_a, insurer)
    assert accountant.get(f"/contabilidad/facturas/{invoice.pk}/rectificar/").status_code == 200
    response = accountant.post(f"/contabilidad/facturas/{invoice.pk}/rectificar/", {
        "mode": "full", "issue_date": "2026-03-20", "code": "R4", "reason": "Comisión duplicada",
        "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"})
    rectifying = Invoice.objects.get(rectifies=invoice)
    assert response.status_code == 302 and rectifying.full_number == "R-2026-00001"
    assert balance_of(f"4300{insurer.pk:06d}") == 0
    html = accountant.get(f"/contabilidad/facturas/{invoice.pk}/").content.decode()
    assert "R-2026-00001" in html and "/rectificar/" not in html


def test_draft_delete_page(accountant, year_2026, admin_a, insurer):
    draft = invoice_create(actor=admin_a, kind="issued", party=insurer, issue_date=DAY, lines=[
        {"description": "Comisiones", "unit_price": "10", "vat": "EXENTO20"}])
    assert accountant.get(f"/contabilidad/facturas/{draft.pk}/borrar/").status_code == 200
    response = accountant.post(f"/contabilidad/facturas/{draft.pk}/borrar/")
    assert response.status_code == 302 and not Invoice.objects.filter(pk=draft.pk).exists()


def test_series_pages_keep_the_code_of_a_used_series(accountant, year_2026, admin_a, insurer):
    commission(admin_a, insurer)
    series = InvoiceSeries.objects.get(code="F")
    assert accountant.get("/r/accounting/invoiceseries/").status_code == 200
    response = accountant.post(f"/r/accounting/invoiceseries/{series.pk}/editar/", {
        "code": "FX", "name": "Otra", "kind": "issued", "journal": series.journal_id, "is_active": "on",
        "version": series.version})
    assert "ya tiene facturas" in response.content.decode()
    response = accountant.post("/r/accounting/invoiceseries/nuevo/", {
        "code": "h", "name": "Honorarios", "kind": "issued", "journal": series.journal_id, "is_active": "on"})
    assert response.status_code == 302 and InvoiceSeries.objects.filter(code="H").exists()


# --- API ----------------------------------------------------------------------------------------

def api(client, method, url, data=None, **extra):
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def test_api_create_validate_rectify_and_pdf(tenants, api_token_a, year_2026, insurer):
    from django.test import Client

    client = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    response = api(client, "post", "/api/v1/accounting/invoices/", {
        "kind": "issued", "party": insurer.pk, "issue_date": "2026-03-15",
        "lines": [{"description": "Comisiones", "unit_price": "1000.00", "vat": "EXENTO20", "insurer": insurer.pk,
                   "line_of_business": "hogar"}]}, HTTP_IDEMPOTENCY_KEY="fra-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["total"] == "1000.00" and body["lines"][0]["vat"] == "EXENTO20"
    assert body["tax_summary"][0]["legal_text"].startswith("Operación exenta")
    pk = body["id"]
    response = api(client, "post", f"/api/v1/accounting/invoices/{pk}/validate/")
    assert response.status_code == 200, response.content
    assert response.json()["full_number"] == "F-2026-00001" and response.json()["entry"]
    response = api(client, "patch", f"/api/v1/accounting/invoices/{pk}/", {"notes": "x"})
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    response = api(client, "post", f"/api/v1/accounting/invoices/{pk}/rectify/",
                   {"issue_date": "2026-03-31", "reason": "Anulación", "code": "R4"})
    assert response.status_code == 201 and response.json()["total"] == "-1000.00"
    response = client.get(f"/api/v1/accounting/invoices/{pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    listing = client.get("/api/v1/accounting/invoices/", {"kind": "issued", "search": "F-2026"}).json()
    assert listing["count"] == 1 and listing["results"][0]["full_number"] == "F-2026-00001"


def test_api_refusals_are_problem_json(tenants, api_token_a, year_2026, supplier):
    from django.test import Client

    client = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    payload = {"kind": "received", "party": supplier.pk, "issue_date": "2026-03-15", "full_number": "L-1",
               "lines": [{"description": "Minuta", "unit_price": "100", "vat": "IRPF15"}]}
    response = api(client, "post", "/api/v1/accounting/invoices/", payload)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "no puede ir como IVA" in response.json()["detail"] and response.json()["errors"] == {
        "lines.1.vat": [response.json()["detail"]]}
    payload["lines"][0]["vat"] = "IVAS21"
    pk = api(client, "post", "/api/v1/accounting/invoices/", payload).json()["id"]
    api(client, "post", f"/api/v1/accounting/invoices/{pk}/validate/")
    again = api(client, "post", "/api/v1/accounting/invoices/", payload).json()["detail"]
    assert "Ya está registrada la factura L-1" in again


def test_api_list_queries_are_pinned(client_a, year_2026, admin_a, insurer):
    commission(admin_a, insurer)
    url = "/api/v1/accounting/invoices/?kind=issued"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    for _ in range(5):
        commission(admin_a, insurer)
    with CaptureQueriesContext(connection) as many:
        assert client_a.get(url).json()["count"] == 6
    assert len(few) == len(many), [q["sql"][:90] for q in many.captured_queries]


def test_api_edits_and_deletes_drafts_only(tenants, api_token_a, year_2026, insurer):
    from django.test import Client

    client = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    pk = api(client, "post", "/api/v1/accounting/invoices/", {
        "kind": "issued", "party": insurer.pk, "issue_date": "2026-03-15",
        "lines": [{"description": "Comisiones", "unit_price": "10", "vat": "EXENTO20"}]}).json()["id"]
    response = api(client, "patch", f"/api/v1/accounting/invoices/{pk}/", {
        "notes": "Liquidación de marzo", "lines": [{"description": "Honorarios", "unit_price": "100", "vat": "IVA21"}]})
    assert response.status_code == 200, response.content
    assert response.json()["total"] == "121.00" and response.json()["notes"] == "Liquidación de marzo"
    assert api(client, "patch", f"/api/v1/accounting/invoices/{pk}/", {"kind": "received"}).json()["kind"] == "issued"
    assert client.delete(f"/api/v1/accounting/invoices/{pk}/").status_code == 204
    assert not Invoice.objects.filter(pk=pk).exists()
