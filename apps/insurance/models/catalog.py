"""The catalog: insurers, lines of business, products with their coverages and IPID, and the
dated commission agreements with each insurer."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.insurance.choices import ClawbackRule, CommissionEarnedOn, ConsorcioBasis, CoverageKind, DgsfpClass


class Insurer(AuditedModel):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    legal_name = models.CharField(_("razón social"), max_length=250, blank=True)
    tax_id = models.CharField(_("CIF"), max_length=12, unique=True,
                              error_messages={"unique": _("Ya existe una compañía con este CIF.")})
    dgsfp_code = models.CharField(_("clave DGSFP"), max_length=10, unique=True,
                                  help_text=_("Clave de la entidad en el registro de la DGSFP, p. ej. C0058."),
                                  error_messages={"unique": _("Ya existe una compañía con esta clave DGSFP.")})
    portal_url = models.URLField(_("portal de mediadores"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    claims_phone = models.CharField(_("teléfono de siniestros"), max_length=30, blank=True)
    eiac_supported = models.BooleanField(_("intercambia EIAC"), default=False,
                                         help_text=_("La compañía envía y recibe ficheros EIAC (pólizas, recibos, siniestros)."))
    party = models.ForeignKey("crm.Party", verbose_name=_("ficha de tercero"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="insurer_profiles",
                              help_text=_("El tercero del CRM que la contabilidad usa para su cuenta corriente."))
    is_active = models.BooleanField(_("activa"), default=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("compañía")
        verbose_name_plural = _("compañías")
        ordering = ["name"]

    def __str__(self):
        return self.name


class InsurerContact(models.Model):
    insurer = models.ForeignKey(Insurer, verbose_name=_("compañía"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nombre"), max_length=150)
    role = models.CharField(_("cargo o departamento"), max_length=100, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contacto de compañía")
        verbose_name_plural = _("contactos de compañía")
        ordering = ["insurer", "name"]

    def __str__(self):
        return f"{self.name} ({self.insurer})"


class Line(AuditedModel):
    """A line of business. Rows mirror the registered line apps (apps.insurance.lines); staff
    edit the tax settings, never the code."""

    code = models.SlugField(_("código"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    dgsfp_class = models.CharField(_("ramo DGSFP"), max_length=2, choices=DgsfpClass.choices)
    is_life = models.BooleanField(_("ramo de vida"), default=False)
    ips_applies = models.BooleanField(_("sujeto a IPS"), default=True,
                                      help_text=_("Impuesto sobre las Primas de Seguros (8 %); exento en vida."))
    clea_applies = models.BooleanField(_("recargo de liquidación (CLEA)"), default=True,
                                       help_text=_("Recargo del Consorcio para liquidación de entidades: 0,15 % de la prima neta en no vida."))
    consorcio_basis = models.CharField(_("recargo de riesgos extraordinarios"), max_length=10,
                                       choices=ConsorcioBasis.choices, default=ConsorcioBasis.NONE)
    consorcio_rate = models.DecimalField(_("tipo o importe del recargo"), max_digits=9, decimal_places=4, default=0)
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("ramo")
        verbose_name_plural = _("ramos")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(AuditedModel):
    insurer = models.ForeignKey(Insurer, verbose_name=_("compañía"), on_delete=models.PROTECT, related_name="products")
    line = models.ForeignKey(Line, verbose_name=_("ramo"), on_delete=models.PROTECT, related_name="products")
    code = models.CharField(_("código"), max_length=30)
    name = models.CharField(_("nombre"), max_length=150)
    is_active = models.BooleanField(_("comercializable"), default=True)
    # IPID (Reglamento de Ejecución (UE) 2017/1469): the product information document as data.
    ipid_summary = models.TextField(_("¿En qué consiste este tipo de seguro?"), blank=True)
    ipid_exclusions = models.TextField(_("¿Qué no está asegurado?"), blank=True)
    ipid_restrictions = models.TextField(_("¿Existen restricciones en lo que respecta a la cobertura?"), blank=True)
    ipid_territory = models.TextField(_("¿Dónde estoy cubierto?"), blank=True)
    ipid_obligations = models.TextField(_("¿Cuáles son mis obligaciones?"), blank=True)
    ipid_payment = models.TextField(_("¿Cuándo y cómo tengo que efectuar los pagos?"), blank=True)
    ipid_term = models.TextField(_("¿Cuándo comienza y finaliza la cobertura?"), blank=True)
    ipid_cancellation = models.TextField(_("¿Cómo puedo rescindir el contrato?"), blank=True)

    class Meta:
        verbose_name = _("producto")
        verbose_name_plural = _("productos")
        ordering = ["insurer__name", "name"]
        constraints = [models.UniqueConstraint(fields=["insurer", "code"], name="insurance_product_code_unique",
                                               violation_error_message=_("Esta compañía ya tiene un producto con ese código."))]

    def __str__(self):
        return f"{self.insurer} · {self.name}"


class Coverage(models.Model):
    """A garantía of a product: what is covered, up to which capital or limit, with which deductible."""

    product = models.ForeignKey(Product, verbose_name=_("producto"), on_delete=models.CASCADE, related_name="coverages")
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("garantía"), max_length=150)
    kind = models.CharField(_("inclusión"), max_length=10, choices=CoverageKind.choices, default=CoverageKind.INCLUDED)
    limit = models.DecimalField(_("capital o límite"), max_digits=14, decimal_places=2, null=True, blank=True,
                                help_text=_("Vacío: hasta el capital declarado en el riesgo o ilimitado."))
    limit_text = models.CharField(_("límite (texto)"), max_length=100, blank=True,
                                  help_text=_("Cuando el límite no es un importe, p. ej. «Ilimitada» o «100 % del capital»."))
    deductible = models.DecimalField(_("franquicia"), max_digits=12, decimal_places=2, default=0)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("garantía")
        verbose_name_plural = _("garantías")
        ordering = ["product", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="insurance_coverage_code_unique")]

    def __str__(self):
        return self.name


class CommissionAgreement(AuditedModel):
    """Commission rates agreed with an insurer, for all its products or one; dated, so a new
    agreement applies from its valid_from on and earlier receipts keep the earlier rates."""

    insurer = models.ForeignKey(Insurer, verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="commission_agreements")
    product = models.ForeignKey(Product, verbose_name=_("producto"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="commission_agreements",
                                help_text=_("Vacío: aplica a todos los productos de la compañía sin acuerdo propio."))
    valid_from = models.DateField(_("en vigor desde"))
    new_business_pct = models.DecimalField(_("% nueva producción"), max_digits=5, decimal_places=2)
    renewal_pct = models.DecimalField(_("% cartera (renovación)"), max_digits=5, decimal_places=2)
    earned_on = models.CharField(_("devengo"), max_length=10, choices=CommissionEarnedOn.choices,
                                 default=CommissionEarnedOn.COLLECTION)
    clawback_rule = models.CharField(_("extorno por anulación"), max_length=12, choices=ClawbackRule.choices,
                                     default=ClawbackRule.PRO_RATA)
    clawback_months = models.PositiveSmallIntegerField(_("plazo de extorno (meses)"), default=12,
                                                       help_text=_("Para «íntegra si se anula dentro del plazo»."))
    upfront = models.BooleanField(
        _("comisión anticipada"), default=False,
        help_text=_("La compañía paga a la emisión la comisión de toda la primera anualidad; los recibos "
                    "fraccionados de ese año no llevan comisión y van consumiendo el anticipo."))
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("acuerdo de comisiones")
        verbose_name_plural = _("acuerdos de comisiones")
        ordering = ["insurer__name", "product__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["insurer", "product", "valid_from"], name="insurance_agreement_unique",
                                    violation_error_message=_("Ya hay un acuerdo con esa fecha para esta compañía y producto.")),
            models.UniqueConstraint(fields=["insurer", "valid_from"], condition=Q(product__isnull=True),
                                    name="insurance_agreement_general_unique",
                                    violation_error_message=_("Ya hay un acuerdo general con esa fecha para esta compañía.")),
            models.CheckConstraint(condition=Q(new_business_pct__gte=0, new_business_pct__lte=100,
                                               renewal_pct__gte=0, renewal_pct__lte=100),
                                   name="insurance_agreement_pct_range",
                                   violation_error_message=_("Los porcentajes de comisión van de 0 a 100.")),
        ]

    def __str__(self):
        scope = self.product.name if self.product_id else _("todos los productos")
        return f"{self.insurer} · {scope} · {self.valid_from:%d/%m/%Y}"
