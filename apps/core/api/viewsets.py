"""The one base ViewSet: a model gets audited, versioned, idempotent endpoints by declaring
queryset, serializer_class and filterset_fields (or filterset_class)."""
from rest_framework import mixins, viewsets

from apps.core.api.idempotency import idempotent
from apps.core.permissions import visible_to
from apps.core.services.records import record_create, record_delete, record_update


def expected_version(request):
    """The version the client edited: If-Match header or a `version` field in the body."""
    value = request.META.get("HTTP_IF_MATCH", "").strip('"W/ ')
    if not value and isinstance(request.data, dict):
        value = request.data.get("version")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ReadOnlyRecordViewSet(viewsets.ReadOnlyModelViewSet):
    owner_field: str | None = None
    ordering = ["-pk"]

    def get_queryset(self):
        return visible_to(super().get_queryset(), self.request.user, self.owner_field)


class RecordUpdateMixin(mixins.UpdateModelMixin):
    """PUT/PATCH through record_update: versioned (If-Match or `version`) and audited."""

    def perform_update(self, serializer):
        serializer.instance = record_update(
            actor=self.request.user, instance=serializer.instance, data=dict(serializer.validated_data),
            expected_version=expected_version(self.request),
        )


class RecordViewSet(RecordUpdateMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadOnlyRecordViewSet):
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = record_create(
            actor=self.request.user, model=serializer.Meta.model, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        record_delete(actor=self.request.user, instance=instance, expected_version=expected_version(self.request))
