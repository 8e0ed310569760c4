from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Diaria")
    WEEKLY = "weekly", _("Semanal")
    MONTHLY = "monthly", _("Mensual")


class Trigger(models.TextChoices):
    PAGE = "page", _("Página")
    API = "api", _("API")
    SCHEDULE = "schedule", _("Programación")
    SYSTEM = "system", _("Sistema")
