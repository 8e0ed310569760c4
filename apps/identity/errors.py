"""Identity refusals: one DomainError subclass with stable codes (mfa_*, session_*, lockout_*)."""
from apps.core.errors import DomainError


class IdentityError(DomainError):
    code = "identity_error"
