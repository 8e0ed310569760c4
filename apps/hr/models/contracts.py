"""Employment contracts and their history (signature, extensions, changes, termination)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.hr.choices import ContractEventKind, ContractKind, ContractState, TerminationReason

MONEY = {"max_digits": 12, "decimal_places": 2}


class Contract(AuditedModel):
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="contracts")
    kind = models.CharField(_("modalidad"), max_length=12, choices=ContractKind.choices)
    sepe_code = models.CharField(_("clave de contrato (SEPE)"), max_length=3, blank=True,
                                 help_text=_("Por ejemplo 100 indefinido a tiempo completo, 200 a tiempo parcial."))
    full_time = models.BooleanField(_("jornada completa"), default=True)
    weekly_hours = models.DecimalField(_("horas semanales"), max_digits=4, decimal_places=2, default=40)
    start_date = models.DateField(_("fecha de inicio"))
    end_date = models.DateField(_("fecha de fin"), null=True, blank=True,
                                help_text=_("Obligatoria en los temporales y formativos."))
    trial_period_days = models.PositiveSmallIntegerField(_("periodo de prueba (días)"), default=0)
    annual_salary = models.DecimalField(_("salario bruto anual"), **MONEY)
    payments_per_year = models.PositiveSmallIntegerField(_("pagas al año"), default=14,
                                                         help_text=_("12 (prorrateadas) o 14 (dos extraordinarias)."))
    agreement = models.CharField(_("convenio colectivo"), max_length=150, blank=True)
    agreement_group = models.CharField(_("grupo profesional"), max_length=60, blank=True)
    contribution_group = models.PositiveSmallIntegerField(_("grupo de cotización"), default=5,
                                                          help_text=_("De 1 a 11 (Seguridad Social)."))
    state = models.CharField(_("estado"), max_length=8, choices=ContractState.choices, default=ContractState.ACTIVE)
    termination_date = models.DateField(_("fecha de extinción"), null=True, blank=True)
    termination_reason = models.CharField(_("causa de extinción"), max_length=14, choices=TerminationReason.choices,
                                          blank=True)

    class Meta:
        verbose_name = _("contrato")
        verbose_name_plural = _("contratos")
        ordering = ["employee", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_salary__gt=0), name="hr_contract_salary_positive"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="hr_contract_dates"),
        ]

    def __str__(self):
        return f"{self.employee} · {self.get_kind_display()} ({self.start_date:%d/%m/%Y})"


class ContractEvent(models.Model):
    """One step of a contract's history; the contract row shows the current terms."""

    contract = models.ForeignKey(Contract, verbose_name=_("contrato"), on_delete=models.CASCADE,
                                 related_name="events")
    kind = models.CharField(_("tipo"), max_length=12, choices=ContractEventKind.choices)
    date = models.DateField(_("fecha"))
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    reason = models.CharField(_("motivo"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("hito del contrato")
        verbose_name_plural = _("historia de contratos")
        ordering = ["contract", "date", "pk"]
