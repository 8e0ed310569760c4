"""The receipt services' refusals, built in one place so every door shows the same sentence."""
import datetime

from django.utils.translation import gettext as _

from apps.collections.choices import ReceiptState
from apps.collections.errors import (
    RECEIPT_AMOUNT, RECEIPT_CANCELLED, RECEIPT_CHANNEL, RECEIPT_COLLECTED, RECEIPT_DATE, RECEIPT_NOT_COLLECTED,
    RECEIPT_OVERPAID, RECEIPT_REASON, CollectionsError,
)
from apps.core.money import format_eur

__all__ = ["CollectionsError", "cancelled", "already_collected", "not_collected", "cannot_cancel", "overpaid",
           "bad_amount", "bad_date", "bad_channel", "reason_required", "date_text"]


def date_text(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def cancelled(receipt) -> CollectionsError:
    return CollectionsError(_("El recibo %s está anulado: no se puede cobrar ni devolver.") % receipt.number,
                            code=RECEIPT_CANCELLED, status=409)


def already_collected(receipt) -> CollectionsError:
    return CollectionsError(_("El recibo %s ya está cobrado por completo.") % receipt.number,
                            code=RECEIPT_COLLECTED, status=409)


def not_collected(receipt) -> CollectionsError:
    return CollectionsError(
        _("Solo se devuelve un recibo cobrado; el recibo %(number)s está «%(state)s».") % {
            "number": receipt.number, "state": ReceiptState(receipt.state).label},
        code=RECEIPT_NOT_COLLECTED, status=409)


def cannot_cancel(receipt) -> CollectionsError:
    if receipt.state in (ReceiptState.COLLECTED, ReceiptState.PARTIAL):
        message = _("El recibo %s está cobrado: para anularlo, registre antes su devolución.") % receipt.number
    else:
        message = _("El recibo %(number)s está «%(state)s»: no se puede anular.") % {
            "number": receipt.number, "state": ReceiptState(receipt.state).label}
    return CollectionsError(message, code=RECEIPT_COLLECTED if receipt.state != ReceiptState.CANCELLED
                            else RECEIPT_CANCELLED, status=409)


def overpaid(receipt, amount, outstanding) -> CollectionsError:
    return CollectionsError(
        _("El importe %(amount)s supera lo pendiente del recibo %(number)s (%(outstanding)s).") % {
            "amount": format_eur(abs(amount)), "number": receipt.number, "outstanding": format_eur(abs(outstanding))},
        code=RECEIPT_OVERPAID, field="amount")


def bad_amount() -> CollectionsError:
    return CollectionsError(_("Indique un importe distinto de cero, con dos decimales como máximo."),
                            code=RECEIPT_AMOUNT, field="amount")


def bad_date(message: str | None = None) -> CollectionsError:
    return CollectionsError(message or _("Indique la fecha."), code=RECEIPT_DATE, field="date")


def bad_channel() -> CollectionsError:
    return CollectionsError(_("Indique un medio de cobro válido."), code=RECEIPT_CHANNEL, field="channel")


def reason_required() -> CollectionsError:
    return CollectionsError(_("Indique el motivo de la devolución."), code=RECEIPT_REASON, field="reason")
