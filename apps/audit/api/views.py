from apps.audit.api.serializers import AuditEventSerializer
from apps.audit.models import AuditEvent
from apps.core.api.viewsets import ReadOnlyRecordViewSet


class AuditEventViewSet(ReadOnlyRecordViewSet):
    queryset = AuditEvent.objects.select_related("content_type").order_by("-id")
    serializer_class = AuditEventSerializer
    filterset_fields = ["action", "actor_id", "object_id", "request_id"]
    search_fields = ["actor_label", "object_repr"]
    ordering_fields = ["id", "timestamp"]
