"""Bank accounts and mandates: services, pages, API and permissions (Cobros manages, Comercial 403)."""
import datetime
import json

import pytest
from django.test import Client

from apps.accounting.models import Account
from apps.audit.models import AuditEvent
from apps.treasury.errors import TreasuryError
from apps.treasury.models import BankAccount, Mandate
from apps.treasury.services.accounts import bank_account_create, bank_account_update
from apps.treasury.services.mandates import mandate_register_use
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.treasury.conftest import BANK_IBAN

pytestmark = pytest.mark.django_db

OTHER_IBAN = "ES6000491500051234567892"


def test_bank_account_fixture_and_rules(bank_account, admin_a):
    assert bank_account.iban == BANK_IBAN and bank_account.creditor_id == "ES11000B12345674"
    assert bank_account.account.code == "572" and bank_account.is_default
    assert AuditEvent.objects.filter(object_id=str(bank_account.pk), action="create").exists()
    bank = Account.objects.get(code="572")
    for field, kwargs in (("iban", {"iban": "ES9121000418450200051333"}),
                          ("creditor_id", {"creditor_id": "ES12000B12345674"}),
                          ("account", {"account": Account.objects.get(code="570")}),
                          ("iban", {"iban": BANK_IBAN}), ("bic", {"bic": "XX"})):
        values = {"name": "Otra", "iban": OTHER_IBAN, "account": bank, **kwargs}
        with pytest.raises(TreasuryError) as exc:
            bank_account_create(actor=admin_a, **values)
        assert exc.value.field == field, (field, exc.value.message)
    second = bank_account_create(actor=admin_a, name="Sabadell", iban="es60 0049 1500 0512 3456 7892", account=bank,
                                 is_default=True)
    assert second.iban == OTHER_IBAN
    assert list(BankAccount.objects.filter(is_default=True)) == [second]
    bank_account_update(actor=admin_a, bank_account=bank_account, is_default=True)
    assert list(BankAccount.objects.filter(is_default=True).values_list("pk", flat=True)) == [bank_account.pk]


def test_pages_for_cobros_and_403_for_comercial(tenants, users_a, bank_account, coll_holder, mandate_for, admin_a):
    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    html = cobros.get("/tesoreria/cuentas/").content.decode()
    assert "CaixaBank cobros" in html and BANK_IBAN in html
    export = b"".join(cobros.get("/tesoreria/cuentas/?export=csv").streaming_content).decode("utf-8-sig")
    assert "ES11000B12345674" in export
    created = cobros.post("/tesoreria/mandatos/nuevo/", {
        "party": coll_holder.pk, "reference": "MAND-2026-1", "iban": "ES79 2100 0813 6101 2345 6789",
        "signature_date": "2026-01-15", "scheme": "CORE", "kind": "recurrent"})
    mandate = Mandate.objects.get(reference="MAND-2026-1")
    assert created.status_code == 302 and created["Location"] == f"/tesoreria/mandatos/{mandate.pk}/"
    refused = cobros.post("/tesoreria/mandatos/nuevo/", {
        "party": coll_holder.pk, "reference": "MAND-2026-1", "iban": "ES7921000813610123456789",
        "signature_date": "2026-01-15", "scheme": "CORE", "kind": "recurrent"})
    assert refused.status_code == 400
    assert "Ya existe un mandato con la referencia MAND-2026-1." in refused.content.decode()
    detail = cobros.get(f"/tesoreria/mandatos/{mandate.pk}/").content.decode()
    assert 'id="mandate-sequence">FRST' in detail and 'id="amend-form"' in detail
    mandate_register_use(actor=admin_a, mandate=mandate, on_date=datetime.date(2026, 2, 5))
    assert 'id="mandate-sequence">RCUR' in cobros.get(f"/tesoreria/mandatos/{mandate.pk}/").content.decode()
    amended = cobros.post(f"/tesoreria/mandatos/{mandate.pk}/modificar/", {"iban": OTHER_IBAN})
    assert amended.status_code == 302
    assert 'id="mandate-sequence">FRST' in cobros.get(f"/tesoreria/mandatos/{mandate.pk}/").content.decode()
    old = mandate_for(coll_holder, reference="VIEJO-1", signature_date=datetime.date(2022, 5, 1))
    expired = cobros.get("/tesoreria/mandatos/?expired=true").content.decode()
    assert "VIEJO-1" in expired and "MAND-2026-1" not in expired
    assert "MAND-2026-1" in cobros.get(f"/tesoreria/mandatos/?party={coll_holder.pk}&state=active").content.decode()
    assert cobros.post(f"/tesoreria/mandatos/{old.pk}/revocar/", {}).status_code == 302
    again = cobros.post(f"/tesoreria/mandatos/{old.pk}/revocar/", {})
    assert again.status_code == 409 and "está revocado" in again.content.decode()
    panel = cobros.get(f"/r/crm/party/{coll_holder.pk}/").content.decode()
    assert 'id="party-mandates"' in panel and "MAND-2026-1" in panel and "VIEJO-1" in panel
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    for url in ("/tesoreria/cuentas/", "/tesoreria/mandatos/", f"/tesoreria/mandatos/{mandate.pk}/"):
        assert comercial.get(url).status_code == 403, url
    assert comercial.post(f"/tesoreria/mandatos/{mandate.pk}/revocar/", {}).status_code == 403
    assert 'id="party-mandates"' not in comercial.get(f"/r/crm/party/{coll_holder.pk}/").content.decode()


