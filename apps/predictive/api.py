"""API (read only): GET predictive/scores/?kind=churn|fraud|anomaly lists the active version's scores of the
records the user may see, highest first (?object_id= for one record); GET predictive/models/ lists the model
versions with their metrics (never the fitted bytes)."""
from rest_framework import serializers, viewsets

from apps.predictive.models import ModelVersion, Score
from apps.predictive.selectors import kinds_for, visible_targets


class ScoreSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="model_version.version", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "kind", "version", "object_id", "target_label", "score", "reasons", "scored_at"]


class ModelVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelVersion
        fields = ["id", "kind", "version", "trained_at", "algorithm", "training_rows", "metrics", "features",
                  "params", "is_active"]


class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScoreSerializer
    queryset = Score.objects.all()
    filterset_fields = ["kind", "object_id"]
    ordering_fields = ["score", "scored_at"]
    ordering = ["-score", "pk"]

    def get_queryset(self):
        kinds = kinds_for(self.request.user)
        queryset = Score.objects.none()
        for kind in kinds:
            queryset = queryset | Score.objects.filter(kind=kind, model_version__is_active=True,
                                                       object_id__in=visible_targets(kind, self.request.user))
        return queryset.select_related("model_version")


class ModelVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.defer("fitted_model")
    filterset_fields = ["kind", "is_active"]
    ordering = ["kind", "-version"]


ROUTES = [
    ("predictive/scores", ScoreViewSet, "predictive-score"),
    ("predictive/models", ModelVersionViewSet, "predictive-model"),
]
