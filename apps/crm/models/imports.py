from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.crm.choices import ImportStatus


class ImportBatch(models.Model):
    """An uploaded party file: checked first (dry run), applied only when confirmed."""

    file_name = models.CharField(_("fichero"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subido por"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    status = models.CharField(_("estado"), max_length=10, choices=ImportStatus.choices)
    rows = models.JSONField(_("filas"), default=list)
    errors = models.JSONField(_("errores"), default=list, help_text=_("[{línea, campo, mensaje}]"))
    # Not errors: what the dry run wants a person to look at before applying (likely duplicates).
    warnings = models.JSONField(_("avisos"), default=list, blank=True,
                                help_text=_("[{línea, campo, mensaje, cliente}]"))
    total_rows = models.PositiveIntegerField(_("filas"), default=0)
    applied_at = models.DateTimeField(_("aplicado"), null=True, blank=True)
    created_parties = models.PositiveIntegerField(_("clientes creados"), default=0)

    class Meta:
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
