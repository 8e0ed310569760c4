"""The register of processing activities (art. 30 RGPD) of the brokerage as controller."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.compliance.choices import LegalBasis
from apps.core.models import AuditedModel


class ProcessingActivity(AuditedModel):
    code = models.SlugField(_("código"), max_length=40, unique=True)
    name = models.CharField(_("actividad"), max_length=150)
    purpose = models.TextField(_("finalidad"))
    legal_basis = models.CharField(_("base jurídica"), max_length=12, choices=LegalBasis.choices)
    legal_basis_detail = models.CharField(_("norma o detalle de la base jurídica"), max_length=300, blank=True)
    subject_categories = models.TextField(_("categorías de interesados"))
    data_categories = models.TextField(_("categorías de datos"))
    special_categories = models.BooleanField(
        _("categorías especiales de datos"), default=False,
        help_text=_("Datos de salud u otros del art. 9 RGPD: exigen una excepción del art. 9.2 y medidas reforzadas."))
    special_categories_detail = models.CharField(_("categorías especiales tratadas"), max_length=300, blank=True)
    recipients = models.TextField(_("destinatarios"), blank=True)
    international_transfers = models.TextField(
        _("transferencias internacionales"), blank=True,
        help_text=_("País, destinatario y garantía (decisión de adecuación, cláusulas tipo…); vacío: ninguna."))
    retention_period = models.TextField(_("plazo de conservación"))
    security_measures = models.TextField(_("medidas de seguridad"))
    is_active = models.BooleanField(_("activa"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=100)

    class Meta:
        verbose_name = _("actividad de tratamiento")
        verbose_name_plural = _("registro de actividades de tratamiento")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
