"""Continuing training of the people who distribute insurance (LDS): courses, hours and the yearly
hours each distribution level requires."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.hr.choices import DistributionRole, TrainingModality

HOURS = {"max_digits": 6, "decimal_places": 2}


class TrainingRequirement(models.Model):
    level = models.CharField(_("nivel"), max_length=10, choices=DistributionRole.choices, unique=True)
    yearly_hours = models.DecimalField(_("horas anuales exigidas"), **HOURS)

    class Meta:
        verbose_name = _("formación exigida")
        verbose_name_plural = _("formación exigida por nivel")
        ordering = ["level"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.yearly_hours} h"


class TrainingCourse(AuditedModel):
    title = models.CharField(_("curso"), max_length=200)
    provider = models.CharField(_("entidad formadora"), max_length=200)
    hours = models.DecimalField(_("horas"), **HOURS)
    modality = models.CharField(_("modalidad"), max_length=8, choices=TrainingModality.choices,
                                default=TrainingModality.ONLINE)
    counts_for_distribution = models.BooleanField(_("computa como formación de distribución (LDS)"), default=True)
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("curso de formación")
        verbose_name_plural = _("cursos de formación")
        ordering = ["-start_date", "title"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="hr_course_hours_positive")]

    def __str__(self):
        return self.title


class TrainingRecord(models.Model):
    employee = models.ForeignKey("hr.Employee", verbose_name=_("empleado"), on_delete=models.PROTECT,
                                 related_name="training_records")
    course = models.ForeignKey(TrainingCourse, verbose_name=_("curso"), on_delete=models.PROTECT,
                               related_name="records")
    completed_on = models.DateField(_("finalizado el"))
    hours = models.DecimalField(_("horas acreditadas"), **HOURS)
    certificate = models.ForeignKey("hr.EmployeeDocument", verbose_name=_("certificado"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("formación realizada")
        verbose_name_plural = _("formación realizada")
        ordering = ["employee", "-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "course"], name="hr_training_record_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hr_training_hours_positive"),
        ]
