"""EngineRun: one run of a registered engine in this brokerage's schema (results stored per tenant).

Its JobRun carries the life cycle (queued, running, finished, failed, cancelled) and the live progress;
the run keeps the engine key, the inputs, the data fingerprint and, once it succeeded, the result dict.
"""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.engines.choices import Trigger
from apps.jobs.choices import JobStatus


class EngineRun(models.Model):
    engine_key = models.CharField(_("motor"), max_length=80, db_index=True)
    engine_label = models.CharField(_("nombre del motor"), max_length=200)
    params = models.JSONField(_("parámetros"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # sha256 of engine key + canonical params + data fingerprint: an active run with the same key is reused
    run_key = models.CharField(_("clave de idempotencia"), max_length=64, db_index=True)
    data_fingerprint = models.CharField(_("huella de los datos"), max_length=64, blank=True)
    job = models.OneToOneField("jobs.JobRun", verbose_name=_("proceso"), on_delete=models.PROTECT,
                               related_name="engine_run")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="engine_runs")
    schedule = models.ForeignKey("engines.EngineSchedule", verbose_name=_("programación"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="runs")
    trigger = models.CharField(_("origen"), max_length=10, choices=Trigger.choices, default=Trigger.PAGE)
    result = models.JSONField(_("resultado"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ejecución de motor")
        verbose_name_plural = _("ejecuciones de motores")
        ordering = ["-created_at", "-id"]
        permissions = [("run_engine", _("Puede ejecutar motores de cálculo"))]
        indexes = [models.Index(fields=["engine_key", "-created_at"], name="engines_run_key_created")]

    def __str__(self):
        return f"{self.engine_label} #{self.pk}"

    @property
    def status(self) -> str:
        return self.job.status

    @property
    def is_final(self) -> bool:
        """Only a succeeded run shows its result: a failed or cancelled one never shows partial numbers."""
        return self.job.status == JobStatus.SUCCEEDED and self.result is not None
