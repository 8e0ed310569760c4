"""Leave: types, yearly allowances (with the days carried over) and requests approved by the manager."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.hr.choices import LeaveRequestState

DAYS = {"max_digits": 5, "decimal_places": 1}


class LeaveType(models.Model):
    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    paid = models.BooleanField(_("retribuida"), default=True)
    uses_allowance = models.BooleanField(_("descuenta del saldo anual"), default=False,
                                         help_text=_("Vacaciones y días de libre disposición."))
    needs_approval = models.BooleanField(_("requiere aprobación"), default=True)
    counts_working_days = models.BooleanField(_("se cuenta en días laborables"), default=True,
                                              help_text=_("Si no, en días naturales (p. ej. incapacidad temporal)."))
    default_days = models.DecimalField(_("días al año por defecto"), default=0, **DAYS)
    max_carry_over = models.DecimalField(_("días que pasan al año siguiente"), default=0, **DAYS)
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("tipo de ausencia")
        verbose_name_plural = _("tipos de ausencia")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LeaveAllowance(models.Model):
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.CASCADE,
                                 related_name="leave_allowances")
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("tipo"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("año"))
    days = models.DecimalField(_("días del año"), **DAYS)
    carried_over = models.DecimalField(_("días arrastrados"), default=0, **DAYS)

    class Meta:
        verbose_name = _("saldo anual de ausencias")
        verbose_name_plural = _("saldos anuales de ausencias")
        ordering = ["-year", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "leave_type", "year"], name="hr_allowance_unique")]


class LeaveRequest(AuditedModel):
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="leave_requests")
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("tipo"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("desde"))
    end_date = models.DateField(_("hasta"))
    days = models.DecimalField(_("días"), **DAYS)
    state = models.CharField(_("estado"), max_length=10, choices=LeaveRequestState.choices,
                             default=LeaveRequestState.REQUESTED)
    notes = models.CharField(_("observaciones"), max_length=250, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resuelta por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("resuelta el"), null=True, blank=True)
    decision_note = models.CharField(_("motivo de la resolución"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("solicitud de ausencia")
        verbose_name_plural = _("solicitudes de ausencia")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["employee", "state", "start_date"], name="hr_leave_employee_idx")]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="hr_leave_dates")]

    def __str__(self):
        return f"{self.employee} · {self.leave_type} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"
