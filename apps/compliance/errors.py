"""The compliance refusals: one DomainError subclass with stable codes (compliance_*)."""
from apps.core.errors import DomainError


class ComplianceError(DomainError):
    code = "compliance_error"
