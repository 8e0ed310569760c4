"""Returned SEPA debits (devoluciones): a remittance item comes back with its reason code.

The receipt goes back to RETURNED through apps.collections (its commission reversed and only its
part of the remittance's combined entry undone), the bank's return fee is posted, and the policy's
account manager and the client (by e-mail, services/dunning.py) are told so dunning starts. Whether the
debit may simply go in the next remittance depends on the reason code: it is kept on the item
(may_retry), which the candidates of the next remittance read (services/retries.py). The result
carries the policy's cover sentence (art. 15 LCS) now that the receipt is unpaid.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounting.services import entry_post, mapped_account
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.services.cover import cover_state
from apps.collections.services.receipts import receipt_return
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.core.money import format_eur
from apps.notifications.services.notifications import notification_send
from apps.treasury.choices import RemittanceItemState
from apps.treasury.models import RemittanceItem
from apps.treasury.services.dunning import client_notify_return, next_collection_date

JOURNAL = "COB"

# ISO 20022 / EPC reason codes of an R-transaction, in Spanish.
REASON_LABELS = {
    "AC01": gettext_lazy("Número de cuenta incorrecto"),
    "AC04": gettext_lazy("Cuenta cancelada"),
    "AC06": gettext_lazy("Cuenta bloqueada"),
    "AG01": gettext_lazy("Operación no permitida en esta cuenta"),
    "AM04": gettext_lazy("Saldo insuficiente"),
    "AM05": gettext_lazy("Operación duplicada"),
    "BE05": gettext_lazy("Identificador del acreedor incorrecto"),
    "FF01": gettext_lazy("Formato de fichero no válido"),
    "MD01": gettext_lazy("Sin mandato"),
    "MD06": gettext_lazy("Devolución solicitada por el deudor"),
    "MD07": gettext_lazy("Deudor fallecido"),
    "MS02": gettext_lazy("Motivo no especificado, a petición del deudor"),
    "MS03": gettext_lazy("Motivo no especificado, por la entidad"),
    "RC01": gettext_lazy("BIC incorrecto"),
    "RR01": gettext_lazy("Falta la identificación del deudor (normativa)"),
    "RR02": gettext_lazy("Falta el nombre o la dirección del deudor (normativa)"),
    "RR03": gettext_lazy("Falta el nombre o la dirección del acreedor (normativa)"),
    "RR04": gettext_lazy("Motivos regulatorios"),
    "SL01": gettext_lazy("Servicio específico de la entidad del deudor"),
}
# Codes after which the same debit may simply be presented again; the others need the mandate looked at.
RETRY_CODES = frozenset({"AM04", "MS02", "MS03"})
NO_RETRY_CODES = frozenset({"AC04", "MD01", "MD06"})


class ReturnError(DomainError):
    code = "treasury_return"


@dataclass(frozen=True)
class ReturnResult:
    item: RemittanceItem
    receipt: object
    code: str
    label: str
    may_retry: bool
    fee_entry: object | None
    notification: object | None
    client_email: str = ""     # where the client's notice went; "" when the client has no e-mail
    cover: str = ""            # the policy's cover sentence (art. 15 LCS) after the return


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, _("Motivo %s") % code))


def may_retry(code: str) -> bool:
    """AM04, MS02, MS03 go in the next remittance; the rest (AC04, MD01, MD06...) need the mandate checked."""
    return code in RETRY_CODES


def _fee(value) -> Decimal:
    if isinstance(value, float):
        raise ReturnError(_("Indique la comisión con dos decimales."), code="treasury_return_fee", field="fee")
    try:
        fee = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, TypeError, ValueError):
        raise ReturnError(_("Indique la comisión con dos decimales."), code="treasury_return_fee",
                          field="fee") from None
    if not fee.is_finite() or fee < 0 or fee != fee.quantize(Decimal("0.01")):
        raise ReturnError(_("La comisión de devolución debe ser un importe positivo con dos decimales."),
                          code="treasury_return_fee", field="fee")
    return fee.quantize(Decimal("0.01"))


def check_return(*, item: RemittanceItem, code: str) -> str:
    """The refusals that do not need a write: the code and the item's state. Returns the code."""
    code = (code or "").strip().upper()
    if code not in REASON_LABELS:
        raise ReturnError(_("Motivo de devolución SEPA desconocido: «%s».") % code, code="treasury_return_code",
                          field="code")
    if item.state == RemittanceItemState.RETURNED:
        raise ReturnError(_("El adeudo %s ya está devuelto.") % item.end_to_end_id, code="treasury_item_returned",
                          status=409)
    return code


