"""Public holidays: national for everyone, regional for the work centres of a region, local for one centre."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.hr.choices import HolidayScope


class Holiday(models.Model):
    date = models.DateField(_("fecha"))
    name = models.CharField(_("festividad"), max_length=120)
    scope = models.CharField(_("ámbito"), max_length=8, choices=HolidayScope.choices)
    region = models.CharField(_("comunidad autónoma"), max_length=2, blank=True,
                              help_text=_("Código INE; solo en los autonómicos."))
    work_centre = models.ForeignKey("hr.WorkCentre", verbose_name=_("centro de trabajo"), null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="holidays",
                                    help_text=_("Solo en los locales."))

    class Meta:
        verbose_name = _("festivo")
        verbose_name_plural = _("festivos")
        ordering = ["date", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope", "region", "work_centre"], name="hr_holiday_unique",
                                    nulls_distinct=False),
            models.CheckConstraint(name="hr_holiday_scope_fields", condition=(
                Q(scope="national", region="", work_centre__isnull=True)
                | Q(scope="regional", work_centre__isnull=True) & ~Q(region="")
                | Q(scope="local", work_centre__isnull=False))),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
