"""API of the collections area «receipts». GET collections/receipts/ lists with the page's filters
(state, due_from, due_to, insurer, line=code, collector, policy=number prefix, policyholder; ?search=,
?ordering=); GET …/totals/ gives the filtered set's totals; GET …/<id>/ returns the receipt with its
movements and commission rows. Commands: POST …/<id>/collect/, …/return/, …/cancel/, each one call
to apps.collections.services.receipts (Idempotency-Key honoured: a retried collection is not
collected twice). Errors are 400/409 problem bodies. A Comercial sees only its clients' receipts.
GET collections/commission-movements/ is the commission ledger, read-only."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.collections.api.serializers_receipts import (
    CommissionMovementSerializer, ReceiptCancelSerializer, ReceiptCollectSerializer, ReceiptListSerializer,
    ReceiptReturnSerializer, ReceiptSerializer, ReceiptTotalsSerializer,
)
from apps.collections.filtersets import CommissionMovementFilterSet, ReceiptFilterSet
from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.collections.selectors_pages import MOVEMENT_OWNER_FIELD, RECEIPT_OWNER_FIELD, receipt_totals
from apps.collections.services.receipts import receipt_cancel, receipt_collect, receipt_return
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet


def require(request, *perms: str) -> None:
    if not all(request.user.has_perm(perm) for perm in perms):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def params(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReceiptViewSet(ReadOnlyRecordViewSet):
    """Receipts (recibos): one per policy and period, plus endorsement and refund receipts."""

    queryset = Receipt.objects.select_related("policy", "insurer", "line", "policyholder")
    owner_field = RECEIPT_OWNER_FIELD
    filterset_class = ReceiptFilterSet
    search_fields = ["number", "insurer_number", "policyholder__display_name", "policyholder__tax_id"]
    ordering_fields = ["due_date", "number", "total_premium", "collected_amount", "commission_amount", "state"]
    ordering = ["-due_date", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action not in ("list", "totals"):
            queryset = queryset.prefetch_related(
                Prefetch("movements", queryset=ReceiptMovement.objects.order_by("date", "pk")),
                Prefetch("commission_movements", queryset=CommissionMovement.objects.select_related(
                    "collaborator", "policy", "receipt").order_by("date", "pk")))
        return queryset

    def get_serializer_class(self):
        return ReceiptListSerializer if self.action == "list" else ReceiptSerializer

    def _read(self, receipt):
        receipt = self.get_queryset().get(pk=receipt.pk)
        return Response(ReceiptSerializer(receipt, context=self.get_serializer_context()).data,
                        status=status.HTTP_200_OK)

    @extend_schema(responses={200: ReceiptTotalsSerializer})
    @action(detail=False, methods=["get"])
    def totals(self, request):
        """Totals of the receipts the filters select: premium, outstanding, collected, commission."""
        totals = receipt_totals(self.filter_queryset(self.get_queryset()))
        return Response(ReceiptTotalsSerializer(totals).data)

    @extend_schema(request=ReceiptCollectSerializer, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def collect(self, request, pk=None):
        """Collects the receipt (amount empty: what is outstanding; less: a partial collection)."""
        require(request, "collections.change_receipt")
        receipt = self.get_object()
        data = params(ReceiptCollectSerializer, request)
        return self._read(receipt_collect(actor=request.user, receipt=receipt, **data))

    @extend_schema(request=ReceiptReturnSerializer, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    @idempotent
    def return_receipt(self, request, pk=None):
        """A returned debit (devolución): reverses the collection, its entry and its commission."""
        require(request, "collections.change_receipt")
        receipt = self.get_object()
        data = params(ReceiptReturnSerializer, request)
        return self._read(receipt_return(actor=request.user, receipt=receipt, **data))

    @extend_schema(request=ReceiptCancelSerializer, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        """Only issued or returned receipts; a collected one is returned first."""
        require(request, "collections.change_receipt")
        receipt = self.get_object()
        data = params(ReceiptCancelSerializer, request)
        return self._read(receipt_cancel(actor=request.user, receipt=receipt, **data))


class CommissionMovementViewSet(ReadOnlyRecordViewSet):
    """The commission ledger: broker rows and collaborators' shares; never edited (reversals are rows)."""

    queryset = CommissionMovement.objects.select_related("collaborator", "policy", "receipt")
    serializer_class = CommissionMovementSerializer
    owner_field = MOVEMENT_OWNER_FIELD
    filterset_class = CommissionMovementFilterSet
    ordering_fields = ["date", "amount"]
    ordering = ["-date", "-pk"]


ROUTES = [
    ("collections/receipts", ReceiptViewSet, "collections-receipt"),
    ("collections/commission-movements", CommissionMovementViewSet, "collections-commission-movement"),
]
