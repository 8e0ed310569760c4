"""Predictive models of a brokerage (one schema each, so versions are per tenant): each training stores a
ModelVersion (kind, version number, metrics, features and the fitted model as joblib bytes) and the scores
it gave (Score: one per scored record, generic target, 0-1 score and the reasons in Spanish)."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.predictive.choices import ModelKind


class ModelVersion(models.Model):
    kind = models.CharField(_("tipo"), max_length=10, choices=ModelKind.choices)
    version = models.PositiveIntegerField(_("versión"))
    trained_at = models.DateTimeField(_("entrenado el"))
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entrenado por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    algorithm = models.CharField(_("algoritmo"), max_length=80)
    training_rows = models.PositiveIntegerField(_("filas de entrenamiento"), default=0)
    metrics = models.JSONField(_("métricas"), default=dict, blank=True)
    features = models.JSONField(_("variables"), default=list, blank=True)
    params = models.JSONField(_("parámetros"), default=dict, blank=True)
    fitted_model = models.BinaryField(_("modelo ajustado (joblib)"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("activo"), default=True,
                                    help_text=_("La última versión de cada tipo es la que puntúa."))

    class Meta:
        verbose_name = _("versión de modelo")
        verbose_name_plural = _("versiones de modelos")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="predictive_model_version_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class Score(models.Model):
    model_version = models.ForeignKey(ModelVersion, verbose_name=_("versión de modelo"), on_delete=models.CASCADE,
                                      related_name="scores")
    kind = models.CharField(_("tipo"), max_length=10, choices=ModelKind.choices)  # copied for the lists
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("id del registro"))
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("registro"), max_length=200, blank=True)
    score = models.FloatField(_("puntuación"))
    reasons = models.JSONField(_("motivos"), default=list, blank=True)
    scored_at = models.DateTimeField(_("puntuado el"))

    class Meta:
        verbose_name = _("puntuación")
        verbose_name_plural = _("puntuaciones")
        ordering = ["-score", "pk"]
        permissions = [("view_churn_score", _("Puede ver el riesgo de no renovación")),
                       ("view_fraud_score", _("Puede ver los indicios de fraude")),
                       ("view_anomaly_score", _("Puede ver las anomalías contables"))]
        constraints = [models.UniqueConstraint(fields=["model_version", "content_type", "object_id"],
                                               name="predictive_score_unique")]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-scored_at"], name="predictive_score_target_idx"),
            models.Index(fields=["model_version", "-score"], name="predictive_score_rank_idx"),
        ]

    def __str__(self):
        return f"{self.target_label or self.object_id}: {self.score:.2f}"
