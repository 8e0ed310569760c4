from apps.core.errors import DomainError


class ProvisioningError(DomainError):
    code = "provisioning_error"
