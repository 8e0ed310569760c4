"""Human resources refusals: one DomainError subclass with stable codes (hr_*)."""
from apps.core.errors import DomainError


class HRError(DomainError):
    code = "hr_error"