def _api(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_bank_accounts_and_mandates(tenants, bank_account, coll_holder):
    api = _api(tenants, "cobros")
    listed = api.get("/api/v1/treasury/bank-accounts/").json()
    assert listed["results"][0]["creditor_id"] == "ES11000B12345674"
    bad = _post(api, "/api/v1/treasury/bank-accounts/",
                {"name": "X", "iban": "ES00", "account": bank_account.account_id})
    assert bad.status_code == 400 and "IBAN" in bad.content.decode()
    created = _post(api, "/api/v1/treasury/mandates/", {"party": coll_holder.pk, "iban": "ES7921000813610123456789",
                                                        "signature_date": "2026-01-15"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sequence_type"] == "FRST" and body["reference"].startswith("AIT-") and body["scheme"] == "CORE"
    amended = _post(api, f"/api/v1/treasury/mandates/{body['id']}/amend/",
                    {"iban": OTHER_IBAN, "on_date": "2026-03-01"})
    assert amended.status_code == 200 and amended.json()["previous_iban"] == "ES7921000813610123456789"
    revoked = _post(api, f"/api/v1/treasury/mandates/{body['id']}/revoke/", {"on_date": "2026-04-01"})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = _post(api, f"/api/v1/treasury/mandates/{body['id']}/revoke/", {})
    assert again.status_code == 409 and again["Content-Type"].startswith("application/problem+json")
    comercial = _api(tenants, "comercial")
    assert comercial.get("/api/v1/treasury/mandates/").status_code == 403
    assert comercial.get("/api/v1/treasury/bank-accounts/").status_code == 403


def test_mandate_list_queries_do_not_grow_with_rows(tenants, users_a, coll_holder, mandate_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cobros = host_client(tenants.alfa_host, users_a["cobros"])
    mandate_for(coll_holder, reference="M-1")
    cobros.get("/tesoreria/mandatos/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one:
        assert cobros.get("/tesoreria/mandatos/").status_code == 200
    for n in range(2, 6):
        mandate_for(coll_holder, reference=f"M-{n}")
    with CaptureQueriesContext(connection) as five:
        html = cobros.get("/tesoreria/mandatos/").content.decode()
    assert "M-5" in html and len(five) == len(one)


def test_admin_lists_and_revoke_action(client_a, bank_account, coll_holder, mandate_for):
    mandate = mandate_for(coll_holder, reference="ADM-1")
    assert "CaixaBank cobros" in client_a.get("/admin/treasury/bankaccount/").content.decode()
    assert "ADM-1" in client_a.get("/admin/treasury/mandate/").content.decode()
    response = client_a.post("/admin/treasury/mandate/", {"action": "revoke", "_selected_action": [mandate.pk]})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.state == "revoked"
