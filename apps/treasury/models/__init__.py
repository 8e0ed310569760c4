from apps.treasury.models.accounts import BankAccount, Mandate
from apps.treasury.models.remittances import Remittance, RemittanceItem
from apps.treasury.models.statements import Reconciliation, Statement, StatementLine

__all__ = ["BankAccount", "Mandate", "Reconciliation", "Remittance", "RemittanceItem", "Statement", "StatementLine"]
