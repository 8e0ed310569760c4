from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.notifications.api.serializers import NotificationPreferencesSerializer, NotificationSerializer
from apps.notifications.models import Notification
from apps.notifications.services.notifications import notifications_mark_read
from apps.notifications.services.preferences import preferences_for, preferences_update


def _as_data(preferences: dict) -> dict:
    return {kind: channels.as_dict() for kind, channels in preferences.items()}


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("unread", OpenApiTypes.BOOL, description="Sólo las notificaciones sin leer.")]))
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications (nobody reads another person's); ?unread=true only the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind"]
    ordering_fields = ["created_at"]
    queryset = Notification.objects.none()

    def get_queryset(self):
        query = Notification.objects.in_app().filter(recipient=self.request.user).order_by("-created_at")
        if self.request.query_params.get("unread") in ("1", "true"):
            query = query.filter(read_at__isnull=True)
        return query

    @extend_schema(request=None)
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ids = request.data.get("ids") if isinstance(request.data, dict) else None
        return Response({"marked": notifications_mark_read(actor=request.user, ids=ids)})

    @extend_schema(methods=["GET"], request=None, responses=NotificationPreferencesSerializer)
    @extend_schema(methods=["PUT"], request=NotificationPreferencesSerializer, responses=NotificationPreferencesSerializer)
    @action(detail=False, methods=["get", "put"], url_path="preferences", pagination_class=None, filter_backends=[])
    def preferences(self, request):
        """The caller's channel per kind of notification; PUT saves them (kinds or flags left out keep theirs)."""
        if request.method == "PUT":
            return Response(_as_data(preferences_update(actor=request.user, data=request.data)))
        return Response(_as_data(preferences_for(request.user)))
