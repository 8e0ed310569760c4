from apps.treasury.models.accounts import BankAccount, Mandate
from apps.treasury.models.remittances import Remittance, RemittanceItem
from apps.treasury.models.statements import Reconciliation, Statement, StatementLine
from apps.treasury.models.transfers import TransferItem, TransferOrder

__all__ = ["BankAccount", "Mandate", "Reconciliation", "Remittance", "RemittanceItem", "Statement", "StatementLine",
           "TransferItem", "TransferOrder"]
