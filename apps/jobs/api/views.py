from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.jobs.api.serializers import JobRunSerializer
from apps.jobs.models import JobRun


class JobRunViewSet(ReadOnlyRecordViewSet):
    queryset = JobRun.objects.order_by("-created_at")
    serializer_class = JobRunSerializer
    owner_field = "user"
    filterset_fields = ["status", "user"]
    search_fields = ["label"]
    ordering_fields = ["created_at", "finished_at", "progress"]
