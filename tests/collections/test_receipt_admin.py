"""Admin: every collections model of this area loads (changelist and change view); the ledgers
(ReceiptMovement, CommissionMovement) refuse add, change and delete; receipts are never added or
deleted here and the «cancel» action calls the service (refusals reported, nothing written)."""
import datetime
from decimal import Decimal

from apps.audit.models import AuditEvent
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare, Receipt, ReceiptMovement
from apps.collections.services.collaborators import collaborator_create, share_set
from apps.collections.services.receipts import receipt_collect
from apps.crm.services.parties import party_create
from apps.insurance.choices import PaymentFrequency

ADMIN = "/admin/collections/"


def test_admin_pages_load_and_ledgers_refuse_changes(client_a, issued_policy, admin_a):
    policy = issued_policy(net=Decimal("1000.00"), frequency=PaymentFrequency.ANNUAL)
    receipt = Receipt.objects.get(policy=policy)
    party = party_create(actor=None, data={"kind": "person", "first_name": "Ana", "last_name": "Vidal",
                                           "tax_id": "33333333P"})
    ana = collaborator_create(actor=admin_a, data={"party": party, "kind": "auxiliary", "code": "AUX-1"})
    share = share_set(actor=admin_a, policy=policy, collaborator=ana, pct=Decimal("25"))
    receipt_collect(actor=admin_a, receipt=receipt, date=datetime.date(2026, 1, 10), channel="transfer")
    movement, commission = ReceiptMovement.objects.get(), CommissionMovement.objects.first()
    for model, pk in (("receipt", receipt.pk), ("receiptmovement", movement.pk),
                      ("commissionmovement", commission.pk), ("collaborator", ana.pk),
                      ("commissionshare", share.pk)):
        listing = client_a.get(f"{ADMIN}{model}/")
        assert listing.status_code == 200, model
        assert client_a.get(f"{ADMIN}{model}/{pk}/change/").status_code == 200, model
    assert "CV-0001/001" in client_a.get(f"{ADMIN}receipt/?q=CV-0001").content.decode()
    for model, pk in (("receiptmovement", movement.pk), ("commissionmovement", commission.pk)):
        assert client_a.get(f"{ADMIN}{model}/add/").status_code == 403
        assert client_a.post(f"{ADMIN}{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
        assert client_a.post(f"{ADMIN}{model}/{pk}/change/", {"amount": "1"}).status_code == 403
    assert client_a.get(f"{ADMIN}receipt/add/").status_code == 403
    assert client_a.post(f"{ADMIN}receipt/{receipt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReceiptMovement.objects.count() == 1 and CommissionMovement.objects.get(pk=commission.pk).amount == (
        commission.amount)
    client_a.post(f"{ADMIN}commissionshare/", {"action": "remove_shares", "_selected_action": [share.pk]})
    assert not CommissionShare.objects.exists()


def test_admin_cancel_action_calls_the_service(client_a, issued_policy, admin_a):
    policy = issued_policy(frequency=PaymentFrequency.QUARTERLY)
    first, second = Receipt.objects.filter(policy=policy).order_by("sequence")[:2]
    receipt_collect(actor=admin_a, receipt=first, date=datetime.date(2026, 1, 10), channel="transfer")
    response = client_a.post(f"{ADMIN}receipt/", {"action": "cancel_receipts",
                                                  "_selected_action": [first.pk, second.pk]}, follow=True)
    html = response.content.decode()
    assert "registre antes su devolución" in html and f"Recibo {second.number} anulado." in html
    assert Receipt.objects.get(pk=first.pk).state == "collected"
    assert Receipt.objects.get(pk=second.pk).state == "cancelled"


def test_admin_saves_a_collaborator_through_the_service(client_a):
    party = party_create(actor=None, data={"kind": "person", "first_name": "Eva", "last_name": "Gil",
                                           "tax_id": "55555555K"})
    response = client_a.post(f"{ADMIN}collaborator/add/", {
        "party": party.pk, "kind": "referrer", "code": "ref-3", "default_share_pct": "10", "withholding_pct": "0",
        "dgsfp_code": "", "iban": "", "is_active": "on", "notes": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    eva = Collaborator.objects.get(code="REF-3")
    assert AuditEvent.objects.filter(object_id=str(eva.pk), action="create").exists()
