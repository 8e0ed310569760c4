"""DomainError: the one exception services raise for a broken business rule.

Views turn it into a form message, the API into a problem+json body, commands into a
CLI message. `code` is stable for integrators; `message` is for people (Spanish first).
"""


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(self, message, *, code=None, field=None, status=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        if status is not None:
            self.status = status


class StaleObjectError(DomainError):
    status = 409
    code = "stale_object"


class PermissionDeniedError(DomainError):
    status = 403
    code = "permission_denied"
