from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.jobs.choices import JobStatus


class JobRun(models.Model):
    """One background job as people see it: who started what, how far it got, how it ended."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_runs",
        verbose_name=_("usuario"),
    )
    task_name = models.CharField(_("tarea"), max_length=200)
    label = models.CharField(_("proceso"), max_length=200)
    params = models.JSONField(_("parámetros"), default=dict, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progreso (%)"), default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(_("mensaje"), max_length=300, blank=True)
    result = models.JSONField(_("resultado"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    celery_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("proceso")
        verbose_name_plural = _("procesos")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="jobs_progress_lte_100")]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def can_cancel(self):
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    def as_message(self) -> dict:
        return {
            "type": "job", "id": self.pk, "label": self.label, "status": self.status,
            "status_label": str(self.get_status_display()), "progress": self.progress, "message": self.message,
            "result": self.result, "error": self.error,
        }
