"""A brokerage's document categories (retention, expiry reminders, which records they apply to) and its upload
settings (size limit, accepted types)."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.documents.choices import FileType

DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_REMINDER_DAYS = 30


def default_allowed_types() -> list[str]:
    return list(FileType.values)


class DocumentCategory(models.Model):
    code = models.SlugField(_("código"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    retention_years = models.PositiveSmallIntegerField(
        _("conservación (años)"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("Años tras la última versión en que se borran los archivos; vacío: se conservan siempre."))
    expiry_reminder_days = models.PositiveSmallIntegerField(
        _("aviso de caducidad (días antes)"), default=DEFAULT_REMINDER_DAYS, validators=[MaxValueValidator(365)])
    record_kinds = models.JSONField(
        _("registros a los que se aplica"), default=list, blank=True,
        help_text=_('Tipos de registro («crm.party», «insurance.policy»…); vacío: cualquiera.'))
    is_active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("categoría de documento")
        verbose_name_plural = _("categorías de documento")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not isinstance(self.record_kinds, list) or not all(
                isinstance(kind, str) and kind.count(".") == 1 for kind in self.record_kinds):
            raise ValidationError({"record_kinds": _('Indique una lista como ["crm.party", "insurance.policy"].')})

    def applies_to(self, kind: str) -> bool:
        return not self.record_kinds or kind in self.record_kinds


class DocumentSettings(models.Model):
    """One row per brokerage (pk 1); without it the defaults apply."""

    max_upload_mb = models.PositiveSmallIntegerField(
        _("tamaño máximo por archivo (MB)"), default=DEFAULT_MAX_UPLOAD_MB,
        validators=[MinValueValidator(1), MaxValueValidator(500)])
    allowed_types = models.JSONField(_("tipos admitidos"), default=default_allowed_types,
                                     help_text=_("Códigos: %s.") % ", ".join(FileType.values))

    class Meta:
        verbose_name = _("ajustes de documentos")
        verbose_name_plural = _("ajustes de documentos")

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        unknown = [code for code in self.allowed_types or [] if code not in FileType.values]
        if not isinstance(self.allowed_types, list) or not self.allowed_types or unknown:
            raise ValidationError({"allowed_types": _("Indique una lista de tipos entre: %s.")
                                   % ", ".join(FileType.values)})

    @classmethod
    def current(cls) -> "DocumentSettings":
        """The brokerage's settings (an unsaved row with the defaults when none was saved: reads never write)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb) * 1024 * 1024
