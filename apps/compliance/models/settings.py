"""The brokerage's compliance settings (one row, pk 1; without it the defaults apply)."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_GENERAL_MONTHS = 2
DEFAULT_CONSUMER_MONTHS = 1
DEFAULT_WARNING_DAYS = 7


class ComplianceSettings(models.Model):
    complaint_months = models.PositiveSmallIntegerField(
        _("plazo de resolución de quejas (meses)"), default=DEFAULT_GENERAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("Art. 10.3 Orden ECO/734/2004: dos meses desde la presentación ante el servicio de atención al "
                    "cliente."))
    consumer_complaint_months = models.PositiveSmallIntegerField(
        _("plazo para consumidores (meses)"), default=DEFAULT_CONSUMER_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("Art. 10.3 Orden ECO/734/2004 en la redacción de la Orden ECE/482/2019: un mes cuando el "
                    "reclamante es consumidor."))
    warning_days = models.PositiveSmallIntegerField(
        _("aviso al responsable (días antes del plazo)"), default=DEFAULT_WARNING_DAYS,
        validators=[MaxValueValidator(60)])

    class Meta:
        verbose_name = _("ajustes de cumplimiento")
        verbose_name_plural = _("ajustes de cumplimiento")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ComplianceSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)
