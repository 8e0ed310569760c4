"""Dunning of a returned debit (issue 7 item 4, task K3): the client's e-mail, the manager's note, the
cover sentence on the result, and the pages/API/admin doors of cancel and retry.

Numbers: coll_holder (Marta Ortega Ruiz, account manager «comercial») has a monthly policy of 12.000 €
a year: the January receipt is 1.000,00 €, charged on 05/01/2026 and returned on 12/01/2026.
"""
import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.collections.selectors_receipts import receipts_for_policy
from apps.core.errors import DomainError
from apps.crm.models import ContactPoint
from apps.notifications.models import Notification
from apps.treasury.choices import RemittanceState
from apps.treasury.models import Remittance, RemittanceItem
from apps.treasury.services.remittances import remittance_charge, remittance_create, remittance_generate
from apps.treasury.services.returns import return_record

D = Decimal
d = datetime.date
EMAIL = "marta.ortega@example.com"
API = "/api/v1/treasury/remittances/"


@pytest.fixture
def january(issued_policy, coll_holder, mandate_for):
    mandate_for(coll_holder)
    return receipts_for_policy(issued_policy(net=D("12000.00"))).order_by("due_date").first()


@pytest.fixture
def with_email(coll_holder):
    ContactPoint.objects.create(party=coll_holder, kind="email", value=EMAIL, normalized=EMAIL, is_primary=True)
    return coll_holder


def _remittance(admin_a, bank_account, receipts, *, charge=True, when=d(2026, 1, 5)):
    remittance = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=when, receipts=receipts)
    remittance_generate(actor=admin_a, remittance=remittance)
    if charge:
        remittance_charge(actor=admin_a, remittance=remittance)
    return Remittance.objects.get(pk=remittance.pk)


def test_the_client_is_emailed_with_receipt_amount_reason_and_next_step(january, with_email, bank_account, admin_a,
                                                                       users_a, django_capture_on_commit_callbacks):
    item = _remittance(admin_a, bank_account, [january]).items.get()
    pending = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 2, 5),
                                receipts=[receipts_for_policy(january.policy).order_by("due_date")[1]])
    with django_capture_on_commit_callbacks(execute=True):
        result = return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04")

    assert result.client_email == EMAIL and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.from_email, message.reply_to) == (
        [EMAIL], settings.DEFAULT_FROM_EMAIL, [users_a["comercial"].email])
    assert january.number in message.subject
    body = message.body
    assert january.number in body and january.policy.number in body and "1.000,00 €" in body
    assert "Saldo insuficiente (AM04)" in body
    assert "próxima remesa, con cargo previsto el 05/02/2026" in body and pending.collection_date == d(2026, 2, 5)
    assert result.cover in body and result.cover.startswith("Sin cobertura: la primera prima")
    notice = Notification.objects.get(recipient=users_a["comercial"])
    assert f"Aviso enviado al cliente a {EMAIL}" in notice.body


def test_a_return_that_needs_the_mandate_tells_the_client_to_contact_us(january, with_email, bank_account, admin_a,
                                                                        django_capture_on_commit_callbacks):
    item = _remittance(admin_a, bank_account, [january]).items.get()
    with django_capture_on_commit_callbacks(execute=True):
        return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AC04")
    body = mail.outbox[0].body
    assert "Cuenta cancelada (AC04)" in body and "póngase en contacto con nosotros para actualizar" in body
    assert "próxima remesa" not in body


def test_no_email_no_message_and_the_manager_is_told(january, bank_account, admin_a, users_a,
                                                     django_capture_on_commit_callbacks):
    item = _remittance(admin_a, bank_account, [january]).items.get()
    with django_capture_on_commit_callbacks(execute=True):
        result = return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04")
    assert result.client_email == "" and mail.outbox == []
    assert "sin e-mail del cliente" in Notification.objects.get(recipient=users_a["comercial"]).body
    event = AuditEvent.objects.filter(verb="remittance_item_return").latest("id")
    assert event.changes["aviso al cliente"] == [None, None]


def test_a_refused_return_writes_nothing_and_sends_nothing(january, with_email, bank_account, admin_a,
                                                           django_capture_on_commit_callbacks):
    item = _remittance(admin_a, bank_account, [january]).items.get()
    before = (AuditEvent.objects.count(), Notification.objects.count())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="ZZ99")
    assert refused.value.code == "treasury_return_code" and mail.outbox == []
    assert RemittanceItem.objects.get(pk=item.pk).state == "included"
    assert (AuditEvent.objects.count(), Notification.objects.count()) == before


