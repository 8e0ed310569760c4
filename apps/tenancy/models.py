from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from apps.core.security import validate_network
from apps.core.validators import validate_spanish_tax_id
from apps.tenancy.choices import ChartOfAccounts, Plan


def tenant_logo_path(instance, filename: str) -> str:
    """The logo lives under the brokerage's own key prefix, whoever uploads it."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"{instance.schema_name}/branding/logo.{extension}"


class Tenant(TenantMixin):
    """A brokerage (correduría): one PostgreSQL schema."""

    name = models.CharField(_("nombre"), max_length=200)
    tax_id = models.CharField(_("NIF/CIF"), max_length=12, validators=[validate_spanish_tax_id])
    dgsfp_code = models.CharField(
        _("clave DGSFP"), max_length=20, blank=True, help_text=_("Clave de inscripción en el registro de la DGSFP (p. ej. J-1234).")
    )
    address = models.CharField(_("domicilio"), max_length=300, blank=True,
                               help_text=_("Domicilio social que figura en los documentos generados."))
    logo = models.ImageField(_("logotipo"), upload_to=tenant_logo_path, blank=True,
                             help_text=_("PNG o JPEG; aparece en los documentos PDF generados."))
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.PROFESSIONAL)
    chart_of_accounts = models.CharField(
        _("plan contable"), max_length=20, choices=ChartOfAccounts.choices, default=ChartOfAccounts.PGC_PYMES
    )
    admin_allowed_networks = ArrayField(
        models.CharField(max_length=49, validators=[validate_network]), verbose_name=_("redes con acceso al panel"),
        blank=True, default=list,
        help_text=_("Redes (CIDR) desde las que se admite el panel de administración /admin/ de la correduría, "
                    "separadas por comas, p. ej. 203.0.113.0/24, 2001:db8::/48. Vacío: desde cualquier red."),
    )
    is_active = models.BooleanField(_("activa"), default=True)
    suspended_reason = models.CharField(_("motivo de suspensión"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("alta"), auto_now_add=True)
    provisioning_seconds = models.DecimalField(_("segundos de alta"), max_digits=8, decimal_places=3, null=True, blank=True)

    # The provisioning service creates the schema explicitly (clone or migrate).
    auto_create_schema = False

    class Meta:
        verbose_name = _("correduría")
        verbose_name_plural = _("corredurías")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.schema_name})"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("dominio")
        verbose_name_plural = _("dominios")

    def __str__(self):
        return self.domain
