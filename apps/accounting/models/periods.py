from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import FiscalYearState, JournalKind, PeriodState
from apps.core.models import AuditedModel


class FiscalYear(AuditedModel):
    name = models.CharField(_("ejercicio"), max_length=20, unique=True)
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    state = models.CharField(_("estado"), max_length=10, choices=FiscalYearState.choices, default=FiscalYearState.OPEN)
    # Incremented under the row lock when an entry is posted: gapless, never reused.
    last_entry_number = models.PositiveIntegerField(_("último número de asiento"), default=0, editable=False)

    class Meta:
        verbose_name = _("ejercicio")
        verbose_name_plural = _("ejercicios")
        ordering = ["-start_date"]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gt=models.F("start_date")),
                                              name="acc_fiscalyear_dates")]

    def __str__(self):
        return self.name


class Period(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("ejercicio"), on_delete=models.CASCADE,
                                    related_name="periods")
    number = models.PositiveSmallIntegerField(_("número"))
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    state = models.CharField(_("estado"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN)

    class Meta:
        verbose_name = _("periodo")
        verbose_name_plural = _("periodos")
        ordering = ["fiscal_year", "number"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "number"], name="acc_period_unique")]

    def __str__(self):
        return f"{self.fiscal_year} · {self.start_date:%m/%Y}"


class Journal(AuditedModel):
    code = models.CharField(_("código"), max_length=10, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    kind = models.CharField(_("tipo"), max_length=15, choices=JournalKind.choices, default=JournalKind.GENERAL)
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("diario")
        verbose_name_plural = _("diarios")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"