# ---- pages, API, admin ---------------------------------------------------------------------------

def test_pages_cancel_show_retries_and_the_return_result(january, with_email, bank_account, tenants, users_a,
                                                         admin_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    draft = _remittance(admin_a, bank_account, [january], charge=False)
    detail = reverse("treasury:remittance-detail", args=[draft.pk])
    assert 'id="remittance-cancel-form"' in client.get(detail).content.decode()
    url = reverse("treasury:remittance-cancel", args=[draft.pk])
    unconfirmed = client.post(url, {"reason": "Error de fechas"}, follow=True)
    assert "Marque la casilla de confirmación" in unconfirmed.content.decode()
    assert Remittance.objects.get(pk=draft.pk).state == RemittanceState.GENERATED
    done = client.post(url, {"reason": "Error de fechas", "confirm": "on"}, follow=True)
    body = done.content.decode()
    assert "anulada" in body and "Error de fechas" in body   # message and the activity card
    assert Remittance.objects.get(pk=draft.pk).state == RemittanceState.CANCELLED
    assert 'id="remittance-cancel-form"' not in body and 'id="remittance-xml-link"' not in body

    item = _remittance(admin_a, bank_account, [january]).items.get()
    page = client.post(reverse("treasury:return-record", args=[item.pk]),
                       {"date": "2026-01-12", "code": "AM04", "fee": "0"}, follow=True).content.decode()
    assert f"Aviso enviado al cliente a {EMAIL}" in page and "Sin cobertura: la primera prima" in page
    params = {"bank_account": bank_account.pk, "due_from": "2026-02-01", "due_to": "2026-02-28",
              "collection_date": "2026-02-05"}
    new = client.get(reverse("treasury:remittance-new"), params).content.decode()
    assert january.number in new and "Reintento" in new and "2.000,00" in new
    assert host_client(tenants.alfa_host, users_a["comercial"]).post(url, {"reason": "x", "confirm": "on"}
                                                                     ).status_code == 403


def test_api_cancel_and_candidates_with_retry(january, bank_account, tenants, api_token_a, admin_a):
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    draft = _remittance(admin_a, bank_account, [january], charge=False)
    blank = api.post(f"{API}{draft.pk}/cancel/", {"reason": ""}, content_type="application/json")
    assert blank.status_code == 400 and blank.json()["code"] == "treasury_reason_required"
    done = api.post(f"{API}{draft.pk}/cancel/", {"reason": "Duplicada"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "cancelled"

    charged = _remittance(admin_a, bank_account, [january])
    refused = api.post(f"{API}{charged.pk}/cancel/", {"reason": "Error"}, content_type="application/json")
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "treasury_remittance_charged"
    assert Remittance.objects.get(pk=charged.pk).state == RemittanceState.CHARGED
    return_record(actor=admin_a, item=charged.items.get(), date=d(2026, 1, 12), code="MS02")
    rows = api.get(f"{API}candidates/", {"due_from": "2026-02-01", "due_to": "2026-02-28"}).json()
    assert [(row["receipt"], row["retry"], row["ok"]) for row in rows][0] == (january.pk, True, True)


def test_admin_action_cancels_a_generated_remittance_only(january, bank_account, client_a, admin_a):
    generated = _remittance(admin_a, bank_account, [january], charge=False)
    client_a.post("/admin/treasury/remittance/", {"action": "cancel", "_selected_action": [generated.pk]})
    assert Remittance.objects.get(pk=generated.pk).state == RemittanceState.CANCELLED
    charged = _remittance(admin_a, bank_account, [january])
    client_a.post("/admin/treasury/remittance/", {"action": "cancel", "_selected_action": [charged.pk]})
    assert Remittance.objects.get(pk=charged.pk).state == RemittanceState.CHARGED


def test_demo_returns_do_not_email_the_client(january, with_email, bank_account, admin_a, users_a,
                                              django_capture_on_commit_callbacks):
    item = _remittance(admin_a, bank_account, [january]).items.get()
    with django_capture_on_commit_callbacks(execute=True):
        result = return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04", notify_client=False)
    assert (result.client_email, mail.outbox) == ("", [])
    body = Notification.objects.get(recipient=users_a["comercial"]).body
    assert "e-mail" not in body and body.endswith("Puede presentarse de nuevo en la próxima remesa.")
