from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.crm.choices import LeadSource, LeadStatus, LineOfBusiness, OpportunityStage


class Lead(AuditedModel):
    name = models.CharField(_("nombre"), max_length=200)
    company = models.CharField(_("empresa"), max_length=200, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    source = models.CharField(_("origen"), max_length=12, choices=LeadSource.choices, default=LeadSource.WEB)
    campaign = models.ForeignKey("crm.Campaign", verbose_name=_("campaña"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="leads")
    status = models.CharField(_("estado"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="crm_leads")
    notes = models.TextField(_("notas"), blank=True)
    converted_party = models.ForeignKey("crm.Party", verbose_name=_("cliente creado"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="source_leads")

    class Meta:
        verbose_name = _("contacto comercial")
        verbose_name_plural = _("contactos comerciales")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class Opportunity(AuditedModel):
    party = models.ForeignKey("crm.Party", on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("cliente"))
    lead = models.ForeignKey(Lead, verbose_name=_("contacto de origen"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="opportunities")
    title = models.CharField(_("título"), max_length=200)
    line_of_business = models.CharField(_("ramo"), max_length=12, choices=LineOfBusiness.choices)
    expected_premium = models.DecimalField(_("prima prevista"), max_digits=12, decimal_places=2, default=0)
    probability = models.PositiveSmallIntegerField(_("probabilidad (%)"), default=20, validators=[MaxValueValidator(100)])
    stage = models.CharField(_("fase"), max_length=12, choices=OpportunityStage.choices, default=OpportunityStage.NEW,
                             db_index=True)
    position = models.PositiveIntegerField(_("orden en la fase"), default=0)
    close_date = models.DateField(_("cierre previsto"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="crm_opportunities")
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)
    lost_reason = models.CharField(_("motivo de pérdida"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("oportunidad")
        verbose_name_plural = _("oportunidades")
        ordering = ["stage", "position", "-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(probability__lte=100), name="crm_probability_lte_100")]

    def __str__(self):
        return self.title
