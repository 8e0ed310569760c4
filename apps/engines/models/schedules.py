"""EngineSchedule: run an engine with fixed inputs every day, week or month (Celery beat fans out per tenant)."""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.engines.choices import Frequency


class EngineSchedule(models.Model):
    engine_key = models.CharField(_("motor"), max_length=80)
    name = models.CharField(_("nombre"), max_length=150)
    params = models.JSONField(_("parámetros"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    frequency = models.CharField(_("frecuencia"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    next_run_at = models.DateTimeField(_("próxima ejecución"), db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), on_delete=models.PROTECT,
                              related_name="engine_schedules")
    is_active = models.BooleanField(_("activa"), default=True)
    last_run = models.ForeignKey("engines.EngineRun", verbose_name=_("última ejecución"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("programación de motor")
        verbose_name_plural = _("programaciones de motores")
        ordering = ["next_run_at", "id"]

    def __str__(self):
        return self.name
