"""Receipt pages: the list (filters, search, totals of the filtered set, CSV/XLSX export, pinned query
count, capped count), the receipt page (amounts, movements, commission rows and sums, history;
pinned queries), each action through its form (collect partial and rest, return with a SEPA code,
re-collect, cancel) and the refusals (nothing written), a Comercial sees only its clients' receipts,
roles without the change permission get no forms and a 403."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.collections.services.receipts import receipt_collect
from apps.crm.services.parties import party_create
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from tests.conftest import host_client
from tests.fixtures.insurance import make_insurer, make_product

D = Decimal
date = datetime.date
LIST = "/recibos/"


@pytest.fixture
def other_holder(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Pablo", "last_name": "Núñez",
                                          "tax_id": "22222222J"})


@pytest.fixture
def comercial(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


@pytest.fixture
def book(issued_policy, coll_catalog, other_holder):
    """CV-0001: monthly 1.200 € (12 × 100 €, 20 % = 20 €) for Marta, collected by the broker;
    OT-1: annual 1.000 € with another insurer, for Pablo, collected by the insurer (no agreement: 0 €)."""
    monthly = issued_policy()
    other_product = make_product(coll_catalog.line.code, make_insurer("Otra Aseguradora"), code="OT1")
    annual = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL, method=PaymentMethod.INSURER,
                           number="OT-1", holder=other_holder, product=other_product, start=date(2026, 3, 1))
    return {"monthly": monthly, "annual": annual}


def numbers(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    return {r.number for r in Receipt.objects.all() if f">{r.number}<" in html}


def first_receipt(policy) -> Receipt:
    return Receipt.objects.get(policy=policy, sequence=1)


def test_list_filters_search_and_totals(client_a, book, admin_a):
    monthly, annual = book["monthly"], book["annual"]
    receipt_collect(actor=admin_a, receipt=first_receipt(monthly), date=date(2026, 1, 5), channel="sepa")
    html = client_a.get(LIST).content.decode()
    assert "Recibos" in html and "CV-0001/001" in html and "OT-1/001" in html and "Marta Ortega Ruiz" in html
    # 12 × 100 + 1.000 of premium; 100 collected; commission 12 × 20 (the other insurer has no agreement)
    assert 'id="total-premium">2.200,00 €' in html
    assert 'id="total-outstanding">2.100,00 €' in html
    assert 'id="total-collected">100,00 €' in html
    assert 'id="total-commission">240,00 €' in html
    assert numbers(client_a, f"?insurer={annual.insurer_id}") == {"OT-1/001"}
    assert numbers(client_a, "?state=collected") == {"CV-0001/001"}
    assert numbers(client_a, "?collector=insurer") == {"OT-1/001"}
    assert numbers(client_a, "?due_from=2026-11-01&due_to=2026-12-31") == {"CV-0001/011", "CV-0001/012"}
    assert numbers(client_a, "?policy=OT") == {"OT-1/001"}
    assert numbers(client_a, "?policyholder=22222222J") == {"OT-1/001"}
    assert numbers(client_a, "?policyholder=Ortega&due_to=2026-02-15") == {"CV-0001/001", "CV-0001/002"}
    assert numbers(client_a, f"?line={book['monthly'].line.code}&state=issued") == (
        {f"CV-0001/{n:03d}" for n in range(2, 13)} | {"OT-1/001"})
    assert numbers(client_a, "?q=N%C3%BA%C3%B1ez") == {"OT-1/001"}
    filtered = client_a.get(LIST + "?policyholder=Ortega&state=issued").content.decode()
    assert 'id="total-premium">1.100,00 €' in filtered and 'id="total-commission">220,00 €' in filtered
    ordered = client_a.get(LIST + "?o=total_premium").content.decode()
    assert ordered.index("CV-0001/") < ordered.index("OT-1/001")
    bad = client_a.get(LIST + "?due_from=ayer")
    assert bad.status_code == 200 and "Introduzca una fecha válida" in bad.content.decode()
    partial = client_a.get(LIST + "?state=issued", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="receipt-results")
    assert partial.content.decode().lstrip().startswith('<div id="receipt-results">')


def test_export_csv_and_xlsx(client_a, book):
    export = client_a.get(LIST + f"?export=csv&insurer={book['annual'].insurer_id}")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export.status_code == 200 and "OT-1/001" in content and "CV-0001" not in content
    assert "1000,00" in content and "Cobrado por la compañía" not in content  # channel empty, collector label
    assert "Compañía" in content.splitlines()[0]
    xlsx = client_a.get(LIST + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_queries_are_pinned(client_a, issued_policy):
    issued_policy(frequency=PaymentFrequency.QUARTERLY)
    url = LIST + "?state=issued&due_from=2026-01-01&o=-due_date"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(url).status_code == 200
    for _n in range(3):
        issued_policy()
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url)
    assert "CV-0004/012" in response.content.decode()
    assert len(many) == len(few) <= 14, [q["sql"][:120] for q in many.captured_queries]


def test_count_is_capped(client_a, issued_policy, monkeypatch):
    from apps.collections.views import receipts as views

    issued_policy(frequency=PaymentFrequency.QUARTERLY)
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    assert "Más de 2 registros" in client_a.get(LIST).content.decode()


def test_receipt_page_shows_amounts_movements_commission_and_history(client_a, issued_policy, admin_a):
    policy = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL)
    receipt = first_receipt(policy)
    url = f"{LIST}{receipt.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    receipt_collect(actor=admin_a, receipt=receipt, date=date(2026, 1, 10), amount=D("500.00"), channel="transfer")
    receipt_collect(actor=admin_a, receipt=receipt, date=date(2026, 2, 10), amount=D("300.00"), channel="transfer")
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(url)
    assert response.status_code == 200
    assert len(queries) == len(few) <= 16, [q["sql"][:120] for q in queries.captured_queries]
    html = response.content.decode()
    for text in ("CV-0001/001", "Cobrado parcialmente", "Vida Colectiva Seguros", "01/01/2026 – 31/12/2026",
                 'id="receipt-total">1.000,00 €', 'id="receipt-collected">800,00 €',
                 'id="receipt-outstanding">200,00 €', "Primera prima", "Transferencia",
                 'id="movements-net">800,00 €', 'id="commission-broker">160,00 €', "Devengo", "Actividad",
                 "cobro del recibo", 'id="collect-form"', 'id="return-form"', 'value="200.00"'):
        assert text in html, text
    assert 'id="cancel-form"' not in html  # a partly collected receipt is returned, not cancelled


def test_collect_partial_then_the_rest_through_the_page(client_a, issued_policy):
    """Issue's numbers: a 1.000 € receipt at 20 %: 500 € collected earns 100 €; the rest earns 100 €."""
    receipt = first_receipt(issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL))
    url = f"{LIST}{receipt.pk}/"
    response = client_a.post(url + "cobrar/", {"date": "2026-01-10", "amount": "500", "channel": "transfer"})
    assert response.status_code == 302 and response["Location"] == url
    receipt.refresh_from_db()
    assert (receipt.state, receipt.collected_amount) == ("partial", D("500.00"))
    broker = CommissionMovement.objects.filter(receipt=receipt, collaborator__isnull=True)
    assert [row.amount for row in broker] == [D("100.00")]
    page = client_a.get(url).content.decode()
    assert "Cobro registrado en el recibo CV-0001/001." in page and 'id="commission-broker">100,00 €' in page
    client_a.post(url + "cobrar/", {"date": "2026-02-10", "amount": "", "channel": "transfer"})
    receipt.refresh_from_db()
    assert (receipt.state, receipt.collected_amount) == ("collected", D("1000.00"))
    assert sum(row.amount for row in broker.all()) == D("200.00")


