"""The base RecordViewSet every domain uses: audited create, versioned update and delete."""
import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.audit.models import AuditEvent
from apps.core.api.viewsets import RecordViewSet
from apps.identity.models import ApiKey


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "user", "scopes", "version"]
        read_only_fields = ["version"]


class KeyViewSet(RecordViewSet):
    queryset = ApiKey.objects.order_by("pk")
    serializer_class = KeySerializer


@pytest.fixture
def call(admin_a):
    factory = APIRequestFactory(HTTP_HOST="alfa.test")

    def _call(method, action, data=None, pk=None, **headers):
        request = getattr(factory, method)("/api/v1/probe/", data, format="json", **headers)
        force_authenticate(request, user=admin_a)
        kwargs = {"pk": pk} if pk else {}
        return KeyViewSet.as_view({method: action})(request, **kwargs)

    return _call


def test_create_update_delete_are_audited_and_versioned(call, admin_a):
    created = call("post", "create", {"name": "ERP", "user": admin_a.pk, "scopes": ["read"]})
    assert created.status_code == 201 and created.data["version"] == 1
    pk = created.data["id"]
    updated = call("patch", "partial_update", {"name": "ERP central"}, pk=pk, HTTP_IF_MATCH="1")
    assert updated.status_code == 200 and updated.data["version"] == 2
    stale = call("patch", "partial_update", {"name": "otro"}, pk=pk, HTTP_IF_MATCH="1")
    assert stale.status_code == 409
    refused = call("delete", "destroy", pk=pk, HTTP_IF_MATCH="1")
    assert refused.status_code == 409 and ApiKey.objects.filter(pk=pk).exists()
    assert call("delete", "destroy", pk=pk, HTTP_IF_MATCH="2").status_code == 204
    actions = list(AuditEvent.objects.filter(object_id=str(pk), content_type__model="apikey")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
    assert AuditEvent.objects.filter(object_id=str(pk), content_type__model="apikey", action="update").get().changes == {"name": ["ERP", "ERP central"]}


def test_create_with_invalid_data_writes_nothing(call):
    before = (ApiKey.objects.count(), AuditEvent.objects.count())
    response = call("post", "create", {"name": "", "scopes": ["read"]})
    assert response.status_code == 400 and set(response.data["errors"]) >= {"name", "user"}
    assert (ApiKey.objects.count(), AuditEvent.objects.count()) == before