def _post_fee(*, actor, item: RemittanceItem, fee: Decimal, date: datetime.date, code: str):
    description = _("Comisión por devolución del adeudo %(e2e)s (%(code)s)") % {"e2e": item.end_to_end_id,
                                                                               "code": code}
    lines = [{"account": mapped_account("bank_fees"), "debit": fee, "description": description},
             {"account": item.remittance.bank_account.account, "credit": fee, "description": description}]
    return entry_post(actor=actor, date=date, journal=JOURNAL, lines=lines, description=description,
                      source=f"remittance_item:{item.pk}")


def _notify(*, item: RemittanceItem, receipt, code: str, label: str, retry: bool, client_email: str | None):
    manager = getattr(receipt.policyholder, "account_manager", None)
    if manager is None:
        return None
    advice = (_("Puede presentarse de nuevo en la próxima remesa.") if retry
              else _("No se volverá a presentar: revise el mandato con el cliente."))
    told = ""   # None: the client was not to be told (demo data)
    if client_email:
        told = _("Aviso enviado al cliente a %s.") % client_email
    elif client_email is not None:
        told = _("No se ha avisado al cliente: sin e-mail del cliente.")
    body = _("Recibo %(number)s de %(holder)s, %(amount)s, devuelto (%(code)s · %(label)s). %(advice)s "
             "%(told)s") % {"number": receipt.number, "holder": receipt.policyholder,
                            "amount": format_eur(item.amount), "code": code, "label": label, "advice": advice,
                            "told": told}
    body = body.rstrip()
    url = reverse("collections:receipt-detail", args=[receipt.pk])
    return notification_send(recipient=manager, title=_("Recibo devuelto: %s") % receipt.number, body=body,
                              url=url, kind="receipt_return")


@transaction.atomic
def return_record(*, actor, item: RemittanceItem, date: datetime.date, code: str,
                  fee: Decimal = Decimal("0"), notify_client: bool = True) -> ReturnResult:
    """Registers the return of `item` on `date` with SEPA reason `code` and the bank's `fee`.
    `notify_client=False` (demo data, historical imports) records it without e-mailing the client."""
    item = (RemittanceItem.objects.select_for_update(of=("self",))
            .select_related("remittance__bank_account__account", "receipt__policyholder__account_manager")
            .get(pk=getattr(item, "pk", item)))
    code = check_return(item=item, code=code)
    fee = _fee(fee)
    label = reason_label(code)
    receipt = receipt_return(actor=actor, receipt=item.receipt, date=date, reason=f"{code} · {label}",
                             bank=item.remittance.bank_account.account)
    fee_entry = _post_fee(actor=actor, item=item, fee=fee, date=date, code=code) if fee else None
    retry = may_retry(code)
    item.state, item.returned_on, item.return_code, item.may_retry = RemittanceItemState.RETURNED, date, code, retry
    item.save(update_fields=["state", "returned_on", "return_code", "may_retry"])
    cover = cover_state(policy=receipt.policy).message
    email = ""
    if notify_client:
        next_date = next_collection_date(bank_account=item.remittance.bank_account, after=date) if retry else None
        email = client_notify_return(receipt=receipt, amount=item.amount, code=code, label=label, retry=retry,
                                     cover=cover, next_date=next_date)
    notification = _notify(item=item, receipt=receipt, code=code, label=label, retry=retry,
                           client_email=email if notify_client else None)
    audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.ACTION,
                       verb="remittance_item_return", obj=item.remittance, changes={
                           "adeudo": [None, item.end_to_end_id], "motivo": [None, code],
                           "fecha": [None, date.isoformat()], "comisión": [None, str(fee)],
                           "reintentar": [None, retry], "aviso al cliente": [None, email or None]})
    publish("treasury.remittance_item.returned", pk=item.pk, remittance=item.remittance_id,
            receipt=receipt.pk, code=code, retry=retry)
    return ReturnResult(item=item, receipt=receipt, code=code, label=label, may_retry=retry, fee_entry=fee_entry,
                        notification=notification, client_email=email, cover=cover)
