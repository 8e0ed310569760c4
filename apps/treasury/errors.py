"""The treasury's refusals: one DomainError subclass with stable codes (treasury_*)."""
from apps.core.errors import DomainError


class TreasuryError(DomainError):
    code = "treasury_error"
