"""Dunning retries of returned SEPA debits (issue 7 item 4): may a RETURNED receipt go in a new remittance?

The last return of the receipt decides. A reason that allows it (AM04, MS02, MS03: RemittanceItem.may_retry)
makes it a normal candidate; its next debit is RCUR on the same mandate, as the mandate's use history says.
Any other reason (AC04, MD01, MD06...) refuses it until the party's active mandate was amended (new account)
or signed on or after the return date; the mandate code then makes that debit FRST again.
"""
from django.utils.translation import gettext as _

from apps.treasury.choices import RemittanceItemState
from apps.treasury.models import Mandate, RemittanceItem
from apps.treasury.services.returns import reason_label


def last_returns(receipt_ids) -> dict:
    """{receipt id: its most recent returned RemittanceItem} in one query."""
    items = (RemittanceItem.objects.filter(receipt_id__in=list(receipt_ids), state=RemittanceItemState.RETURNED)
             .order_by("receipt_id", "-returned_on", "-pk").only("receipt_id", "returned_on", "return_code",
                                                                    "may_retry"))
    returns = {}
    for item in items:
        returns.setdefault(item.receipt_id, item)
    return returns


def mandate_renewed_since(mandate: Mandate | None, item: RemittanceItem) -> bool:
    """The mandate was amended, or signed, on or after the day the debit came back."""
    if mandate is None or item.returned_on is None:
        return False
    return (mandate.signature_date >= item.returned_on
            or (mandate.amended_on is not None and mandate.amended_on >= item.returned_on))


def retry_refusal(item: RemittanceItem | None, mandate: Mandate | None) -> str:
    """"" when the returned receipt may be debited again, else the reason in Spanish."""
    if item is None or item.may_retry or mandate_renewed_since(mandate, item):
        return ""
    return _("Devuelto por %(code)s (%(label)s): revise el mandato antes de volver a remesarlo") % {
        "code": item.return_code, "label": reason_label(item.return_code)}
