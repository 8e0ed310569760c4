from apps.collections.models.commissions import Collaborator, CommissionMovement, CommissionShare
from apps.collections.models.receipts import Receipt, ReceiptMovement
from apps.collections.models.settlements import CollaboratorSettlement, Settlement

__all__ = [
    "Collaborator", "CollaboratorSettlement", "CommissionMovement", "CommissionShare", "Receipt", "ReceiptMovement",
    "Settlement",
]
