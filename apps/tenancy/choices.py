from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.TextChoices):
    ESSENTIAL = "essential", _("Esencial")
    PROFESSIONAL = "professional", _("Profesional")
    ENTERPRISE = "enterprise", _("Empresa")


class ChartOfAccounts(models.TextChoices):
    PGC_PYMES = "pgc_pymes", _("PGC PYMES")
    PGC_NORMAL = "pgc_normal", _("PGC normal")
