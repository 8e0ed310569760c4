"""API of the collections area «settlements». GET collections/settlements/ lists (filters insurer,
state, period_from, period_to; ?ordering=); GET …/<id>/ returns the settlement with its lines per
receipt; POST …/preview/ {insurer, period_start, period_end} returns what closing would take
(nothing written); POST …/close/ {…, date} closes and posts it (201); POST …/<id>/pay/ {date}
records the payment; GET …/<id>/pdf/ is the statement. collections/collaborator-settlements/ the
same for collaborators. Errors are 400/409 problem bodies. Settlements span every client: roles
that see only their own clients' collections get 403. ROUTES are registered by navigation."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.collections.api.serializers_settlements import (
    CollaboratorDraftSerializer, CollaboratorPeriodSerializer, CollaboratorSettlementListSerializer,
    CollaboratorSettlementSerializer, DraftSerializer, PaidSerializer, SettlementListSerializer,
    SettlementPeriodSerializer, SettlementSerializer,
)
from apps.collections.forms.settlements import CollaboratorSettlementFilterSet, SettlementFilterSet
from apps.collections.selectors_settlements import (
    collaborator_settlement_lines, collaborator_settlement_list_queryset, settlement_lines, settlement_list_queryset,
    settlement_pdf, settlement_pdf_filename,
)
from apps.collections.services.collaborator_settlements import (
    collaborator_settlement_close, collaborator_settlement_mark_paid, collaborator_settlement_preview,
)
from apps.collections.services.settlements import settlement_close, settlement_mark_paid, settlement_preview
from apps.core.api.viewsets import ReadOnlyRecordViewSet


class _SettlementViewSet(ReadOnlyRecordViewSet):
    owner: str = ""
    list_serializer = detail_serializer = draft_serializer = period_serializer = None
    ordering_fields = ["period_start", "period_end", "date", "amount_due", "commission_total", "number"]
    ordering = ["-period_end", "-pk"]

    def get_queryset(self):
        from apps.identity.services.roles import user_own_only_modules

        if "collections" in user_own_only_modules(self.request.user):
            raise PermissionDenied(_("Las liquidaciones abarcan a todos los clientes: su rol no permite verlas."))
        return super().get_queryset()

    def get_serializer_class(self):
        return self.list_serializer if self.action == "list" else self.detail_serializer

    @staticmethod
    def lines_of(obj):
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        obj.lines = self.lines_of(obj)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data)

    def _read(self, obj, status_code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        obj.lines = self.lines_of(obj)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=status_code)

    def _require(self, *perms: str):
        if not all(self.request.user.has_perm(perm) for perm in perms):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    def _period(self) -> dict:
        params = self.period_serializer(data=self.request.data)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    def _preview(self, service):
        self.get_queryset()  # own-only check
        data = self._period()
        data.pop("date", None)
        return Response(self.draft_serializer(service(**data)).data)

    def _close(self, service):
        self.get_queryset()
        data = self._period()
        data.setdefault("date", data["period_end"])
        return self._read(service(actor=self.request.user, **data), status.HTTP_201_CREATED)

    def _pay(self, service):
        self._require(f"collections.change_{self.queryset.model._meta.model_name}")
        params = PaidSerializer(data=self.request.data)
        params.is_valid(raise_exception=True)
        return self._read(service(actor=self.request.user, settlement=self.get_object(),
                                  date=params.validated_data["date"]))

    def _pdf(self):
        obj = self.get_object()
        response = HttpResponse(settlement_pdf(obj), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{settlement_pdf_filename(obj)}"'
        return response


class SettlementViewSet(_SettlementViewSet):
    """Settlements with insurers (liquidaciones): each takes the insurer's unsettled receipt and
    commission movements up to its period end, once."""

    queryset = settlement_list_queryset()
    filterset_class = SettlementFilterSet
    list_serializer, detail_serializer = SettlementListSerializer, SettlementSerializer
    draft_serializer, period_serializer = DraftSerializer, SettlementPeriodSerializer
    lines_of = staticmethod(settlement_lines)

    @extend_schema(request=SettlementPeriodSerializer, responses={200: DraftSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """What closing would take and the figures; nothing is written."""
        return self._preview(settlement_preview)

    @extend_schema(request=SettlementPeriodSerializer, responses={201: SettlementSerializer})
    @action(detail=False, methods=["post"])
    def close(self, request):
        """Closes and posts the settlement (commission invoice + entry); 409 for a period already settled."""
        return self._close(settlement_close)

    @extend_schema(request=PaidSerializer, responses={200: SettlementSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._pay(settlement_mark_paid)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return self._pdf()


class CollaboratorSettlementViewSet(_SettlementViewSet):
    """Settlements with collaborators: their commission shares, IRPF withheld, amount to pay."""

    queryset = collaborator_settlement_list_queryset()
    filterset_class = CollaboratorSettlementFilterSet
    list_serializer, detail_serializer = CollaboratorSettlementListSerializer, CollaboratorSettlementSerializer
    draft_serializer, period_serializer = CollaboratorDraftSerializer, CollaboratorPeriodSerializer
    lines_of = staticmethod(collaborator_settlement_lines)

    @extend_schema(request=CollaboratorPeriodSerializer, responses={200: CollaboratorDraftSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        return self._preview(collaborator_settlement_preview)

    @extend_schema(request=CollaboratorPeriodSerializer, responses={201: CollaboratorSettlementSerializer})
    @action(detail=False, methods=["post"])
    def close(self, request):
        return self._close(collaborator_settlement_close)

    @extend_schema(request=PaidSerializer, responses={200: CollaboratorSettlementSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._pay(collaborator_settlement_mark_paid)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return self._pdf()


ROUTES = [
    ("collections/settlements", SettlementViewSet, "collections-settlement"),
    ("collections/collaborator-settlements", CollaboratorSettlementViewSet, "collections-collaborator-settlement"),
]
