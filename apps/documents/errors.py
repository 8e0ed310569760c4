"""Documents refusals: one DomainError subclass with stable codes (documents_*)."""
from apps.core.errors import DomainError


class DocumentError(DomainError):
    code = "documents_error"
