"""Saving a trained model as a new ModelVersion of its kind (joblib bytes in a BinaryField), storing the
scores it gives and reading them back."""
import io

import joblib
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.audit.choices import AuditAction
from apps.audit.services.chain import audit_event_record
from apps.predictive.models import ModelVersion, Score

BATCH = 2000


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def dump_model(fitted) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(fitted, buffer, compress=3)
    return buffer.getvalue()


def load_model(version: ModelVersion):
    if not version.fitted_model:
        return None
    return joblib.load(io.BytesIO(bytes(version.fitted_model)))


@transaction.atomic
def model_version_create(*, actor, kind: str, algorithm: str, metrics: dict, features: list, params: dict | None = None,
                         fitted=None, training_rows: int = 0) -> ModelVersion:
    """The next version of `kind` (the previous ones stop being active)."""
    ModelVersion.objects.select_for_update().filter(kind=kind).exists()
    last = ModelVersion.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
    ModelVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
    version = ModelVersion.objects.create(
        kind=kind, version=last + 1, trained_at=timezone.now(), trained_by=_actor(actor), algorithm=algorithm,
        training_rows=training_rows, metrics=metrics, features=features, params=params or {},
        fitted_model=dump_model(fitted) if fitted is not None else None)
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="model_trained", obj=version,
                       changes={"kind": kind, "version": version.version, "metrics": metrics,
                                "training_rows": training_rows})
    return version


@transaction.atomic
def scores_store(*, actor, version: ModelVersion, scored: list[tuple]) -> int:
    """`scored`: (record, score 0-1, reasons [str], label) tuples -> Score rows of `version` (replaces any)."""
    version.scores.all().delete()
    now = timezone.now()
    rows = []
    for obj, value, reasons, label in scored:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        rows.append(Score(model_version=version, kind=version.kind, content_type=ct, object_id=obj.pk,
                          target_label=str(label)[:200], score=round(float(value), 6), reasons=list(reasons),
                          scored_at=now))
    Score.objects.bulk_create(rows, batch_size=BATCH)
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="records_scored", obj=version,
                       changes={"scores": len(rows)})
    return len(rows)


def active_version(kind: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(kind=kind, is_active=True).order_by("-version").first()
