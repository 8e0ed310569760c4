"""Notification refusals: one DomainError subclass with stable codes (notif_*)."""
from apps.core.errors import DomainError


class NotificationError(DomainError):
    code = "notif_error"
