from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("En cola")
    RUNNING = "running", _("En curso")
    SUCCEEDED = "succeeded", _("Terminado")
    FAILED = "failed", _("Fallido")
    CANCELLED = "cancelled", _("Cancelado")


ACTIVE_STATUSES = ("pending", "running")
FINISHED_STATUSES = ("succeeded", "failed", "cancelled")
