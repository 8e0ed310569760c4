"""API of the collections area «collaborators». GET/POST collections/collaborators/, GET/PUT/PATCH
…/<id>/ (versioned: If-Match or `version`), through apps.collections.services.collaborators; the
detail lists the collaborator's shares. Commands: POST …/<id>/share/ {policy, share_pct} (refused
with 409 when the policy's shares would pass 100 %) and …/<id>/unshare/ {policy}."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.collections.api.receipts import params, require
from apps.collections.api.serializers_receipts import (
    CollaboratorDetailSerializer, CollaboratorSerializer, CommissionShareSerializer, ShareRemoveSerializer,
    ShareSetSerializer,
)
from apps.collections.filtersets import CollaboratorFilterSet
from apps.collections.models import Collaborator, CommissionShare
from apps.collections.services.collaborators import collaborator_create, collaborator_update, share_remove, share_set
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet, expected_version
from apps.insurance.selectors_policies import policies_for


class CollaboratorViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """External auxiliaries, co-brokers and referrers who share the broker's commission."""

    queryset = Collaborator.objects.select_related("party")
    filterset_class = CollaboratorFilterSet
    search_fields = ["code", "party__display_name", "party__tax_id"]
    ordering_fields = ["code", "created_at"]
    ordering = ["code"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("shares__policy")
        return queryset

    def get_serializer_class(self):
        return CollaboratorDetailSerializer if self.action == "retrieve" else CollaboratorSerializer

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = collaborator_create(actor=self.request.user, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = collaborator_update(actor=self.request.user, collaborator=serializer.instance,
                                                  data=dict(serializer.validated_data),
                                                  expected_version=expected_version(self.request))

    def _policy(self, request, serializer_class):
        data = params(serializer_class, request)
        if not policies_for(request.user).filter(pk=data["policy"].pk).exists():
            raise NotFound()
        return data

    @extend_schema(request=ShareSetSerializer, responses={200: CommissionShareSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Sets the collaborator's % of a policy's commission (at most 100 % among all shares)."""
        require(request, "collections.change_commissionshare")
        collaborator = self.get_object()
        data = self._policy(request, ShareSetSerializer)
        share = share_set(actor=request.user, policy=data["policy"], collaborator=collaborator, pct=data["share_pct"])
        share = CommissionShare.objects.select_related("policy").get(pk=share.pk)
        return Response(CommissionShareSerializer(share).data, status=status.HTTP_200_OK)

    @extend_schema(request=ShareRemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk=None):
        require(request, "collections.change_commissionshare")
        collaborator = self.get_object()
        data = self._policy(request, ShareRemoveSerializer)
        share_remove(actor=request.user, policy=data["policy"], collaborator=collaborator)
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("collections/collaborators", CollaboratorViewSet, "collections-collaborator"),
]
