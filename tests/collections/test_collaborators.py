"""Collaborators: the service (codes, parties, shares refused past 100 % with nothing written,
remove), the pages (list, create with the party picker, edit with its version, the page with shares
and the commission ledger), a 25 % share following a collection and its return (net zero), and the
API (create, share refused with a 409 problem body)."""
import datetime
from decimal import Decimal

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare, Receipt
from apps.collections.services.collaborators import (
    CollaboratorError, collaborator_create, collaborator_update, share_remove, share_set,
)
from apps.collections.services.receipts import receipt_collect, receipt_return
from apps.crm.services.parties import party_create
from apps.insurance.choices import PaymentFrequency

D = Decimal
date = datetime.date
PAGES = "/recibos/colaboradores/"
API = "/api/v1/collections/collaborators/"


@pytest.fixture
def people(tenant_a):
    def person(first, last, tax_id):
        return party_create(actor=None, data={"kind": "person", "first_name": first, "last_name": last,
                                              "tax_id": tax_id})

    return {"ana": person("Ana", "Vidal", "33333333P"), "luis": person("Luis", "Mora", "44444444A")}


@pytest.fixture
def collaborators(people, admin_a):
    ana = collaborator_create(actor=admin_a, data={"party": people["ana"], "kind": "auxiliary", "code": "aux-1",
                                                   "default_share_pct": D("25"), "withholding_pct": D("15")})
    luis = collaborator_create(actor=admin_a, data={"party": people["luis"], "kind": "co_broker", "code": "COB-1"})
    return {"ana": ana, "luis": luis}


def test_service_codes_parties_and_shares(collaborators, issued_policy, people, admin_a):
    ana, luis = collaborators["ana"], collaborators["luis"]
    assert ana.code == "AUX-1" and AuditEvent.objects.filter(object_id=str(ana.pk), action="create").exists()
    with pytest.raises(CollaboratorError) as taken:
        collaborator_create(actor=admin_a, data={"party": people["luis"], "kind": "referrer", "code": "Aux-1"})
    assert taken.value.code == "collaborator_code_taken" and taken.value.field == "code"
    with pytest.raises(CollaboratorError, match="ya es colaborador"):
        collaborator_update(actor=admin_a, collaborator=luis, data={"party": people["ana"]})
    policy = issued_policy()
    share_set(actor=admin_a, policy=policy, collaborator=ana, pct=D("60"))
    with pytest.raises(CollaboratorError) as too_much:
        share_set(actor=admin_a, policy=policy, collaborator=luis, pct=D("50"))
    assert too_much.value.status == 409 and too_much.value.code == "share_total_exceeded"
    assert "sumarían 110.00 %" in too_much.value.message
    assert list(CommissionShare.objects.values_list("collaborator__code", "share_pct")) == [("AUX-1", D("60.00"))]
    share_set(actor=admin_a, policy=policy, collaborator=ana, pct=D("25"))  # changes her share
    share_set(actor=admin_a, policy=policy, collaborator=luis, pct=D("75"))  # exactly 100 % is fine
    assert sorted(CommissionShare.objects.values_list("share_pct", flat=True)) == [D("25.00"), D("75.00")]
    with pytest.raises(CollaboratorError, match="mayor que 0"):
        share_set(actor=admin_a, policy=policy, collaborator=luis, pct=D("0"))
    share_remove(actor=admin_a, policy=policy, collaborator=luis)
    assert CommissionShare.objects.count() == 1
    with pytest.raises(CollaboratorError) as missing:
        share_remove(actor=admin_a, policy=policy, collaborator=luis)
    assert missing.value.code == "share_not_found"
    assert AuditEvent.objects.filter(verb__in=["share_set", "share_remove"], object_id=str(policy.pk)).count() == 4


def test_a_25_percent_share_follows_collection_and_return(collaborators, issued_policy, admin_a):
    policy = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL)
    share_set(actor=admin_a, policy=policy, collaborator=collaborators["ana"], pct=D("25"))
    receipt = Receipt.objects.get(policy=policy)
    receipt_collect(actor=admin_a, receipt=receipt, date=date(2026, 1, 10), channel="transfer")
    ana_rows = CommissionMovement.objects.filter(collaborator=collaborators["ana"])
    assert [row.amount for row in ana_rows] == [D("50.00")]  # 25 % of 200 €
    receipt_return(actor=admin_a, receipt=receipt, date=date(2026, 1, 20), reason="AM04")
    assert sum(row.amount for row in ana_rows.all()) == D("0.00")


