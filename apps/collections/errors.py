"""DomainError codes of receipts, commissions and settlements (stable for integrators)."""
from apps.core.errors import DomainError


class CollectionsError(DomainError):
    code = "collections_error"


# Codes used by the receipt services (status 409 = the receipt's state does not allow it).
RECEIPT_CANCELLED = "receipt_cancelled"
RECEIPT_COLLECTED = "receipt_collected"
RECEIPT_NOT_COLLECTED = "receipt_not_collected"
RECEIPT_OVERPAID = "receipt_overpaid"
RECEIPT_AMOUNT = "receipt_amount"
RECEIPT_DATE = "receipt_date"
RECEIPT_CHANNEL = "receipt_channel"
RECEIPT_REASON = "receipt_reason"
