"""API of the customer service. GET compliance/complaints/ (?state=, ?kind=, ?overdue=1, ?search=), POST creates
(the deadline is computed), POST …/{id}/start/ and …/{id}/resolve/ (outcome, resolution, …); GET
…/report/?year=2026 is the yearly report (art. 17 Orden ECO/734/2004) as JSON."""
import dataclasses

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.compliance.api.serializers import ComplaintCreateSerializer, ComplaintSerializer, ResolveSerializer
from apps.compliance.models import Complaint
from apps.compliance.selectors import complaints_overdue, complaints_yearly_report
from apps.compliance.services.complaints import complaint_create, complaint_resolve, complaint_start
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet

CHANGE = "compliance.change_complaint"


class ComplaintViewSet(ReadOnlyRecordViewSet):
    """Complaints and claims to the customer service (Orden ECO/734/2004)."""

    queryset = Complaint.objects.select_related("party")
    serializer_class = ComplaintSerializer
    filterset_fields = ["state", "kind", "reason", "outcome", "party", "handler"]
    search_fields = ["number", "party__display_name"]
    ordering_fields = ["received_on", "deadline", "resolved_on"]
    ordering = ["-received_on", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("overdue") in ("1", "true"):
            queryset = complaints_overdue(queryset=queryset)
        return queryset

    def _done(self, complaint, code=status.HTTP_200_OK):
        return Response(ComplaintSerializer(Complaint.objects.select_related("party").get(pk=complaint.pk)).data,
                        status=code)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("compliance.add_complaint"):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        params = ComplaintCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._done(complaint_create(actor=request.user, **params.validated_data), status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        return self._done(complaint_start(actor=request.user, complaint=self.get_object()))

    @extend_schema(request=ResolveSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        params = ResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._done(complaint_resolve(actor=request.user, complaint=self.get_object(), **params.validated_data))

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: dict})
    @action(detail=False, methods=["get"])
    def report(self, request):
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year - 1)
        except ValueError:
            year = timezone.localdate().year - 1
        report = complaints_yearly_report(year)
        return Response({**dataclasses.asdict(report), "favourable": report.favourable})


ROUTES = [("compliance/complaints", ComplaintViewSet, "compliance-complaint")]
