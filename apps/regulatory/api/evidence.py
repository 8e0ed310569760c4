"""API of the LDS evidence: GET/POST regulatory/evidence/ (filters policy, kind; POST through
services.evidence.evidence_record), GET …/<id>/; GET regulatory/compliance/ (the counts per duty and
the policies missing any, paginated; filters line (code), insurer, manager, date_from, date_to,
missing). A Comercial reads only its clients' policies."""
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.core.errors import DomainError
from apps.insurance.selectors_policies import policies_for
from apps.regulatory.api.serializers import DistributionEvidenceSerializer, EvidenceInputSerializer
from apps.regulatory.choices import EvidenceKind
from apps.regulatory.models import DistributionEvidence
from apps.regulatory.selectors_lds import ComplianceFilters, compliance_counts, flag, missing_policies
from apps.regulatory.services.evidence import evidence_record

OWNER = "policy__policyholder__account_manager"


class EvidenceViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Deliveries of the LDS duties per policy (IPID, pre-contract information, demands-and-needs test,
    remuneration disclosure)."""

    queryset = DistributionEvidence.objects.select_related("policy", "recorded_by")
    serializer_class = DistributionEvidenceSerializer
    filterset_fields = ["policy", "kind", "channel"]
    ordering_fields = ["delivered_at", "created_at"]
    ordering = ["-delivered_at", "-pk"]
    owner_field = OWNER

    def get_serializer_class(self):
        return EvidenceInputSerializer if self.action == "create" else DistributionEvidenceSerializer

    @extend_schema(request=EvidenceInputSerializer, responses={201: DistributionEvidenceSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        policy = policies_for(request.user).filter(pk=values.pop("policy").pk).first()
        if policy is None:
            raise serializers.ValidationError({"policy": ["No existe la póliza."]})
        document_id = values.pop("document")
        document = None
        if document_id:
            from apps.documents.models import Document

            document = Document.objects.filter(pk=document_id).first()
            if document is None:
                raise serializers.ValidationError({"document": ["No existe el documento."]})
        evidence = evidence_record(actor=request.user, policy=policy, document=document, **values)
        return Response(DistributionEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class ComplianceQuerySerializer(serializers.Serializer):
    line = serializers.CharField(required=False)
    insurer = serializers.IntegerField(required=False)
    manager = serializers.IntegerField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    missing = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)


class ComplianceViewSet(viewsets.ViewSet):
    """The LDS compliance dashboard: counts per duty and the policies missing any of them."""

    queryset = DistributionEvidence.objects.none()  # the permission class reads the model from here

    @extend_schema(summary="Obligaciones LDS pendientes", responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter(name, OpenApiTypes.STR) for name in ("line", "insurer", "manager", "date_from", "date_to",
                                                               "missing")])
    def list(self, request):
        from apps.identity.models import User
        from apps.insurance.models import Insurer, Line

        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = ComplianceFilters(
            line=Line.objects.filter(code=data["line"]).first() if data.get("line") else None,
            insurer=Insurer.objects.filter(pk=data["insurer"]).first() if data.get("insurer") else None,
            manager=User.objects.filter(pk=data["manager"]).first() if data.get("manager") else None,
            date_from=data.get("date_from"), date_to=data.get("date_to"), missing=data.get("missing", ""))
        policies = missing_policies(request.user, filters)
        paginator = self.paginator_class()
        page = paginator.paginate_queryset(policies, request, view=self)
        results = [{"policy": p.pk, "number": p.number, "insurer": p.insurer.name, "line": p.line.code,
                    "policyholder": str(p.policyholder), "manager": p.manager_email or "",
                    "start_date": p.start_date, "state": p.state,
                    "missing": [kind.value for kind in EvidenceKind if not getattr(p, flag(kind))]} for p in page]
        response = paginator.get_paginated_response(results)
        response.data["counts"] = compliance_counts(request.user, filters)
        for item in response.data["counts"]["by_kind"]:
            item["label"] = str(item["label"])
        return response

    @property
    def paginator_class(self):
        from apps.core.api.pagination import StandardPagination

        return StandardPagination


ROUTES = [
    ("regulatory/evidence", EvidenceViewSet, "regulatory-evidence"),
    ("regulatory/compliance", ComplianceViewSet, "regulatory-compliance"),
]
