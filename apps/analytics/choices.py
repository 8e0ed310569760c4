from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Este mes")
    QUARTER = "quarter", _("Este trimestre")
    YEAR = "year", _("Este año")
    CUSTOM = "custom", _("Personalizado")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Semanal")
    MONTHLY = "monthly", _("Mensual")


class Unit(models.TextChoices):
    EUR = "eur", _("Euros")
    COUNT = "count", _("Número")
    PCT = "pct", _("Porcentaje")
