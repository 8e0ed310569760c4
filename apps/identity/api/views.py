from django.contrib.auth.models import Group
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet, RecordUpdateMixin
from apps.identity.api.serializers import (
    ApiKeySerializer, RoleSerializer, TenantTokenObtainSerializer, TenantTokenRefreshSerializer, UserSerializer,
)
from apps.identity.models import ApiKey, User
from apps.identity.services.api_keys import api_key_issue, api_key_revoke
from django.utils.translation import gettext as _


class TokenObtainView(TokenObtainPairView):
    """Obtain an access/refresh JWT pair for this brokerage with e-mail and password."""

    serializer_class = TenantTokenObtainSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


class TenantTokenRefreshView(TokenRefreshView):
    serializer_class = TenantTokenRefreshSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


class UserViewSet(RecordUpdateMixin, ReadOnlyRecordViewSet):
    """Staff users. Profile fields can be changed (send If-Match: <version>); people are
    invited from the staff pages, which e-mail them a link to choose a password."""

    http_method_names = ["get", "patch", "put", "head", "options"]
    queryset = User.objects.prefetch_related("groups").order_by("first_name", "last_name")
    serializer_class = UserSerializer
    filterset_fields = ["is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["email", "first_name", "last_name", "date_joined"]

    @action(detail=False, permission_classes=[], url_path="me")
    def me(self, request):
        if not request.user.is_authenticated:
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        return Response(self.get_serializer(request.user).data)


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Group.objects.select_related("role").order_by("name")
    serializer_class = RoleSerializer
    search_fields = ["name"]
    ordering_fields = ["name"]


class ApiKeyViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Keys for integrators. The secret appears once, in the create response."""

    queryset = ApiKey.objects.select_related("user").order_by("-created_at")
    serializer_class = ApiKeySerializer
    filterset_fields = ["user"]
    search_fields = ["name", "prefix"]
    ordering_fields = ["created_at", "last_used_at"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        issued = api_key_issue(actor=request.user, user=data["user"], name=data["name"], scopes=data.get("scopes") or [],
                               expires_at=data.get("expires_at"))
        body = {**self.get_serializer(issued.api_key).data, "key": issued.plaintext}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        if not request.user.has_perm("identity.change_apikey"):
            raise PermissionDenied(_("Su rol no permite revocar claves de API."))
        key = api_key_revoke(actor=request.user, api_key=self.get_object())
        return Response(self.get_serializer(key).data)
