"""API of transfer orders (pain.001). GET treasury/transfer-orders/ (?state=, ?bank_account=, ?search=,
?ordering=) and detail with its items; GET …/candidates/?source=settlement|claim_payment|supplier_invoice
(&date_from=&date_to=) lists what can be paid with the reason each one cannot; POST creates an order
(bank_account, execution_date, items: [{kind, target_id, iban?, bic?, payee_name?}]); POST …/{id}/cancel/
(reason); POST …/{id}/settle/ (date) posts the payment entries; GET …/{id}/xml/ downloads the stored file.
Errors are 400/409 problem bodies."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.treasury.choices import TransferItemKind
from apps.treasury.models import BankAccount, TransferItem, TransferOrder
from apps.treasury.services.transfer_orders import transfer_order_cancel, transfer_order_create, transfer_order_settle
from apps.treasury.services.transfer_sources import SOURCES, PaymentRequest, transfer_candidates

CHANGE = "treasury.change_transferorder"


class TransferItemSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="target_type.model", read_only=True, default=None)

    class Meta:
        model = TransferItem
        fields = ["id", "kind", "target_type", "target_id", "payee_name", "iban", "bic", "amount", "end_to_end_id",
                  "description", "entry"]
        read_only_fields = fields


class TransferOrderSerializer(serializers.ModelSerializer):
    bank_account_name = serializers.CharField(source="bank_account.name", read_only=True)

    class Meta:
        model = TransferOrder
        fields = ["id", "number", "bank_account", "bank_account_name", "execution_date", "state", "total", "count",
                  "message_id", "settled_on", "created_at"]
        read_only_fields = fields


class TransferOrderDetailSerializer(TransferOrderSerializer):
    items = TransferItemSerializer(many=True, read_only=True)

    class Meta(TransferOrderSerializer.Meta):
        fields = [*TransferOrderSerializer.Meta.fields, "items"]
        read_only_fields = fields


class PaymentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SOURCES)
    target_id = serializers.IntegerField(min_value=1)
    iban = serializers.CharField(required=False, allow_blank=True, default="", max_length=42)
    bic = serializers.CharField(required=False, allow_blank=True, default="", max_length=11)
    payee_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TransferOrderCreateSerializer(serializers.Serializer):
    bank_account = serializers.PrimaryKeyRelatedField(queryset=BankAccount.objects.filter(is_active=True))
    execution_date = serializers.DateField()
    items = PaymentRequestSerializer(many=True, allow_empty=True)


class CandidatesQuerySerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCES, default=TransferItemKind.SETTLEMENT)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)


class TransferCandidateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target_id = serializers.IntegerField()
    label = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    payee_name = serializers.CharField()
    iban = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    description = serializers.CharField()
    ok = serializers.BooleanField()
    reason = serializers.CharField()


class SettleSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None)


class TransferOrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class TransferOrderViewSet(ReadOnlyRecordViewSet):
    """SEPA credit-transfer orders (pain.001) paying settlements, claim payments and supplier invoices."""

    queryset = TransferOrder.objects.select_related("bank_account")
    serializer_class = TransferOrderSerializer
    filterset_fields = ["state", "bank_account"]
    search_fields = ["number", "message_id"]
    ordering_fields = ["execution_date", "total", "number"]
    ordering = ["-execution_date", "-pk"]

    def get_serializer_class(self):
        return TransferOrderDetailSerializer if self.action == "retrieve" else TransferOrderSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("items__target_type")
        return queryset

    def _require(self):
        if not self.request.user.has_perm(CHANGE):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    def _detail(self, order, code=status.HTTP_200_OK):
        order = self.get_queryset().prefetch_related("items__target_type").get(pk=order.pk)
        return Response(TransferOrderDetailSerializer(order).data, status=code)

    @extend_schema(request=TransferOrderCreateSerializer, responses={201: TransferOrderDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        self._require()
        params = TransferOrderCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        order = transfer_order_create(actor=request.user, bank_account=data["bank_account"],
                                      execution_date=data["execution_date"],
                                      items=[PaymentRequest(**item) for item in data["items"]])
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(parameters=[CandidatesQuerySerializer], responses={200: TransferCandidateSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def candidates(self, request):
        self._require()
        params = CandidatesQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = transfer_candidates(kind=data["source"], date_from=data["date_from"], date_to=data["date_to"])
        return Response(TransferCandidateSerializer(rows, many=True).data)

    @extend_schema(request=TransferOrderCancelSerializer, responses={200: TransferOrderSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        self._require()
        params = TransferOrderCancelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        order = transfer_order_cancel(actor=request.user, order=self.get_object(),
                                      reason=params.validated_data["reason"])
        return Response(TransferOrderSerializer(order).data)

    @extend_schema(request=SettleSerializer, responses={200: TransferOrderDetailSerializer})
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        self._require()
        params = SettleSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        order = self.get_object()
        transfer_order_settle(actor=request.user, order=order,
                              date=params.validated_data["date"] or order.execution_date)
        return self._detail(order)

    @extend_schema(responses={(200, "application/xml"): bytes})
    @action(detail=True, methods=["get"])
    def xml(self, request, pk=None):
        order = self.get_object()
        response = HttpResponse(order.xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{order.number}.xml"'
        return response


ROUTES = [
    ("treasury/transfer-orders", TransferOrderViewSet, "treasury-transfer-order"),
]
