from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    CHURN = "churn", _("Abandono en la renovación")
    ANOMALY = "anomaly", _("Anomalías en asientos")
    FRAUD = "fraud", _("Indicios de fraude en siniestros")


# The record each kind scores ("app_label.model") and the permission that, with predictive.view_score,
# shows its scores: granted explicitly per role in apps/identity/roles.py (Dirección all; Comercial churn;
# Siniestros fraud; Contabilidad anomalies).
TARGET_MODEL = {
    ModelKind.CHURN: "insurance.policy",
    ModelKind.ANOMALY: "accounting.entry",
    ModelKind.FRAUD: "claims.claim",
}
KIND_PERMISSION = {
    ModelKind.CHURN: "predictive.view_churn_score",
    ModelKind.ANOMALY: "predictive.view_anomaly_score",
    ModelKind.FRAUD: "predictive.view_fraud_score",
}
