from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet, expected_version
from apps.crm.api.serializers import (
    ActivitySerializer, CampaignSerializer, ConsentSerializer, LeadSerializer, OpportunityCloseSerializer,
    OpportunityMoveSerializer, OpportunitySerializer, PartyListSerializer, PartySerializer, RelationSerializer, SegmentSerializer,
)
from apps.crm.models import Activity, Campaign, Consent, Lead, Opportunity, Party, PartyRelation, Segment
from apps.crm.services.activities import activity_complete, activity_create, activity_update
from apps.crm.services.parties import party_create, party_update
from apps.crm.services.pipeline import (
    lead_create, lead_update, opportunity_close, opportunity_create, opportunity_move, opportunity_update,
)


class PartyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """Clients and prospects. The list is light; one party carries contacts, addresses and accounts.
    Writes run the same validation, duplicate-tax-id check and audit as the staff pages; send
    `If-Match: <version>` on PUT/PATCH. Rows in lists: with "id" updates, with "delete": true removes."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    queryset = Party.objects.all()
    owner_field = "account_manager"
    filterset_fields = ["kind", "status", "account_manager", "preferred_language", "tags"]
    search_fields = ["display_name", "tax_id", "contacts__normalized"]
    ordering_fields = ["display_name", "created_at", "updated_at"]
    ordering = ["display_name"]

    def get_serializer_class(self):
        return PartyListSerializer if self.action == "list" else PartySerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("contacts", "addresses", "bank_accounts", "tags")
        return queryset

    @staticmethod
    def _split(validated: dict) -> tuple[dict, dict]:
        lists = {name: validated.pop(name) for name in ("addresses", "contacts", "bank_accounts", "tags") if name in validated}
        return validated, lists

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data, lists = self._split(dict(serializer.validated_data))
        data.setdefault("account_manager", self.request.user)
        serializer.instance = party_create(actor=self.request.user, data=data, **lists)

    def perform_update(self, serializer):
        data, lists = self._split(dict(serializer.validated_data))
        serializer.instance = party_update(actor=self.request.user, party=serializer.instance, data=data,
                                           expected_version=expected_version(self.request), **lists)


class RelationViewSet(ReadOnlyRecordViewSet):
    queryset = PartyRelation.objects.all()
    serializer_class = RelationSerializer
    filterset_fields = ["from_party", "to_party", "kind"]


class ConsentViewSet(ReadOnlyRecordViewSet):
    queryset = Consent.objects.all()
    serializer_class = ConsentSerializer
    filterset_fields = ["party", "purpose"]
    ordering_fields = ["granted_at"]


class ServiceWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update through the domain's services (`create_service`, `update_service`)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = update_service = None
    instance_arg = ""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(actor=self.request.user, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            actor=self.request.user, data=dict(serializer.validated_data),
            expected_version=expected_version(self.request), **{self.instance_arg: serializer.instance})


class LeadViewSet(ServiceWriteMixin, ReadOnlyRecordViewSet):
    create_service, update_service, instance_arg = staticmethod(lead_create), staticmethod(lead_update), "lead"
    queryset = Lead.objects.all()
    serializer_class = LeadSerializer
    owner_field = "owner"
    filterset_fields = ["status", "source", "owner", "campaign"]
    search_fields = ["name", "company", "email"]
    ordering_fields = ["created_at", "name"]


class OpportunityViewSet(ServiceWriteMixin, ReadOnlyRecordViewSet):
    """Stage changes are explicit: POST .../move/ {stage, position} and .../close/ {won, reason}."""

    create_service, update_service = staticmethod(opportunity_create), staticmethod(opportunity_update)
    instance_arg = "opportunity"
    queryset = Opportunity.objects.all()
    serializer_class = OpportunitySerializer
    owner_field = "owner"
    filterset_fields = ["stage", "line_of_business", "owner", "party"]
    search_fields = ["title"]
    ordering_fields = ["created_at", "close_date", "expected_premium"]

    @extend_schema(request=OpportunityMoveSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        params = OpportunityMoveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        opportunity = opportunity_move(actor=request.user, opportunity=self.get_object(),
                                       expected_version=expected_version(request), **params.validated_data)
        return Response(self.get_serializer(opportunity).data)

    @extend_schema(request=OpportunityCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        params = OpportunityCloseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        opportunity = opportunity_close(actor=request.user, opportunity=self.get_object(),
                                        expected_version=expected_version(request), **params.validated_data)
        return Response(self.get_serializer(opportunity).data)


class ActivityViewSet(ServiceWriteMixin, ReadOnlyRecordViewSet):
    create_service, update_service = staticmethod(activity_create), staticmethod(activity_update)
    instance_arg = "activity"
    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    owner_field = "owner"
    filterset_fields = ["kind", "owner", "party", "lead", "opportunity"]
    search_fields = ["subject"]
    ordering_fields = ["due_at", "created_at"]

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return Response(self.get_serializer(activity_complete(actor=request.user, activity=self.get_object())).data)


class SegmentViewSet(ReadOnlyRecordViewSet):
    queryset = Segment.objects.all()
    serializer_class = SegmentSerializer
    search_fields = ["name"]


class CampaignViewSet(ReadOnlyRecordViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_fields = ["status", "segment"]
    search_fields = ["name"]
