"""API of the GDPR side. compliance/activities/ (CRUD of the register, versioned and audited);
compliance/retention-rules/ (read) and …/preview/ (what would be anonymised or deleted today);
compliance/retention-runs/ (the log); compliance/legal-holds/ (list, POST {record, object_id, reason, until},
POST …/{id}/release/); compliance/requests/ (data subject requests: list ?state=&kind=, POST creates, and
POST …/{id}/start|extend|export|rectify|erase|close/). Refusals are problem bodies (400/409)."""
from django.apps import apps
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from apps.compliance.api.serializers import (
    CloseSerializer, DataSubjectRequestCreateSerializer, DataSubjectRequestSerializer, LegalHoldCreateSerializer,
    LegalHoldSerializer, NotesSerializer, ProcessingActivitySerializer, ReasonSerializer, RetentionRuleSerializer,
    RetentionRunSerializer,
)
from apps.compliance.models import DataSubjectRequest, LegalHold, ProcessingActivity, RetentionRule, RetentionRun
from apps.compliance.services.holds import legal_hold_place, legal_hold_release
from apps.compliance.services.requests import (
    dsr_close, dsr_create, dsr_erase, dsr_export, dsr_extend, dsr_rectify, dsr_start,
)
from apps.compliance.services.retention import retention_preview
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet, RecordViewSet


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Su rol no permite esta operación."))


class ProcessingActivityViewSet(RecordViewSet):
    """The register of processing activities (art. 30 RGPD)."""

    queryset = ProcessingActivity.objects.all()
    serializer_class = ProcessingActivitySerializer
    filterset_fields = ["legal_basis", "special_categories", "is_active"]
    search_fields = ["name", "code", "purpose"]
    ordering = ["order", "name"]


class RetentionRuleViewSet(ReadOnlyRecordViewSet):
    queryset = RetentionRule.objects.all()
    serializer_class = RetentionRuleSerializer
    ordering = ["record_type"]

    @action(detail=False, methods=["get"])
    def preview(self, request):
        rows = retention_preview(sample=20)
        return Response([{"record_type": row["rule"].record_type, "action": row["rule"].action,
                          "cutoff": row["cutoff"], "expired": row["count"], "held": row["held"],
                          "sample": [{"id": obj.pk, "label": str(obj)} for obj, _kind in row["sample"]]}
                         for row in rows])


class RetentionRunViewSet(ReadOnlyRecordViewSet):
    queryset = RetentionRun.objects.all()
    serializer_class = RetentionRunSerializer
    filterset_fields = ["state", "trigger"]
    ordering = ["-started_at", "-pk"]


class LegalHoldViewSet(ReadOnlyRecordViewSet):
    queryset = LegalHold.objects.select_related("content_type")
    serializer_class = LegalHoldSerializer
    ordering = ["-created_at", "-pk"]

    @extend_schema(request=LegalHoldCreateSerializer, responses={201: LegalHoldSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        _require(request, "compliance.add_legalhold")
        params = LegalHoldCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        model = apps.get_model(data["record"])
        target = getattr(model, "all_objects", model._default_manager).filter(pk=data["object_id"]).first()
        if target is None:
            raise NotFound(_("No existe ese registro."))
        hold = legal_hold_place(actor=request.user, target=target, reason=data["reason"], until=data["until"])
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: LegalHoldSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        _require(request, "compliance.change_legalhold")
        return Response(LegalHoldSerializer(legal_hold_release(actor=request.user, hold=self.get_object())).data)


class DataSubjectRequestViewSet(ReadOnlyRecordViewSet):
    """Data subject requests: one month from reception (+2 with a reason, art. 12.3 RGPD)."""

    queryset = DataSubjectRequest.objects.select_related("party")
    serializer_class = DataSubjectRequestSerializer
    filterset_fields = ["state", "kind", "party", "handler"]
    search_fields = ["number", "party__display_name"]
    ordering_fields = ["received_on", "deadline"]
    ordering = ["-received_on", "-pk"]

    def _done(self, case, code=status.HTTP_200_OK):
        return Response(DataSubjectRequestSerializer(self.get_queryset().get(pk=case.pk)).data, status=code)

    @extend_schema(request=DataSubjectRequestCreateSerializer, responses={201: DataSubjectRequestSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        _require(request, "compliance.add_datasubjectrequest")
        params = DataSubjectRequestCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._done(dsr_create(actor=request.user, **params.validated_data), status.HTTP_201_CREATED)

    def _command(self, request, call, serializer=None):
        _require(request, "compliance.change_datasubjectrequest")
        data = {}
        if serializer is not None:
            params = serializer(data=request.data)
            params.is_valid(raise_exception=True)
            data = params.validated_data
        case = self.get_object()
        call(case, data)
        return self._done(case)

    @extend_schema(request=None, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._command(request, lambda case, data: dsr_start(actor=request.user, request=case))

    @extend_schema(request=ReasonSerializer, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._command(request, lambda case, data: dsr_extend(actor=request.user, request=case,
                                                                    reason=data["reason"]), ReasonSerializer)

    @extend_schema(request=None, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        return self._command(request, lambda case, data: dsr_export(actor=request.user, request=case))

    @extend_schema(request=NotesSerializer, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        return self._command(request, lambda case, data: dsr_rectify(actor=request.user, request=case,
                                                                     notes=data["notes"]), NotesSerializer)

    @extend_schema(request=None, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        _require(request, "crm.change_party")
        return self._command(request, lambda case, data: dsr_erase(actor=request.user, request=case))

    @extend_schema(request=CloseSerializer, responses={200: DataSubjectRequestSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._command(request, lambda case, data: dsr_close(actor=request.user, request=case, **data),
                             CloseSerializer)


ROUTES = [
    ("compliance/activities", ProcessingActivityViewSet, "compliance-activity"),
    ("compliance/retention-rules", RetentionRuleViewSet, "compliance-retention-rule"),
    ("compliance/retention-runs", RetentionRunViewSet, "compliance-retention-run"),
    ("compliance/legal-holds", LegalHoldViewSet, "compliance-legal-hold"),
    ("compliance/requests", DataSubjectRequestViewSet, "compliance-request"),
]
