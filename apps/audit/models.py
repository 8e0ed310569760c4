from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.choices import VERB_LABELS, AuditAction


class AuditEvent(models.Model):
    """Append-only record of one change, chained by hash to the one before it.

    The actor is kept as id + label (no foreign key) so deleting a user never rewrites history.
    A database trigger refuses UPDATE and DELETE; `audit_verify` detects what gets past it.
    """

    timestamp = models.DateTimeField(_("fecha y hora"), db_index=True)
    actor_id = models.BigIntegerField(_("id del usuario"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("usuario"), max_length=254, blank=True)
    action = models.CharField(_("acción"), max_length=40, choices=AuditAction.choices)
    verb = models.CharField(_("detalle"), max_length=80, blank=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo"), null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(_("id del objeto"), max_length=64, blank=True)
    object_repr = models.CharField(_("objeto"), max_length=300, blank=True)
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    request_id = models.CharField(_("id de petición"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.CharField(_("navegador"), max_length=300, blank=True)
    prev_hash = models.CharField(_("huella anterior"), max_length=64)
    hash = models.CharField(_("huella (hash)"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-id"], name="audit_object_idx")]

    def __str__(self):
        when = timezone.localtime(self.timestamp)
        return f"{when:%d/%m/%Y %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    @property
    def verb_label(self) -> str:
        return str(VERB_LABELS.get(self.verb, self.verb))

    verb_label.fget.short_description = _("detalle")


class AuditVerification(models.Model):
    """The result of one run of the hash-chain verification (command, job or "Verificar ahora").

    Also carries the sensitive-data permissions (granted only through apps.identity.roles.EXPLICIT_PERMISSIONS).
    """

    checked_at = models.DateTimeField(_("verificada el"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("cadena íntegra"))
    checked = models.PositiveIntegerField(_("eventos comprobados"), default=0)
    broken_count = models.PositiveIntegerField(_("puntos rotos"), default=0)
    first_broken_id = models.BigIntegerField(_("primer evento roto"), null=True, blank=True)
    first_broken_reason = models.CharField(_("motivo"), max_length=200, blank=True)
    broken = models.JSONField(_("eventos rotos (primeros 50)"), default=list, blank=True)
    actor_id = models.BigIntegerField(_("id del usuario"), null=True, blank=True)
    actor_label = models.CharField(_("lanzada por"), max_length=254, blank=True)
    job_id = models.BigIntegerField(_("proceso"), null=True, blank=True)

    class Meta:
        verbose_name = _("verificación de la auditoría")
        verbose_name_plural = _("verificaciones de la auditoría")
        ordering = ["-checked_at", "-id"]
        permissions = [
            ("view_sensitive_data", _("Puede ver todos los datos sensibles sin enmascarar")),
            ("view_sensitive_hr_data", _("Puede ver NAF e IBAN de nómina de los empleados")),
            ("view_sensitive_bank_data", _("Puede ver las cuentas bancarias de clientes y colaboradores")),
            ("view_sensitive_health_data", _("Puede ver los datos de salud de los riesgos")),
        ]

    def __str__(self):
        when = timezone.localtime(self.checked_at)
        return f"{when:%d/%m/%Y %H:%M} {'OK' if self.ok else 'ROTA'} ({self.checked})"
