"""Codes integrators can rely on for refused accounting operations."""
from apps.core.errors import DomainError


class AccountingError(DomainError):
    code = "accounting_error"


class UnbalancedEntryError(AccountingError):
    code = "unbalanced_entry"


class ClosedPeriodError(AccountingError):
    code = "closed_period"


class AccountNotPostableError(AccountingError):
    code = "account_not_postable"


class PostedEntryImmutableError(AccountingError):
    code = "posted_entry_immutable"
