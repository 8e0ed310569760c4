from apps.core.errors import DomainError


class RegulatoryError(DomainError):
    code = "regulatory_error"
