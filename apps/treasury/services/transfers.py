"""SEPA credit-transfer files (pain.001.001.03) the brokerage sends to pay insurer settlements, claim
payments and supplier invoices (issue 7 item 7): the file builder and its XSD check. Stored orders with
their items and payment entries: transfer_orders.py; what can be paid: transfer_sources.py."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.treasury.errors import TreasuryError
from apps.treasury.services import sepa_xml
from apps.treasury.services.accounts import bic_clean, iban_clean


@dataclass(frozen=True)
class Payment:
    name: str
    iban: str
    amount: Decimal
    reference: str
    description: str
    bic: str = ""


def _primary_account(party):
    if party is None:
        return None
    accounts = sorted(party.bank_accounts.all(), key=lambda a: (not a.is_primary, a.pk))
    return accounts[0] if accounts else None


def payments_for_settlements(settlements) -> list[Payment]:
    """One payment per settlement the brokerage owes (amount_due > 0), to the insurer's main account.
    Settlements the insurer pays (amount_due <= 0) are left out; an insurer without an IBAN refuses."""
    payments, missing = [], []
    for settlement in settlements:
        if settlement.amount_due <= 0:
            continue
        party = settlement.insurer.party
        account = _primary_account(party)
        if account is None:
            missing.append(str(party or settlement.insurer))
            continue
        payments.append(Payment(name=str(party), iban=account.iban, bic=account.bic, amount=settlement.amount_due,
                                reference=settlement.number[:35],
                                description=_("Liquidación %s") % settlement.number))
    if missing:
        raise TreasuryError(_("Sin cuenta bancaria para transferir: %s.") % ", ".join(missing),
                            code="treasury_transfer_no_iban", field="settlements")
    return payments


def _check(payments: list[Payment]) -> None:
    if not payments:
        raise TreasuryError(_("No hay pagos que transferir."), code="treasury_transfer_empty", field="payments")
    for payment in payments:
        iban_clean(payment.iban, field="payments")
        bic_clean(payment.bic, field="payments")
        if not isinstance(payment.amount, Decimal) or payment.amount <= 0:
            raise TreasuryError(_("El pago %s debe tener un importe positivo.") % payment.reference,
                                code="treasury_transfer_amount", field="payments")


def transfer_xml(*, bank_account, payments: list[Payment], execution_date: datetime.date) -> tuple[str, str]:
    """(the pain.001.001.03 ordering `payments` from `bank_account`, its message id), validated against
    the XSD: TreasuryError before anything can be saved when it does not validate."""
    payments = list(payments)
    _check(payments)
    transfer = SepaTransfer({"name": sepa_xml.creditor_name(), "IBAN": bank_account.iban, "BIC": bank_account.bic,
                             "batch": True, "currency": "EUR"}, schema=sepa_xml.CT_SCHEMA, clean=True)
    for payment in payments:
        row = {"name": payment.name, "IBAN": iban_clean(payment.iban), "amount": sepa_xml.cents(payment.amount),
               "execution_date": execution_date, "description": payment.description,
               "endtoend_id": payment.reference}
        if payment.bic:
            row["BIC"] = bic_clean(payment.bic)
        transfer.add_payment(row)
    xml = sepa_xml.as_text(transfer.export(validate=False))
    sepa_xml.xml_validate(xml, sepa_xml.CT_SCHEMA)
    return xml, sepa_xml.message_id(xml)


@transaction.atomic
def transfer_file(*, actor, bank_account, payments: list[Payment],
                  execution_date: datetime.date | None = None) -> str:
    """The pain.001.001.03 ordering `payments` from `bank_account`, validated against its XSD, without
    storing an order (transfer_orders.transfer_order_create stores one)."""
    payments = list(payments)
    execution_date = execution_date or timezone.localdate()
    xml, _message_id = transfer_xml(bank_account=bank_account, payments=payments, execution_date=execution_date)
    total = sum((p.amount for p in payments), Decimal("0.00"))
    audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.ACTION,
                       verb="transfer_file", obj=bank_account, changes={
                           "pagos": [None, len(payments)], "importe": [None, str(total)],
                           "ejecución": [None, execution_date.isoformat()],
                           "referencias": [None, [p.reference for p in payments]]})
    publish("treasury.transfer_file.generated", bank_account=bank_account.pk, count=len(payments), total=str(total))
    return xml
