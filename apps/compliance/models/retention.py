"""Retention rules per record type, legal holds that stop them and the log of each retention run."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.compliance.choices import RecordType, RetentionAction, RunState, RunTrigger
from apps.core.models import AuditedModel


class RetentionRule(AuditedModel):
    record_type = models.CharField(_("tipo de registro"), max_length=20, choices=RecordType.choices, unique=True)
    period_months = models.PositiveSmallIntegerField(
        _("plazo (meses)"), validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text=_("Meses desde el hecho que inicia el plazo (fin de la relación, cierre, retirada…)."))
    action = models.CharField(_("acción"), max_length=10, choices=RetentionAction.choices,
                              default=RetentionAction.ANONYMISE)
    legal_reference = models.CharField(_("fundamento del plazo"), max_length=300, blank=True)
    is_active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("regla de conservación")
        verbose_name_plural = _("reglas de conservación")
        ordering = ["record_type"]

    def __str__(self):
        return str(self.get_record_type_display())


class ActiveHoldManager(models.Manager):
    def active(self, today=None):
        today = today or timezone.localdate()
        return self.get_queryset().filter(released_at__isnull=True).filter(
            models.Q(until__isnull=True) | models.Q(until__gte=today))


class LegalHold(AuditedModel):
    """While active (not released and `until` not past), no retention run anonymises or deletes the record."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("id del registro"))
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("motivo"), help_text=_("P. ej. «Procedimiento judicial 123/2026 del Juzgado nº 4 de "
                                                       "Madrid»."))
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ordenada por"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    until = models.DateField(_("hasta"), null=True, blank=True, help_text=_("Vacío: hasta que se levante."))
    released_at = models.DateTimeField(_("levantada"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("levantada por"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ActiveHoldManager()

    class Meta:
        verbose_name = _("retención legal")
        verbose_name_plural = _("retenciones legales")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="compliance_hold_target_idx")]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}"

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.released_at is None and (self.until is None or self.until >= today)


class RetentionRun(models.Model):
    trigger = models.CharField(_("origen"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE)
    state = models.CharField(_("estado"), max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    today = models.DateField(_("fecha de referencia"))
    started_at = models.DateTimeField(_("inicio"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lanzada por"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    totals = models.JSONField(_("resultado por tipo"), default=dict, blank=True,
                              help_text=_("Por tipo: caducados, retenidos, conservados por ley, tratados y errores."))
    problems = models.JSONField(_("incidencias"), default=list, blank=True)

    class Meta:
        verbose_name = _("ejecución de conservación")
        verbose_name_plural = _("ejecuciones de conservación")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.today:%d/%m/%Y} · {self.get_state_display()}"

    @property
    def processed(self) -> int:
        return sum(int(row.get("done", 0)) for row in (self.totals or {}).values())
