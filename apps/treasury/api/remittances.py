"""API of SEPA remittances. GET treasury/remittances/ (?state=, ?bank_account=, ?search=, ?ordering=)
and detail with its debits; POST creates one (bank_account, collection_date, receipts, skip_invalid);
GET …/candidates/?due_from=&due_to= lists the receipts with the reason they cannot go; POST
…/{id}/generate/ builds the pain.008; POST …/{id}/charge/ (date) posts the charge; POST …/{id}/cancel/
(reason) cancels a draft or generated one (409 once charged); GET …/{id}/xml/ downloads the file.
Candidates include returned receipts due up to due_to (retry: true). Errors are 400/409 problem bodies."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.collections.models import Receipt
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet
from apps.treasury.models import BankAccount, Remittance, RemittanceItem
from apps.treasury.services.remittances import (remittance_cancel, remittance_candidates, remittance_charge,
                                                remittance_create, remittance_generate)

CHANGE = "treasury.change_remittance"


class RemittanceItemSerializer(serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    policyholder_name = serializers.CharField(source="receipt.policyholder.display_name", read_only=True)
    mandate_reference = serializers.CharField(source="mandate.reference", read_only=True)

    class Meta:
        model = RemittanceItem
        fields = ["id", "receipt", "receipt_number", "policyholder_name", "mandate", "mandate_reference",
                  "sequence_type", "amount", "end_to_end_id", "state", "returned_on", "return_code"]
        read_only_fields = fields


class RemittanceSerializer(serializers.ModelSerializer):
    bank_account_name = serializers.CharField(source="bank_account.name", read_only=True)

    class Meta:
        model = Remittance
        fields = ["id", "number", "bank_account", "bank_account_name", "collection_date", "state", "total", "count",
                  "message_id", "entry", "created_at"]
        read_only_fields = fields


class RemittanceDetailSerializer(RemittanceSerializer):
    items = RemittanceItemSerializer(many=True, read_only=True)

    class Meta(RemittanceSerializer.Meta):
        fields = [*RemittanceSerializer.Meta.fields, "items"]
        read_only_fields = fields


class RemittanceCreateSerializer(serializers.Serializer):
    bank_account = serializers.PrimaryKeyRelatedField(queryset=BankAccount.objects.filter(is_active=True))
    collection_date = serializers.DateField()
    receipts = serializers.PrimaryKeyRelatedField(queryset=Receipt.objects.all(), many=True, allow_empty=False)
    skip_invalid = serializers.BooleanField(default=False, help_text="Remesar los demás si alguno no puede ir.")


class CandidatesQuerySerializer(serializers.Serializer):
    due_from = serializers.DateField()
    due_to = serializers.DateField()
    bank_account = serializers.PrimaryKeyRelatedField(queryset=BankAccount.objects.all(), required=False)
    collection_date = serializers.DateField(required=False)


class CandidateSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(source="receipt.pk")
    receipt_number = serializers.CharField(source="receipt.number")
    policyholder_name = serializers.CharField(source="receipt.policyholder.display_name")
    due_date = serializers.DateField(source="receipt.due_date")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    mandate = serializers.CharField(source="mandate.reference", allow_null=True, default=None)
    ok = serializers.BooleanField()
    reason = serializers.CharField()
    retry = serializers.BooleanField(source="is_retry", help_text="Recibo devuelto que se vuelve a presentar.")


class ChargeSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None)


class RemittanceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, default="",
                                   help_text="Motivo de la anulación (obligatorio).")


class RemittanceViewSet(ReadOnlyRecordViewSet):
    """SEPA direct-debit remittances (pain.008)."""

    queryset = Remittance.objects.select_related("bank_account")
    serializer_class = RemittanceSerializer
    filterset_fields = ["state", "bank_account"]
    search_fields = ["number", "message_id"]
    ordering_fields = ["collection_date", "total", "number"]
    ordering = ["-collection_date", "-pk"]

    def get_serializer_class(self):
        return RemittanceDetailSerializer if self.action == "retrieve" else RemittanceSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("items__receipt__policyholder", "items__mandate")
        return queryset

    def _require(self):
        if not self.request.user.has_perm(CHANGE):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    @extend_schema(request=RemittanceCreateSerializer, responses={201: RemittanceDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        self._require()
        params = RemittanceCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        remittance = remittance_create(actor=request.user, **params.validated_data)
        return Response(RemittanceDetailSerializer(remittance).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CandidatesQuerySerializer], responses={200: CandidateSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def candidates(self, request):
        self._require()
        params = CandidatesQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = remittance_candidates(bank_account=data.get("bank_account"), due_from=data["due_from"],
                                     due_to=data["due_to"], collection_date=data.get("collection_date"))
        return Response(CandidateSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: RemittanceSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        self._require()
        remittance = self.get_object()
        remittance_generate(actor=request.user, remittance=remittance)
        remittance.refresh_from_db()
        return Response(RemittanceSerializer(remittance).data)

    @extend_schema(request=ChargeSerializer, responses={200: RemittanceSerializer})
    @action(detail=True, methods=["post"])
    def charge(self, request, pk=None):
        self._require()
        params = ChargeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        remittance = remittance_charge(actor=request.user, remittance=self.get_object(),
                                       date=params.validated_data["date"])
        return Response(RemittanceSerializer(remittance).data)

    @extend_schema(request=RemittanceCancelSerializer, responses={200: RemittanceSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        self._require()
        params = RemittanceCancelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        remittance = remittance_cancel(actor=request.user, remittance=self.get_object(),
                                       reason=params.validated_data["reason"])
        return Response(RemittanceSerializer(remittance).data)

    @extend_schema(responses={(200, "application/xml"): bytes})
    @action(detail=True, methods=["get"])
    def xml(self, request, pk=None):
        remittance = self.get_object()
        if not remittance.xml:
            return Response({"detail": _("La remesa aún no tiene fichero generado.")}, status=status.HTTP_404_NOT_FOUND)
        response = HttpResponse(remittance.xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{remittance.number}.xml"'
        return response


ROUTES = [
    ("treasury/remittances", RemittanceViewSet, "treasury-remittance"),
]
