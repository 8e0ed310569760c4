"""Kinds of notification: what people choose how to receive (apps.notifications.models.NotificationPreference)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Menciones")
    ASSIGNMENT = "assignment", _("Asignaciones")
    APPROVAL = "approval", _("Aprobaciones")
    DUE_ACTIVITY = "due_activity", _("Actividades y tareas vencidas")
    RENEWAL = "renewal", _("Renovaciones")
    RECEIPT_RETURN = "receipt_return", _("Recibos devueltos")
    JOB_RESULT = "job_result", _("Resultados de procesos")
    OTHER = "other", _("Otros avisos")


# Kind strings used before the kinds above existed; notification_send still accepts them.
LEGACY_KINDS = {
    "crm.activity_overdue": NotificationKind.DUE_ACTIVITY,
    "insurance.renewals": NotificationKind.RENEWAL,
    "info": NotificationKind.OTHER,
    "success": NotificationKind.OTHER,
    "warning": NotificationKind.OTHER,
    "danger": NotificationKind.OTHER,
}

# Immediate e-mail by default for these; the others go to the daily digest.
IMMEDIATE_BY_DEFAULT = frozenset({NotificationKind.MENTION, NotificationKind.APPROVAL})


def normalise_kind(kind: str | None) -> str:
    """One of NotificationKind's values for any kind string (an unknown one is «other»)."""
    if kind in NotificationKind.values:
        return str(kind)
    return str(LEGACY_KINDS.get(kind or "", NotificationKind.OTHER))