def test_return_with_a_sepa_code_and_collect_again(client_a, issued_policy):
    receipt = first_receipt(issued_policy())
    url = f"{LIST}{receipt.pk}/"
    client_a.post(url + "cobrar/", {"date": "2026-01-05", "channel": "sepa"})
    missing = client_a.post(url + "devolver/", {"date": "2026-01-20", "code": "other", "text": ""})
    assert missing.status_code == 400 and "Indique el motivo de la devolución." in missing.content.decode()
    assert client_a.post(url + "devolver/", {"date": "2026-01-20", "code": "AM04", "text": ""}).status_code == 302
    receipt.refresh_from_db()
    assert receipt.state == "returned" and receipt.return_reason == "AM04 · Saldo insuficiente"
    assert receipt.collected_amount == D("0.00")
    page = client_a.get(url).content.decode()
    assert "Devuelto" in page and "AM04 · Saldo insuficiente" in page and 'id="movements-net">0,00 €' in page
    assert 'id="commission-broker">0,00 €' in page  # the return reversed the 20 €
    client_a.post(url + "cobrar/", {"date": "2026-02-03", "channel": "transfer"})
    receipt.refresh_from_db()
    assert receipt.state == "collected"
    assert sum(r.amount for r in CommissionMovement.objects.filter(receipt=receipt, collaborator__isnull=True)) == (
        D("20.00"))


