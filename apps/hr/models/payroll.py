"""Monthly payroll: the tenant's Social Security rates, a run per month and one payslip per employee."""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.hr.choices import PayrollRunState

MONEY = {"max_digits": 12, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2}


class PayrollSettings(AuditedModel):
    """Contribution rates (%) and bases in force; one row per tenant and year (Orden de cotización)."""

    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    employee_common = models.DecimalField(_("contingencias comunes, trabajador"), default=Decimal("4.70"), **RATE)
    employee_unemployment = models.DecimalField(_("desempleo, trabajador (indefinido)"),
                                                default=Decimal("1.55"), **RATE)
    employee_unemployment_temporary = models.DecimalField(_("desempleo, trabajador (temporal)"),
                                                          default=Decimal("1.60"), **RATE)
    employee_training = models.DecimalField(_("formación profesional, trabajador"), default=Decimal("0.10"), **RATE)
    employee_mei = models.DecimalField(_("MEI, trabajador"), default=Decimal("0.15"), **RATE)
    employer_common = models.DecimalField(_("contingencias comunes, empresa"), default=Decimal("23.60"), **RATE)
    employer_unemployment = models.DecimalField(_("desempleo, empresa (indefinido)"), default=Decimal("5.50"),
                                                **RATE)
    employer_unemployment_temporary = models.DecimalField(_("desempleo, empresa (temporal)"),
                                                          default=Decimal("6.70"), **RATE)
    employer_fogasa = models.DecimalField(_("FOGASA, empresa"), default=Decimal("0.20"), **RATE)
    employer_training = models.DecimalField(_("formación profesional, empresa"), default=Decimal("0.60"), **RATE)
    employer_accidents = models.DecimalField(_("accidentes de trabajo y enfermedad profesional (AT/EP)"),
                                             default=Decimal("1.50"), **RATE)
    employer_mei = models.DecimalField(_("MEI, empresa"), default=Decimal("0.75"), **RATE)
    min_base = models.DecimalField(_("base mínima mensual"), default=Decimal("1381.20"), **MONEY)
    max_base = models.DecimalField(_("base máxima mensual"), default=Decimal("5101.20"), **MONEY)

    class Meta:
        verbose_name = _("parámetros de nómina")
        verbose_name_plural = _("parámetros de nómina")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class PayrollRun(AuditedModel):
    year = models.PositiveSmallIntegerField(_("año"))
    month = models.PositiveSmallIntegerField(_("mes"))
    state = models.CharField(_("estado"), max_length=10, choices=PayrollRunState.choices,
                             default=PayrollRunState.CALCULATED)
    payment_date = models.DateField(_("fecha de pago"))
    gross_total = models.DecimalField(_("devengado"), default=0, **MONEY)
    irpf_total = models.DecimalField(_("retenciones IRPF"), default=0, **MONEY)
    ss_employee_total = models.DecimalField(_("Seguridad Social del trabajador"), default=0, **MONEY)
    ss_employer_total = models.DecimalField(_("Seguridad Social de la empresa"), default=0, **MONEY)
    net_total = models.DecimalField(_("líquido"), default=0, **MONEY)
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento de nómina"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    transfer_order = models.ForeignKey("treasury.TransferOrder", verbose_name=_("transferencias"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("nómina mensual")
        verbose_name_plural = _("nóminas mensuales")
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="hr_payroll_run_unique")]

    def __str__(self):
        return f"{self.month:02d}/{self.year}"


class Payslip(models.Model):
    run = models.ForeignKey(PayrollRun, verbose_name=_("nómina"), on_delete=models.CASCADE, related_name="payslips")
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="payslips")
    contract = models.ForeignKey("hr.Contract", verbose_name=_("contrato"), on_delete=models.PROTECT,
                                 related_name="payslips")
    days = models.PositiveSmallIntegerField(_("días cotizados"))
    base_salary = models.DecimalField(_("salario base"), **MONEY)
    extra_pay = models.DecimalField(_("paga extraordinaria"), default=0, **MONEY)
    gross = models.DecimalField(_("total devengado"), **MONEY)
    contribution_base = models.DecimalField(_("base de cotización"), **MONEY)
    irpf_rate = models.DecimalField(_("tipo IRPF (%)"), **RATE)
    irpf = models.DecimalField(_("retención IRPF"), **MONEY)
    ss_employee = models.DecimalField(_("Seguridad Social del trabajador"), **MONEY)
    ss_employer = models.DecimalField(_("Seguridad Social de la empresa"), **MONEY)
    net = models.DecimalField(_("líquido a percibir"), **MONEY)
    detail = models.JSONField(_("conceptos"), default=dict, blank=True)

    class Meta:
        verbose_name = _("recibo de salarios")
        verbose_name_plural = _("recibos de salarios")
        ordering = ["run", "employee"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="hr_payslip_unique")]

    def __str__(self):
        return f"{self.employee} {self.run}"