def test_pages_list_create_edit_and_detail(client_a, collaborators, people, issued_policy, admin_a):
    html = client_a.get(PAGES).content.decode()
    assert "AUX-1" in html and "COB-1" in html and "Auxiliar externo" in html
    assert "AUX-1" in client_a.get(PAGES + "?kind=auxiliary").content.decode()
    assert "COB-1" not in client_a.get(PAGES + "?kind=auxiliary").content.decode()
    assert "COB-1" in client_a.get(PAGES + "?q=Mora").content.decode()
    export = b"".join(client_a.get(PAGES + "?export=csv").streaming_content).decode("utf-8-sig")
    assert "AUX-1" in export and "25,00" in export
    options = client_a.get(PAGES + "terceros/?q=Vidal").content.decode()
    assert f'value="{people["ana"].pk}"' in options
    form = client_a.get(PAGES + "nuevo/").content.decode()
    assert 'id="collaborator-form"' in form and 'id="party-search"' in form
    new_party = party_create(actor=None, data={"kind": "person", "first_name": "Eva", "last_name": "Gil",
                                               "tax_id": "55555555K"})
    data = {"party": new_party.pk, "kind": "referrer", "code": "ref-9", "default_share_pct": "10",
            "withholding_pct": "15", "iban": "es91 2100 0418 4502 0005 1332", "is_active": "on"}
    duplicate = client_a.post(PAGES + "nuevo/", {**data, "code": "AUX-1"})
    assert duplicate.status_code == 400 and "Ya existe un colaborador con el código AUX-1." in duplicate.content.decode()
    created = client_a.post(PAGES + "nuevo/", data)
    eva = Collaborator.objects.get(code="REF-9")
    assert created.status_code == 302 and created["Location"] == f"{PAGES}{eva.pk}/"
    assert eva.iban == "ES9121000418450200051332" and eva.kind == "referrer"
    edit_url = f"{PAGES}{eva.pk}/editar/"
    assert 'value="REF-9"' in client_a.get(edit_url).content.decode()
    edited = client_a.post(edit_url, {**data, "code": "REF-9", "default_share_pct": "12", "version": eva.version})
    assert edited.status_code == 302 and Collaborator.objects.get(pk=eva.pk).default_share_pct == D("12.00")
    stale = client_a.post(edit_url, {**data, "code": "REF-9", "version": 1})
    assert stale.status_code == 409 and "Recargue la página" in stale.content.decode()
    policy = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL)
    share_set(actor=admin_a, policy=policy, collaborator=collaborators["ana"], pct=D("25"))
    receipt_collect(actor=admin_a, receipt=Receipt.objects.get(policy=policy), date=date(2026, 1, 10),
                    channel="transfer")
    page = client_a.get(f"{PAGES}{collaborators['ana'].pk}/").content.decode()
    for text in ("AUX-1", "Ana Vidal", policy.number, "25,00 %", "Devengo", "CV-0001/001",
                 'id="ledger-total">50,00 €', 'id="ledger-unsettled">50,00 €', 'id="edit-link"'):
        assert text in page, text


def test_comercial_sees_collaborators_but_not_other_clients_rows(tenants, users_a, collaborators, issued_policy,
                                                                 admin_a):
    from tests.conftest import host_client

    stranger = party_create(actor=None, data={"kind": "person", "first_name": "Raúl", "last_name": "Soto",
                                              "tax_id": "66666666Q"})
    policy = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL, holder=stranger, number="ST-1")
    share_set(actor=admin_a, policy=policy, collaborator=collaborators["ana"], pct=D("25"))
    receipt_collect(actor=admin_a, receipt=Receipt.objects.get(policy=policy), date=date(2026, 1, 10),
                    channel="transfer")
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    page = comercial.get(f"{PAGES}{collaborators['ana'].pk}/")
    assert page.status_code == 200 and 'id="ledger-total">0,00 €' in page.content.decode()
    assert 'id="edit-link"' not in page.content.decode()
    assert comercial.post(PAGES + "nuevo/", {"code": "X"}).status_code == 403


def test_api_create_update_and_share(tenants, api_token_a, collaborators, people, issued_policy):
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    eva = party_create(actor=None, data={"kind": "person", "first_name": "Eva", "last_name": "Gil",
                                         "tax_id": "55555555K"})
    created = api.post(API, {"party": eva.pk, "kind": "referrer", "code": "ref-1"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "REF-1" and created.json()["party_name"] == "Eva Gil"
    duplicate = api.post(API, {"party": eva.pk, "kind": "referrer", "code": "REF-2"}, content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "collaborator_party_taken"
    pk = created.json()["id"]
    patched = api.patch(f"{API}{pk}/", {"withholding_pct": "15.00", "version": 1}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["withholding_pct"] == "15.00"
    policy = issued_policy()
    ok = api.post(f"{API}{pk}/share/", {"policy": policy.pk, "share_pct": "80"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["share_pct"] == "80.00"
    refused = api.post(f"{API}{collaborators['ana'].pk}/share/", {"policy": policy.pk, "share_pct": "25"},
                       content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "share_total_exceeded"
    assert CommissionShare.objects.count() == 1
    assert [s["share_pct"] for s in api.get(f"{API}{pk}/").json()["shares"]] == ["80.00"]
    removed = api.post(f"{API}{pk}/unshare/", {"policy": policy.pk}, content_type="application/json")
    assert removed.status_code == 204 and not CommissionShare.objects.exists()
    assert [row["code"] for row in api.get(API + "?kind=auxiliary").json()["results"]] == ["AUX-1"]
