"""What collections adds to the policy page (the art. 15 LCS sentence for today, coloured; the
policy's receipts with totals; the commission earned; shares set and removed from the panel) and to
the client's 360° page (pending and returned receipts, loaded by htmx). Dates are relative to today
because the sentence is today's; the insurer collects, so nothing posts to the books."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.collections.models import CommissionShare, Receipt
from apps.collections.services.collaborators import collaborator_create
from apps.collections.services.receipts import receipt_collect, receipt_return
from apps.crm.services.parties import party_create
from apps.insurance.choices import PaymentMethod
from apps.insurance.services.policy_dates import add_months
from tests.conftest import host_client

D = Decimal
POLICIES = "/seguros/polizas/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def monthly(issued_policy, today):
    """Monthly 1.200 € started 40 days ago: receipts 1 and 2 are due (the second within its month)."""
    return issued_policy(start=today - datetime.timedelta(days=40), method=PaymentMethod.INSURER)


def receipts(policy):
    return list(Receipt.objects.filter(policy=policy).order_by("sequence"))


def page(client, policy):
    response = client.get(f"{POLICIES}{policy.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_first_premium_unpaid_is_red(client_a, monthly):
    html = page(client_a, monthly)
    assert 'id="policy-receipts"' in html and 'class="alert alert-danger' in html
    assert 'data-state="first_unpaid"' in html
    assert "Sin cobertura: la primera prima (recibo CV-0001/001" in html
    assert "si ocurre un siniestro antes del pago, no está cubierto" in html


def test_later_premium_unpaid_is_grace_then_covered(client_a, monthly, admin_a, today):
    first, second = receipts(monthly)[:2]
    receipt_collect(actor=admin_a, receipt=first, date=today, channel="insurer")
    html = page(client_a, monthly)
    assert 'class="alert alert-warning' in html and 'data-state="grace"' in html
    assert f"el recibo CV-0001/002 venció el {second.due_date:%d/%m/%Y}" in html
    assert f"la cobertura se suspende el {add_months(second.due_date, 1):%d/%m/%Y}" in html
    receipt_collect(actor=admin_a, receipt=second, date=today, channel="insurer")
    html = page(client_a, monthly)
    assert 'class="alert alert-success' in html and "Con cobertura: no hay recibos vencidos pendientes" in html


def test_a_premium_unpaid_for_over_a_month_suspends_cover(client_a, issued_policy, admin_a, today):
    policy = issued_policy(start=add_months(today, -2) - datetime.timedelta(days=1), method=PaymentMethod.INSURER)
    first, second = receipts(policy)[:2]
    receipt_collect(actor=admin_a, receipt=first, date=today, channel="insurer")
    html = page(client_a, policy)
    assert 'class="alert alert-danger' in html and 'data-state="suspended"' in html
    assert f"Cobertura suspendida desde el {add_months(second.due_date, 1):%d/%m/%Y}" in html
    assert "seis meses" in html


def test_panel_lists_receipts_with_totals_and_commission(client_a, monthly, admin_a, today):
    first = receipts(monthly)[0]
    receipt_collect(actor=admin_a, receipt=first, date=today, channel="insurer")
    url = f"{POLICIES}{monthly.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    receipt_collect(actor=admin_a, receipt=receipts(monthly)[1], date=today, channel="insurer")
    with CaptureQueriesContext(connection) as many:
        html = client_a.get(url).content.decode()
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    for text in ("CV-0001/001", "CV-0001/012", 'id="policy-receipts-total">1.200,00 €',
                 'id="policy-outstanding">1.000,00 €', 'id="policy-commission-broker">40,00 €', "Cobrado",
                 "Recibos y comisiones"):
        assert text in html, text


def test_shares_are_set_and_removed_from_the_panel(client_a, monthly, admin_a):
    ana = collaborator_create(actor=admin_a, data={
        "party": party_create(actor=None, data={"kind": "person", "first_name": "Ana", "last_name": "Vidal",
                                                "tax_id": "33333333P"}),
        "kind": "auxiliary", "code": "AUX-1"})
    luis = collaborator_create(actor=admin_a, data={
        "party": party_create(actor=None, data={"kind": "person", "first_name": "Luis", "last_name": "Mora",
                                                "tax_id": "44444444A"}),
        "kind": "co_broker", "code": "COB-1"})
    assert 'id="share-form"' in page(client_a, monthly)
    url = f"/recibos/poliza/{monthly.pk}/participaciones/"
    response = client_a.post(url, {"share-collaborator": ana.pk, "share-share_pct": "60"})
    assert response.status_code == 302 and response["Location"] == f"{POLICIES}{monthly.pk}/#policy-receipts"
    refused = client_a.post(url, {"share-collaborator": luis.pk, "share-share_pct": "50"}, follow=True)
    assert "más del 100 % de la comisión" in refused.content.decode()
    assert list(CommissionShare.objects.values_list("collaborator__code", "share_pct")) == [("AUX-1", D("60.00"))]
    html = page(client_a, monthly)
    assert "AUX-1" in html and "60,00 %" in html
    client_a.post(url + "quitar/", {"collaborator": ana.pk})
    assert not CommissionShare.objects.exists()


def test_roles_on_the_panel(tenants, users_a, monthly):
    comercial = host_client(tenants.alfa_host, users_a["comercial"])  # collections: view, own clients
    html = page(comercial, monthly)
    assert 'id="cover-state"' in html and 'id="share-form"' not in html
    assert comercial.post(f"/recibos/poliza/{monthly.pk}/participaciones/", {}).status_code == 403
    contabilidad = host_client(tenants.alfa_host, users_a["contabilidad"])  # insurance view + collections
    assert 'id="share-form"' in page(contabilidad, monthly)


def test_party_360_lists_pending_and_returned_receipts(client_a, tenants, users_a, monthly, admin_a, today,
                                                       coll_holder):
    first, second, third = receipts(monthly)[:3]
    receipt_collect(actor=admin_a, receipt=first, date=today, channel="insurer")
    receipt_collect(actor=admin_a, receipt=second, date=today, channel="insurer")
    receipt_return(actor=admin_a, receipt=second, date=today, reason="MS02 · Motivo no especificado")
    party_page = client_a.get(f"/r/crm/party/{coll_holder.pk}/").content.decode()
    panel_url = f"/recibos/cliente/{coll_holder.pk}/"
    assert 'id="party-receipts"' in party_page and f'hx-get="{panel_url}"' in party_page
    html = client_a.get(panel_url).content.decode()
    assert "CV-0001/001" not in html  # collected
    assert "CV-0001/002" in html and "Devuelto" in html and "MS02" in html
    assert third.number in html and 'id="party-outstanding">1.100,00 €' in html
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    assert comercial.get(panel_url).status_code == 200
    stranger = party_create(actor=None, data={"kind": "person", "first_name": "Raúl", "last_name": "Soto",
                                              "tax_id": "66666666Q"})
    assert comercial.get(f"/recibos/cliente/{stranger.pk}/").status_code == 404