def test_cancel_and_the_refusals_write_nothing(client_a, issued_policy, admin_a):
    policy = issued_policy()
    receipt = Receipt.objects.get(policy=policy, sequence=2)
    url = f"{LIST}{receipt.pk}/"
    assert client_a.post(url + "anular/", {"date": "2026-02-10", "reason": "Error de emisión"}).status_code == 302
    receipt.refresh_from_db()
    assert receipt.state == "cancelled" and receipt.cancelled_on == date(2026, 2, 10)
    counts = (ReceiptMovement.objects.count(), CommissionMovement.objects.count())
    refused = client_a.post(url + "cobrar/", {"date": "2026-02-11", "amount": "100", "channel": "cash"})
    assert refused.status_code == 409
    assert "El recibo CV-0001/002 está anulado: no se puede cobrar ni devolver." in refused.content.decode()
    assert (ReceiptMovement.objects.count(), CommissionMovement.objects.count()) == counts
    collected = first_receipt(policy)
    receipt_collect(actor=admin_a, receipt=collected, date=date(2026, 1, 5), channel="sepa")
    counts = (ReceiptMovement.objects.count(), CommissionMovement.objects.count())
    too_much = client_a.post(f"{LIST}{Receipt.objects.get(policy=policy, sequence=3).pk}/cobrar/",
                             {"date": "2026-03-02", "amount": "150", "channel": "cash"})
    assert too_much.status_code == 400
    assert "supera lo pendiente" in too_much.content.decode() and 'value="150' in too_much.content.decode()
    not_cancellable = client_a.post(f"{LIST}{collected.pk}/anular/", {"date": "2026-02-01"})
    assert not_cancellable.status_code == 409 and "registre antes su devolución" in not_cancellable.content.decode()
    assert (ReceiptMovement.objects.count(), CommissionMovement.objects.count()) == counts
    assert Receipt.objects.get(pk=collected.pk).state == "collected"


def test_comercial_sees_only_its_clients_receipts(comercial, book):
    own, other = first_receipt(book["monthly"]), first_receipt(book["annual"])
    html = comercial.get(LIST).content.decode()
    assert "CV-0001/001" in html and "OT-1/001" not in html
    assert 'id="total-premium">1.200,00 €' in html
    assert comercial.get(f"{LIST}{own.pk}/").status_code == 200
    assert 'id="collect-form"' not in comercial.get(f"{LIST}{own.pk}/").content.decode()
    assert comercial.get(f"{LIST}{other.pk}/").status_code == 404
    assert comercial.post(f"{LIST}{own.pk}/cobrar/", {"date": "2026-01-05", "channel": "cash"}).status_code == 403
    export = b"".join(comercial.get(LIST + "?export=csv").streaming_content).decode("utf-8-sig")
    assert "CV-0001/001" in export and "OT-1/001" not in export


def test_roles_and_permissions(tenants, users_a, issued_policy):
    receipt = first_receipt(issued_policy())
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get(LIST).status_code == 403
    viewer = host_client(tenants.alfa_host, users_a["siniestros"])  # collections: view only
    page = viewer.get(f"{LIST}{receipt.pk}/")
    assert page.status_code == 200 and 'id="collect-form"' not in page.content.decode()
    assert viewer.post(f"{LIST}{receipt.pk}/anular/", {"date": "2026-01-02"}).status_code == 403
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    assert cobros.post(f"{LIST}{receipt.pk}/cobrar/", {"date": "2026-01-05", "channel": "sepa"}).status_code == 302
    assert Receipt.objects.get(pk=receipt.pk).state == "collected"
    menu = cobros.get(LIST).content.decode()
    assert "Cobros y comisiones" in menu and "Colaboradores" in menu
