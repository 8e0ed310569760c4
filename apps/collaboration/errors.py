"""Collaboration refusals: one DomainError subclass with stable codes (collab_*)."""
from apps.core.errors import DomainError


class CollaborationError(DomainError):
    code = "collab_error"
