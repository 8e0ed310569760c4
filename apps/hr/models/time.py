"""Registro de jornada (art. 34.9 Estatuto de los Trabajadores): append-only clock records.

A record is never changed: a correction is a new record (source CORRECTION) that names the record it
replaces (or none, for a missed punch), with its reason and the approver. Each month the employee signs
off the report of their records."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.hr.choices import TimeRecordKind, TimeRecordSource


class TimeRecord(models.Model):
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="time_records")
    kind = models.CharField(_("tipo"), max_length=12, choices=TimeRecordKind.choices)
    at = models.DateTimeField(_("hora"))
    source = models.CharField(_("origen"), max_length=10, choices=TimeRecordSource.choices,
                              default=TimeRecordSource.WEB)
    replaces = models.ForeignKey("self", verbose_name=_("corrige a"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    voids = models.BooleanField(_("anula el registro corregido"), default=False,
                                help_text=_("Una corrección que elimina un fichaje erróneo sin sustituirlo."))
    reason = models.CharField(_("motivo de la corrección"), max_length=250, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("aprobado por"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    ip_address = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("registro de jornada")
        verbose_name_plural = _("registros de jornada")
        ordering = ["employee", "at", "pk"]
        indexes = [models.Index(fields=["employee", "at"], name="hr_time_employee_at_idx")]

    def __str__(self):
        return f"{self.employee} {self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class TimeSheetSignoff(models.Model):
    """The employee's signature of a month's time report, with the totals they signed."""

    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="time_signoffs")
    year = models.PositiveSmallIntegerField(_("año"))
    month = models.PositiveSmallIntegerField(_("mes"))
    worked_minutes = models.PositiveIntegerField(_("minutos trabajados"))
    days_worked = models.PositiveSmallIntegerField(_("días trabajados"))
    signed_at = models.DateTimeField(_("firmado el"), auto_now_add=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("firmado por"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("firma del registro mensual")
        verbose_name_plural = _("firmas del registro mensual")
        ordering = ["-year", "-month", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "year", "month"], name="hr_signoff_unique")]
